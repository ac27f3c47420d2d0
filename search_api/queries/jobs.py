"""Background `gongkai` subprocesses started by admin actions."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indexer.config import Settings
from search_api.models import JobOut

# runs the console entry point with the same interpreter, whether or not the script is on PATH
_ENTRY = "from cli.main import main; main()"


@dataclass
class Job:
    job_id: str
    command: list[str]
    process: subprocess.Popen[bytes]
    started_at: datetime
    log_file: Path

    def out(self) -> JobOut:
        return JobOut(
            job_id=self.job_id,
            command=self.command,
            pid=self.process.pid,
            started_at=self.started_at,
            log_file=str(self.log_file),
            returncode=self.process.poll(),
        )


def running_job(jobs: Iterable[object]) -> Job | None:
    """The first job whose process has not exited yet."""
    return next((job for job in jobs if isinstance(job, Job) and job.process.poll() is None), None)


def start_job(settings: Settings, arguments: list[str]) -> Job:
    job_id = uuid.uuid4().hex[:12]
    log_dir = settings.data_dir / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"job-{arguments[0]}-{job_id}.log"
    environment = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(settings.data_dir),
        "GONGKAI_BACKEND": settings.backend,
    }
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-c", _ENTRY, *arguments],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=environment,
            start_new_session=True,
        )
    return Job(
        job_id=job_id,
        command=["gongkai", *arguments],
        process=process,
        started_at=datetime.now(UTC),
        log_file=log_file,
    )
