"""Where detail pages and attachments are extracted, off the reactor.

Extraction is most of the crawler's Python work. In threads it holds the GIL against the reactor (only lxml's
parsing and hashing release it), so the crawl ran at one core; in worker processes it runs beside the reactor.
`processes=0` keeps the old worker threads. A pool is shared by all sites crawled in one process.

Workers are spawned, not forked (the crawler has threads by then), and are children of the crawler that are
joined when the last site releases the pool, so their CPU time is the crawler's.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


PARENT_CHECK_SECONDS = 1.0


def _start_worker(parent: int, memory_mb: int) -> None:
    """Worker initializer: bound the worker's memory and tie its life to the crawler's."""
    if memory_mb > 0:
        # a hostile file that makes a parser or OCR allocate without end gets a MemoryError (a recorded
        # attachment error) or kills only this worker, never the host
        limit = memory_mb * 1024 * 1024
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        resource.setrlimit(
            resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard)
        )
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """End this worker once the crawler is gone. A crawler killed with SIGKILL never shuts its pool down, and
    a worker blocked on the task queue (whose write end it holds itself) would wait forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _warm_up() -> None:
    """Import the extraction code in a fresh worker while the crawl still fetches its first list pages."""
    import crawler.extraction.detail  # noqa: F401


class ExtractionWorkers:
    def __init__(self, processes: int, memory_mb: int = 0) -> None:
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        if processes > 0:
            self._executor = ProcessPoolExecutor(
                processes,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), memory_mb),
            )
            self._executor.submit(_warm_up)

    async def run(self, function: Callable[..., _T], /, *args: Any, **kwargs: Any) -> _T:
        """`function(*args, **kwargs)` in a worker; `function` must be a module-level (picklable) function."""
        call = functools.partial(function, *args, **kwargs)
        executor = self._executor
        if executor is not None:
            try:
                return await asyncio.get_running_loop().run_in_executor(executor, call)
            except BrokenProcessPool:
                # every call in flight on the dead pool lands here; the first one retires it
                if self._executor is executor:
                    logger.warning("an extraction worker process died; extracting in threads from now on")
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = None
        return await asyncio.to_thread(call)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_SHARED: dict[str, tuple[ExtractionWorkers, int]] = {}


def acquire_workers(processes: int, memory_mb: int = 0) -> ExtractionWorkers:
    """The process-wide workers (created by the first site to ask; later sites share its pool); each worker's
    address space is limited to `memory_mb` (0 = unlimited)."""
    workers, users = _SHARED.get("pool", (None, 0))
    if workers is None:
        workers = ExtractionWorkers(processes, memory_mb)
    _SHARED["pool"] = (workers, users + 1)
    return workers


def release_workers(workers: ExtractionWorkers) -> None:
    """The last user of the shared workers stops them (and waits for the processes to exit)."""
    shared, users = _SHARED.get("pool", (None, 0))
    if shared is not workers:
        workers.close()
        return
    if users > 1:
        _SHARED["pool"] = (shared, users - 1)
        return
    del _SHARED["pool"]
    workers.close()
