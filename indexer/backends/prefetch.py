"""Compute the items of an iterator ahead, in a background thread, while the consumer waits on I/O."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

_T = TypeVar("_T")
_DONE = object()


class _Failed:
    """An exception raised while computing the items, handed over to the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetched(items: Iterable[_T], depth: int) -> Iterator[_T]:
    """The items of `items`, computed up to `depth` ahead in a thread of their own.

    Bulk indexing alternates between building documents (Python, holding the GIL) and waiting for the engine's
    answer (a socket read, which releases it); with the building in a thread, the next chunk is analysed while
    the engine indexes the current one. An exception raised by `items` is raised here, after the items before
    it. Closing the iterator early stops the thread.
    """
    if depth < 1:
        raise ValueError("depth must be at least 1")
    buffer: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as error:  # re-raised in the consumer
            offer(_Failed(error))
            return
        offer(_DONE)

    thread = threading.Thread(target=produce, name="prefetch", daemon=True)
    thread.start()
    try:
        while (item := buffer.get()) is not _DONE:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()
