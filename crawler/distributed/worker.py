"""`gongkai worker`: take site jobs from the queue and crawl them, one site at a time, until told to stop.

Each site is crawled by a `gongkai crawl SITE --jobdir …` child process, exactly as on a single machine, so
resuming, versioning and archiving work unchanged. The worker renews its lease while the child runs; the child
dies with the worker (PR_SET_PDEATHSIG), so a worker killed with `kill -9` leaves no crawl behind it, and when
its lease expires another worker resumes the site from the shared JOBDIR. Each worker writes its own WARC files
(GONGKAI_ARCHIVE_WRITER = its id) under the shared archive root.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time

from pydantic import BaseModel, Field

from crawler.distributed.schedule import ScheduleRules, next_run
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.crawl_queue import SiteJobQueue, WorkerBeat

log = logging.getLogger(__name__)
_PR_SET_PDEATHSIG = 1


class WorkerOptions(BaseModel):
    worker_id: str = Field(default_factory=lambda: default_worker_id())
    lease_seconds: float = Field(default=60, gt=0, description="a dead worker's site is resumed after this")
    poll_seconds: float = Field(default=2, gt=0, description="wait between claims when nothing is due")
    cooldown_seconds: float = Field(default=1, ge=0, description="a host rests this long between two workers")
    max_jobs: int | None = Field(default=None, ge=1)
    drain: bool = Field(default=False, description="exit when nothing is due and no site is leased")
    index: bool = True
    crawl_settings: dict[str, str] = Field(default_factory=dict)
    rules: ScheduleRules = Field(default_factory=ScheduleRules)


def default_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


def safe_writer_name(worker_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", worker_id)[:64]


def _die_with_parent() -> None:  # runs in the child between fork and exec
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def crawl_command(site: str, base_url: str | None, settings: Settings, options: WorkerOptions) -> list[str]:
    command = [sys.executable, "-m", "cli", "crawl", site, "--data-dir", str(settings.data_dir)]
    command += ["--jobdir", str(settings.data_dir / "jobs")]
    if base_url:
        command += ["--base-url", f"{site}={base_url}"]
    if not options.index:
        command.append("--no-index")
    for name, value in options.crawl_settings.items():
        command += ["--set", f"{name}={value}"]
    return command


class Worker:
    def __init__(self, queue: SiteJobQueue, settings: Settings, options: WorkerOptions) -> None:
        self.queue = queue
        self.settings = settings
        self.options = options
        self.jobs_done = 0
        self._stopping = False

    def stop(self, *_: object) -> None:
        """Finish the current site, then exit (SIGTERM, Ctrl-C)."""
        self._stopping = True

    def _beat(self, site: str | None) -> None:
        self.queue.heartbeat(
            WorkerBeat(
                worker=self.options.worker_id,
                machine=socket.gethostname(),
                pid=os.getpid(),
                site=site,
                seen=time.time(),
                jobs_done=self.jobs_done,
            )
        )

    def run(self) -> int:
        """Crawl sites until stopped, `max_jobs` reached, or (drain) the queue is empty; returns jobs done."""
        worker = self.options.worker_id
        log.info("worker %s: taking site jobs", worker)
        try:
            while not self._stopping:
                if self.options.max_jobs is not None and self.jobs_done >= self.options.max_jobs:
                    break
                for site in self.queue.reap():
                    log.warning(
                        "worker %s: lease on %s expired (its worker died): queued to resume", worker, site
                    )
                    self.queue.log_event({"event": "expired", "site": site, "by": worker, "at": time.time()})
                self._beat(None)
                site = self.queue.claim(worker, self.options.lease_seconds)
                if site is None:
                    if self.options.drain and self.queue.depth() == 0 and not self.queue.leases():
                        break
                    time.sleep(self.options.poll_seconds)
                    continue
                self.crawl_site(site)
                self.jobs_done += 1
        finally:
            self.queue.forget_worker(worker)
        return self.jobs_done

    def crawl_site(self, site: str) -> bool:
        worker = self.options.worker_id
        job = self.queue.job(site)
        started = time.time()
        self.queue.log_event({"event": "claimed", "site": site, "worker": worker, "at": started})
        self._beat(site)
        env = {
            **os.environ,
            "GONGKAI_ARCHIVE_WRITER": safe_writer_name(worker),
            "GONGKAI_USER_AGENT": f"{self.settings.user_agent} worker/{worker}",
            "GONGKAI_DATA_DIR": str(self.settings.data_dir),
        }
        command = crawl_command(site, job.base_url if job else None, self.settings, self.options)
        log.info("worker %s: crawling %s", worker, site)
        child = subprocess.Popen(command, env=env, preexec_fn=_die_with_parent)
        lost = False
        renew_every = max(self.options.lease_seconds / 3, 0.2)
        while True:
            try:
                child.wait(timeout=renew_every)
                break
            except subprocess.TimeoutExpired:
                if not self.queue.renew(worker, site, self.options.lease_seconds):
                    log.error("worker %s: lost the lease on %s; stopping its crawl", worker, site)
                    child.kill()
                    child.wait()
                    lost = True
                    break
                self._beat(site)
        ok = child.returncode == 0 and not lost
        finished = time.time()
        if lost:
            self.queue.log_event({"event": "lost", "site": site, "worker": worker, "at": finished})
            return False
        stats = self.queue.record_outcome(site, worker, ok=ok, at=finished)
        with Catalog(self.settings.catalog_location) as catalog:
            columns = catalog.columns(site)
        due, reason = next_run(
            columns,
            ok=ok,
            consecutive_failures=stats.consecutive_failures,
            finished_at=finished,
            rules=self.options.rules,
        )
        self.queue.set_reason(site, reason)
        released = self.queue.complete(
            worker, site, next_due=due, cooldown_seconds=self.options.cooldown_seconds
        )
        self.queue.log_event(
            {
                "event": "completed",
                "site": site,
                "worker": worker,
                "at": finished,
                "ok": ok,
                "released": released,
            }
        )
        log.info(
            "worker %s: %s %s in %.1f s; next: %s",
            worker,
            site,
            "ok" if ok else "FAILED",
            finished - started,
            reason,
        )
        return ok
