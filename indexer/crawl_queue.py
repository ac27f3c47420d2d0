"""Site jobs in Redis: a due-time queue, leases that expire, and one lock per host.

A job is "crawl this site now". A worker claims the first due site whose host is free, holds a lease on it (and
the host's lock) that it renews while the crawl runs, and completes it with the time the site is due again. A
worker that dies (even `kill -9`) stops renewing: when its lease expires the site goes back to the front of the
queue and the next worker resumes it from the shared JOBDIR. Every state change is one Lua script, so two workers
never claim the same site or the same host.

Keys (prefix `GONGKAI_REDIS_PREFIX`, default `gongkai`): `due` (sorted set site → due time), `sites` (hash site →
job JSON), `leases` (hash site → lease JSON), `lease-expiry` (sorted set site → expiry), `host:<host>` (the
host's lock, expiring with the lease), `cooldown:<host>` (the politeness delay after a release), `workers` (hash
worker → heartbeat JSON), `stats:<site>` (hash of run counts and last outcomes). The host keys are built inside
the scripts, so the queue needs one Redis server (or a primary), not a Redis Cluster.
"""

from __future__ import annotations

import json
import time
from typing import Any

from pydantic import BaseModel, Field

_CLAIM = """
local prefix, now, worker, lease_ms, scan = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local due = redis.call('ZRANGEBYSCORE', prefix .. ':due', '-inf', now, 'LIMIT', 0, scan)
for _, site in ipairs(due) do
  local job = cjson.decode(redis.call('HGET', prefix .. ':sites', site))
  local lock, cooldown = prefix .. ':host:' .. job.host, prefix .. ':cooldown:' .. job.host
  if redis.call('EXISTS', lock) == 0 and redis.call('EXISTS', cooldown) == 0 then
    redis.call('SET', lock, worker .. ' ' .. site, 'PX', lease_ms)
    redis.call('ZREM', prefix .. ':due', site)
    local expires = now + lease_ms / 1000
    redis.call('HSET', prefix .. ':leases', site,
      cjson.encode({site = site, worker = worker, host = job.host, started = now, expires = expires}))
    redis.call('ZADD', prefix .. ':lease-expiry', expires, site)
    return site
  end
end
return false
"""

_RENEW = """
local prefix, site, worker, now, lease_ms = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('HGET', prefix .. ':leases', site)
if not raw then return 0 end
local lease = cjson.decode(raw)
if lease.worker ~= worker then return 0 end
lease.expires = now + lease_ms / 1000
redis.call('HSET', prefix .. ':leases', site, cjson.encode(lease))
redis.call('ZADD', prefix .. ':lease-expiry', lease.expires, site)
redis.call('SET', prefix .. ':host:' .. lease.host, worker .. ' ' .. site, 'PX', lease_ms)
return 1
"""

_COMPLETE = """
local prefix, site, worker, next_due, cooldown_ms = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local raw = redis.call('HGET', prefix .. ':leases', site)
if not raw then return 0 end
local lease = cjson.decode(raw)
if lease.worker ~= worker then return 0 end
redis.call('HDEL', prefix .. ':leases', site)
redis.call('ZREM', prefix .. ':lease-expiry', site)
local lock = prefix .. ':host:' .. lease.host
if redis.call('GET', lock) == worker .. ' ' .. site then redis.call('DEL', lock) end
if cooldown_ms > 0 then redis.call('SET', prefix .. ':cooldown:' .. lease.host, '1', 'PX', cooldown_ms) end
if redis.call('HEXISTS', prefix .. ':sites', site) == 1 then redis.call('ZADD', prefix .. ':due', next_due, site) end
return 1
"""

# an expired lease: the site goes to the front of the queue (due at 0) to be resumed; the host lock expires by itself
_REAP = """
local prefix, now = ARGV[1], tonumber(ARGV[2])
local expired = redis.call('ZRANGEBYSCORE', prefix .. ':lease-expiry', '-inf', now)
for _, site in ipairs(expired) do
  redis.call('HDEL', prefix .. ':leases', site)
  redis.call('ZREM', prefix .. ':lease-expiry', site)
  if redis.call('HEXISTS', prefix .. ':sites', site) == 1 then redis.call('ZADD', prefix .. ':due', 0, site) end
end
return expired
"""


class SiteJob(BaseModel):
    """What a worker needs to crawl one site: its id, the host its politeness lock is on, and a base-URL
    override (a site served elsewhere than its site file says, as the simulated portal is)."""

    site: str
    host: str
    base_url: str | None = None
    reason: str = Field(
        default="new site", description="why it is due when it is (shown by `gongkai schedule`)"
    )


class Lease(BaseModel):
    site: str
    worker: str
    host: str
    started: float
    expires: float


class QueuedSite(BaseModel):
    job: SiteJob
    due: float


class SiteStats(BaseModel):
    site: str
    runs: int = 0
    failures: int = 0
    consecutive_failures: int = 0
    last_success: float | None = None
    last_failure: float | None = None
    last_worker: str | None = None

    @property
    def error_rate(self) -> float:
        return self.failures / self.runs if self.runs else 0.0


class WorkerBeat(BaseModel):
    worker: str
    machine: str
    pid: int
    site: str | None
    seen: float
    jobs_done: int = 0


