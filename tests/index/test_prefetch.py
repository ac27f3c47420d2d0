"""Items computed ahead in a thread arrive complete, in order, with the producer's exception in its place."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from indexer.backends.prefetch import prefetched


def test_every_item_arrives_in_order() -> None:
    assert list(prefetched(iter(range(1000)), depth=7)) == list(range(1000))
    assert list(prefetched([], depth=1)) == []


def test_items_are_computed_in_another_thread_ahead_of_the_consumer() -> None:
    computed: list[int] = []
    threads: set[str] = set()

    def items() -> Iterator[int]:
        for i in range(10):
            threads.add(threading.current_thread().name)
            computed.append(i)
            yield i

    stream = prefetched(items(), depth=3)
    assert next(stream) == 0
    deadline = time.monotonic() + 5
    while len(computed) < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.1)
    # the one consumed, three queued and one waiting for room: no more
    assert len(computed) == 5
    assert threading.current_thread().name not in threads
    assert list(stream) == list(range(1, 10))


def test_an_exception_is_raised_after_the_items_before_it() -> None:
    def items() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("bad record")

    received = []
    with pytest.raises(ValueError, match="bad record"):
        for item in prefetched(items(), depth=10):
            received.append(item)
    assert received == [1, 2]


def test_closing_early_stops_the_thread() -> None:
    before = threading.active_count()
    stream = prefetched(iter(range(10**9)), depth=2)
    assert next(stream) == 0
    stream.close()
    assert threading.active_count() == before
