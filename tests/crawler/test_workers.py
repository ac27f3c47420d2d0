"""Extraction workers: processes beside the reactor (or threads), shared by the sites of one crawl process,
and never outliving a crawler that was killed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

from crawler.extraction.detail import describe_attachment
from crawler.workers import ExtractionWorkers, acquire_workers, release_workers

REPO = Path(__file__).resolve().parents[2]


def test_processes_run_the_function_in_another_process() -> None:
    workers = ExtractionWorkers(1)
    try:
        assert asyncio.run(workers.run(os.getpid)) != os.getpid()
        described = asyncio.run(workers.run(describe_attachment, b"hello", "a.txt", declared_type=None))
        assert (described["media_type"], described["text"], described["size"]) == ("text/plain", "hello", 5)
    finally:
        workers.close()


def _die_in_a_worker(crawler_pid: int) -> int:
    if os.getpid() != crawler_pid:
        os._exit(1)  # a worker crashing (e.g. on a pathological attachment)
    return os.getpid()


def test_a_dead_worker_falls_back_to_threads_for_every_call_in_flight() -> None:
    workers = ExtractionWorkers(1)

    async def several() -> list[int]:
        return await asyncio.gather(*(workers.run(_die_in_a_worker, os.getpid()) for _ in range(4)))

    try:
        assert asyncio.run(several()) == [os.getpid()] * 4
        assert asyncio.run(workers.run(os.getpid)) == os.getpid()  # later calls run in threads
    finally:
        workers.close()


def test_zero_processes_means_threads_of_this_process() -> None:
    workers = ExtractionWorkers(0)
    assert asyncio.run(workers.run(os.getpid)) == os.getpid()
    workers.close()


def test_sites_of_one_process_share_the_workers_until_the_last_releases_them() -> None:
    first = acquire_workers(0)
    second = acquire_workers(0)
    assert second is first
    release_workers(first)
    assert acquire_workers(0) is first  # still held by the second user
    release_workers(first)
    release_workers(first)
    third = acquire_workers(0)
    assert third is not first
    release_workers(third)


_KILLED_CRAWLER = """
import asyncio, os, signal
from crawler.workers import ExtractionWorkers
workers = ExtractionWorkers(1)
print(asyncio.run(workers.run(os.getpid)), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_workers_exit_when_the_crawler_is_killed() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", _KILLED_CRAWLER], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )
    worker = int(done.stdout.split()[0])
    deadline = time.monotonic() + 30
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(worker)


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return status.rsplit(")", 1)[1].split()[0] != "Z"
