"""forking.call: a function run in a forked helper (the other languages' generations and
engine builds run so, beside the first's), its answer or its failure handed back as a
build's message."""

from __future__ import annotations

import os
import signal

import pytest

from generator import forking
from generator.errors import BuildError, InputError, Location

pytestmark = pytest.mark.skipif(not forking.can_fork(), reason="this system cannot fork")


def _pages(count: int) -> dict[str, int]:
    return {f"page-{number}/index.html": number for number in range(count)}


def _fails() -> None:
    raise BuildError("MkDocs could not build the site's fr/ pages: Doc file 'about.md' …")


def _bad_twin() -> None:
    raise InputError(
        Location("content/pages/about.fr.md", line=3),
        "the front matter does not end",
        field="title",
        hint="end it with a line of three dashes",
    )


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def test_what_the_function_returns_comes_back():
    assert forking.call(_pages, 3).result() == {"page-0/index.html": 0, "page-1/index.html": 1, "page-2/index.html": 2}


def test_a_build_error_in_the_helper_is_raised_with_its_message():
    with pytest.raises(BuildError) as stopped:
        forking.call(_fails).result()
    assert str(stopped.value) == "MkDocs could not build the site's fr/ pages: Doc file 'about.md' …"


def test_a_helper_killed_before_it_answers_stops_the_build_saying_what_to_do():
    with pytest.raises(BuildError) as stopped:
        forking.call(_killed).result()
    assert str(stopped.value) == (
        "A helper process of the build stopped before it finished (the machine may be short of memory): "
        "nothing was published; build again"
    )


def _stuck() -> None:
    signal.pause()  # as a helper forked beside a thread that held a lock it needs


def test_a_helper_that_gives_no_answer_in_time_is_ended():
    helper = forking.call(_stuck)
    with pytest.raises(BuildError) as stopped:
        helper.result(within=0.2)
    assert str(stopped.value) == "A helper process of the build gave no answer in 0.2 seconds"
    assert not helper.forked.process.is_alive()


def test_no_spare_core_on_a_busy_machine(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (12.0, 11.0, 10.0))
    assert not forking.spare_core()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 1.0, 0.9))  # this process's own rebuilds
    assert forking.spare_core()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not forking.spare_core()


def test_an_input_error_in_the_helper_comes_back_whole_naming_file_line_and_field():
    with pytest.raises(InputError) as stopped:
        forking.call(_bad_twin).result()
    assert str(stopped.value) == (
        "content/pages/about.fr.md, line 3, field 'title': the front matter does not end "
        "(end it with a line of three dashes)"
    )
    assert stopped.value.location == Location("content/pages/about.fr.md", line=3)


def _interrupt_each_new_helper(armed: list[bool]) -> None:
    """Ctrl+C into every process forked from now on while armed, the moment it exists: before
    it could ignore Ctrl+C, as when the key is pressed just as the build starts a helper."""

    def interrupt_me() -> None:
        if armed[0]:
            os.kill(os.getpid(), signal.SIGINT)

    os.register_at_fork(after_in_child=interrupt_me)  # cannot be taken back: disarmed instead


def test_ctrl_c_at_the_moment_a_helper_is_forked_reaches_only_the_build(capfd):
    def the_builds_handler(signum, frame):  # the build's own (publish/stopping.py) raises BuildStopped
        os.write(2, f"the build's Ctrl+C handler ran in process {os.getpid()}\n".encode())

    armed = [True]
    _interrupt_each_new_helper(armed)
    previous = signal.signal(signal.SIGINT, the_builds_handler)
    try:
        assert forking.call(_pages, 1).result() == {"page-0/index.html": 0}
    finally:
        armed[0] = False
        signal.signal(signal.SIGINT, previous)
    # The helper ignored it. Without Ctrl+C held back while it was forked, the build's handler
    # ran in the helper: BuildStopped's traceback printed by a helper, before the build's line.
    assert capfd.readouterr().err == ""
