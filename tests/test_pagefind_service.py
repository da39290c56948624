"""Pagefind's service as the build talks to it (generator/publish/pagefind_service.py): each
answer is read as soon as Pagefind gives it, not after a tenth of a second's sleep each, as the
pagefind package's own reader does (three answers a build: ~0.3 s of every build's wall)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pagefind.index import IndexConfig

from generator.publish.pagefind_service import PromptService
from generator.publish.search import _ended

PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"></head><body><main>{}</main></body></html>'


async def index_and_write(pages: Path, output: Path) -> int:
    service = PromptService()
    await service.launch()
    try:
        index = await service.create_index(IndexConfig(root_selector="main"))
        result = await index.add_directory(str(pages))
        await index.write_files(output_path=str(output))
        return int(result["page_count"])
    finally:
        await _ended(service)


def test_answers_are_read_without_sleeping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, words in {"a": "defenders met the minister", "b": "the assembly passed the law"}.items():
        (tmp_path / "pages" / name).mkdir(parents=True)
        (tmp_path / "pages" / name / "index.html").write_text(PAGE.format(words), encoding="utf-8")
    real_sleep = asyncio.sleep
    slept: list[float] = []

    async def sleep(delay: float, *args: object) -> object:
        slept.append(delay)
        return await real_sleep(delay, *args)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    pages = asyncio.run(index_and_write(tmp_path / "pages", tmp_path / "bundle"))

    assert pages == 2
    assert (tmp_path / "bundle" / "pagefind-entry.json").is_file()
    assert slept == [], f"the service slept {slept} s waiting for Pagefind's answers"


def test_a_pagefind_that_ends_without_answering_fails_the_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    quitter = tmp_path / "pagefind"
    quitter.write_text("#!/bin/sh\nhead -c 1 >/dev/null\nexit 3\n", encoding="utf-8")
    quitter.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(quitter))

    async def ask() -> None:
        service = PromptService()
        await service.launch()
        try:
            await asyncio.wait_for(service.create_index(IndexConfig(root_selector="main")), timeout=10)
        finally:
            await _ended(service)

    with pytest.raises(ConnectionError, match=r"Pagefind's process ended without answering \(exit status"):
        asyncio.run(ask())