class SiteJobQueue:
    def __init__(self, url: str, *, prefix: str = "gongkai") -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True, socket_timeout=10)
        self.prefix = prefix
        self._claim = self._redis.register_script(_CLAIM)
        self._renew = self._redis.register_script(_RENEW)
        self._complete = self._redis.register_script(_COMPLETE)
        self._reap = self._redis.register_script(_REAP)

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def ping(self) -> bool:
        return bool(self._redis.ping())

    # jobs ------------------------------------------------------------------------------------------------
    def enqueue(self, job: SiteJob, due: float | None = None) -> None:
        """Add or update a site; it is due at `due` (now by default) unless it is leased right now."""
        pipe = self._redis.pipeline()
        pipe.hset(self._key("sites"), job.site, job.model_dump_json())
        if not self._redis.hexists(self._key("leases"), job.site):
            pipe.zadd(self._key("due"), {job.site: time.time() if due is None else due})
        pipe.execute()

    def job(self, site: str) -> SiteJob | None:
        raw = self._redis.hget(self._key("sites"), site)
        return SiteJob.model_validate_json(raw) if raw else None

    def set_reason(self, site: str, reason: str) -> None:
        job = self.job(site)
        if job is not None:
            self._redis.hset(
                self._key("sites"), site, job.model_copy(update={"reason": reason}).model_dump_json()
            )

    def claim(
        self, worker: str, lease_seconds: float, *, now: float | None = None, scan: int = 200
    ) -> str | None:
        """The first due site whose host is neither locked nor cooling down, now leased to `worker`."""
        site = self._claim(args=[self.prefix, now or time.time(), worker, int(lease_seconds * 1000), scan])
        return site or None

    def renew(self, worker: str, site: str, lease_seconds: float) -> bool:
        """Extend the lease (and the host lock); False when the lease was lost (expired and taken over)."""
        return bool(self._renew(args=[self.prefix, site, worker, time.time(), int(lease_seconds * 1000)]))

    def complete(self, worker: str, site: str, *, next_due: float, cooldown_seconds: float = 0.0) -> bool:
        """Release the site and its host (the host then rests `cooldown_seconds`); the site is due again at
        `next_due`. False when the lease had been lost: someone else holds the site now."""
        return bool(self._complete(args=[self.prefix, site, worker, next_due, int(cooldown_seconds * 1000)]))

    def reap(self, *, now: float | None = None) -> list[str]:
        """Sites whose lease expired (their worker died): back at the front of the queue."""
        return list(self._reap(args=[self.prefix, now or time.time()]))

    # views -------------------------------------------------------------------------------------------------
    def queued(self) -> list[QueuedSite]:
        """Every site waiting, soonest first."""
        entries = self._redis.zrange(self._key("due"), 0, -1, withscores=True)
        jobs = self._redis.hgetall(self._key("sites"))
        return [
            QueuedSite(job=SiteJob.model_validate_json(jobs[site]), due=due)
            for site, due in entries
            if site in jobs
        ]

    def leases(self) -> list[Lease]:
        return sorted(
            (Lease.model_validate_json(raw) for raw in self._redis.hgetall(self._key("leases")).values()),
            key=lambda lease: lease.started,
        )

    def depth(self, *, now: float | None = None) -> int:
        """Sites due now and not leased."""
        return int(self._redis.zcount(self._key("due"), "-inf", now or time.time()))

    # run outcomes and workers --------------------------------------------------------------------------------
    def record_outcome(self, site: str, worker: str, *, ok: bool, at: float | None = None) -> SiteStats:
        key = self._key(f"stats:{site}")
        at = at or time.time()
        pipe = self._redis.pipeline()
        pipe.hincrby(key, "runs", 1)
        if ok:
            pipe.hset(key, mapping={"last_success": at, "consecutive_failures": 0, "last_worker": worker})
        else:
            pipe.hincrby(key, "failures", 1)
            pipe.hincrby(key, "consecutive_failures", 1)
            pipe.hset(key, mapping={"last_failure": at, "last_worker": worker})
        pipe.execute()
        return self.stats(site)

    def stats(self, site: str) -> SiteStats:
        raw: dict[str, Any] = self._redis.hgetall(self._key(f"stats:{site}"))
        return SiteStats(site=site, **raw)

    def all_stats(self) -> list[SiteStats]:
        return [self.stats(site) for site in sorted(self._redis.hkeys(self._key("sites")))]

    def heartbeat(self, beat: WorkerBeat) -> None:
        self._redis.hset(self._key("workers"), beat.worker, beat.model_dump_json())

    def forget_worker(self, worker: str) -> None:
        self._redis.hdel(self._key("workers"), worker)

    def workers(self) -> list[WorkerBeat]:
        return sorted(
            (
                WorkerBeat.model_validate_json(raw)
                for raw in self._redis.hgetall(self._key("workers")).values()
            ),
            key=lambda beat: beat.worker,
        )

    def log_event(self, event: dict[str, Any]) -> None:
        """Append to a capped log of claims, completions and takeovers (for `gongkai status` and tests)."""
        pipe = self._redis.pipeline()
        pipe.rpush(self._key("events"), json.dumps(event, ensure_ascii=False))
        pipe.ltrim(self._key("events"), -10_000, -1)
        pipe.execute()

    def events(self) -> list[dict[str, Any]]:
        return [json.loads(raw) for raw in self._redis.lrange(self._key("events"), 0, -1)]
