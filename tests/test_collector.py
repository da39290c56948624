"""generator/preview/collector.py: the cycle collector is off while a preview rebuilds and
until a while after, on again by itself, and never turned on when it was off before."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from generator.preview.collector import TIMER_NAME, Collector


@pytest.fixture
def collector_on():
    """The collector on, and no other preview's timer (a plugin of an earlier test) left to
    turn it on during the test."""
    for thread in threading.enumerate():
        if thread.name == TIMER_NAME:
            thread.join()
    was_on = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        (gc.enable if was_on else gc.disable)()


def on_within(seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if gc.isenabled():
            return True
        time.sleep(0.01)
    return gc.isenabled()


def test_the_collector_waits_until_after_the_rebuild(collector_on):
    collector = Collector(after=0.2)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled(), "no collection before the page is shown"
    assert on_within(5), "on again by itself a while after"


def test_a_rebuild_within_the_wait_keeps_it_off(collector_on):
    collector = Collector(after=0.3)
    with collector.paused():
        pass
    time.sleep(0.1)
    with collector.paused():
        time.sleep(0.4)  # the first rebuild's wait is over: its timer was cancelled
        assert not gc.isenabled()
    assert not gc.isenabled()
    assert on_within(5)


def test_after_max_deferred_rebuilds_in_a_row_the_rebuild_collects_at_its_end(collector_on):
    collector = Collector(after=60, max_deferred=2)
    for _ in range(2):
        with collector.paused():
            pass
        assert not gc.isenabled()
    with collector.paused():
        pass
    assert gc.isenabled(), "the third rebuild in a row turns it on at its end, as before"
    with collector.paused():  # a new run of rebuilds
        pass
    assert not gc.isenabled()
    with collector.paused():
        pass
    with collector.paused():
        pass
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_on):
    gc.disable()
    collector = Collector(after=0.05)
    with collector.paused():
        pass
    time.sleep(0.3)
    assert not gc.isenabled()


class Garbage:
    """Says when it is let go of."""

    def __init__(self, freed: threading.Event) -> None:
        self.freed = freed

    def __del__(self) -> None:
        self.freed.set()


def test_what_a_rebuild_let_go_of_is_freed_with_the_collection_after_it(collector_on):
    freed = threading.Event()
    collector = Collector(after=0.2)
    with collector.paused():
        collector.release_later(Garbage(freed))
    assert not freed.is_set(), "not freed on the way to the page"
    assert freed.wait(5) and gc.isenabled()


def test_what_a_rebuild_let_go_of_is_freed_at_its_end_where_it_collects_there(collector_on):
    freed = threading.Event()
    collector = Collector(after=60, max_deferred=0)  # collects at the rebuild's end
    with collector.paused():
        collector.release_later(Garbage(freed))
    assert freed.is_set() and gc.isenabled()
    gc.disable()  # a collector that was off: nothing waits for it
    freed.clear()
    collector = Collector(after=60)
    with collector.paused():
        collector.release_later(Garbage(freed))
    assert freed.is_set() and not gc.isenabled()
