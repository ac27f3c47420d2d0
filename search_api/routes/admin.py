"""Admin actions: start `gongkai reindex` / `gongkai crawl` as background subprocesses (API key required).

One job at a time: both write the index (the embedded one takes a single writer), so a second start while a job
runs is a 409 naming the running job.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException

from search_api.deps import ServicesDep, require_api_key
from search_api.models import CrawlRequest, ErrorResponse, JobOut
from search_api.queries.jobs import Job, running_job, start_job

router = APIRouter(
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(require_api_key)],
    responses={401: {"model": ErrorResponse}, 403: {"model": ErrorResponse}, 409: {"model": ErrorResponse}},
)


def _refuse_while_running(services: ServicesDep) -> None:
    running = running_job(services.jobs.values())
    if running is not None:
        raise HTTPException(
            409, f"job {running.job_id} ({' '.join(running.command)}) is still running; wait for it to finish"
        )


@router.post("/reindex", response_model=JobOut, status_code=202, summary="Rebuild the index from the archive")
def reindex(services: ServicesDep) -> JobOut:
    _refuse_while_running(services)
    job = start_job(services.settings, ["reindex"])
    services.jobs[job.job_id] = job
    return job.out()


@router.post(
    "/crawl",
    response_model=JobOut,
    status_code=202,
    responses={400: {"model": ErrorResponse}},
    summary="Crawl one site or all sites",
)
def crawl(body: CrawlRequest, services: ServicesDep) -> JobOut:
    if body.all == bool(body.site):
        raise HTTPException(400, "give exactly one of 'site' or 'all': true")
    _refuse_while_running(services)
    job = start_job(services.settings, ["crawl", "--all"] if body.all else ["crawl", body.site or ""])
    services.jobs[job.job_id] = job
    return job.out()


@router.get("/jobs", response_model=list[JobOut], summary="Background jobs started by this server")
def jobs(services: ServicesDep) -> list[JobOut]:
    return [job.out() for job in services.jobs.values() if isinstance(job, Job)]
