"""Pagefind's service, reading each of its answers as soon as it comes.

The pagefind package's own reader (PagefindService._wait_for_responses, pagefind 1.5.2, the
version pyproject.toml pins) sleeps 0.1 s before it reads each answer. A build asks three
things (make an index, add the records' folder, write the bundle), so it waited ~0.3 s for
nothing: most of a small build's wall time beside its 0.4 s of CPU, and a test suite's
builds wait it each (bench/README.md, "A small build's wait for Pagefind"). The reader below
is the library's without the sleep: `readuntil` already waits for the next answer. Unlike the
library's, when Pagefind's process ends without answering (it crashed, or was killed), every
question still waiting fails with a message instead of waiting for ever.

Imported only when a build indexes (publish/search.py), so that a missing Pagefind is a
build's message, not an import error of the generator.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from pagefind.service import PagefindService
from pagefind.service.types import InternalResponseType


class PromptService(PagefindService):
    async def _wait_for_responses(self) -> None:
        stdout = self._backend.stdout
        assert stdout is not None, "launched with a pipe for its answers"
        while True:
            try:
                answer_bytes = await stdout.readuntil(b",")
            except (asyncio.IncompleteReadError, ConnectionError):
                self._fail_waiting(
                    f"Pagefind's process ended without answering (exit status {self._backend.returncode})"
                )
                return
            answer: Any = json.loads(base64.b64decode(answer_bytes[:-1]))
            if answer is None:
                continue
            message_id = answer.get("message_id")
            if message_id is None and (original := answer["payload"].get("original_message")) is not None:
                # A message Pagefind could not read comes back without its id, but with itself.
                message_id = (json.loads(original) or {}).get("message_id")
            future = self._responses.get(message_id) if message_id is not None else None
            if future is None or future.done():
                continue
            payload = answer["payload"]
            if payload["type"] == InternalResponseType.ERROR.value:
                future.set_exception(Exception(payload["message"], payload.get("original_message")))
            else:
                future.set_result(payload)

    def _fail_waiting(self, message: str) -> None:
        for future in self._responses.values():
            if not future.done():
                future.set_exception(ConnectionError(message))
