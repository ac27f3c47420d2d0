"""The site-job queue on a real Redis: host locks, leases that expire, completion, ordering, schedule rules."""

from __future__ import annotations

import time
from datetime import date

from crawler.distributed.schedule import DAY, ScheduleRules, next_run
from indexer.crawl_queue import SiteJob, SiteJobQueue
from indexer.schema import Column


def job(site: str, host: str) -> SiteJob:
    return SiteJob(site=site, host=host)


def test_one_worker_per_host_and_the_politeness_cooldown(queue: SiteJobQueue) -> None:
    queue.enqueue(job("a1", "a.gov.cn"), due=1)
    queue.enqueue(job("a2", "a.gov.cn"), due=2)
    queue.enqueue(job("b1", "b.gov.cn"), due=3)
    assert queue.claim("w1", 30) == "a1"
    assert queue.claim("w2", 30) == "b1", "a2 shares a.gov.cn with a leased site: skipped, not claimed"
    assert queue.claim("w3", 30) is None
    assert queue.complete("w1", "a1", next_due=time.time() + DAY, cooldown_seconds=0.5)
    assert queue.claim("w3", 30) is None, "the host rests before the next worker may start on it"
    time.sleep(0.6)
    assert queue.claim("w3", 30) == "a2"
    assert {lease.site: lease.worker for lease in queue.leases()} == {"b1": "w2", "a2": "w3"}


def test_an_expired_lease_goes_back_to_the_front_and_the_dead_worker_cannot_complete(
    queue: SiteJobQueue,
) -> None:
    queue.enqueue(job("s", "h"), due=5)
    queue.enqueue(job("t", "other"), due=1)
    assert queue.claim("dead", 0.3, now=10) == "t"
    assert queue.claim("dead", 0.3, now=10) == "s"
    assert queue.reap(now=10.1) == []
    time.sleep(0.35)  # the host locks expire in Redis
    assert sorted(queue.reap(now=10.4)) == ["s", "t"]
    assert [entry.job.site for entry in queue.queued()][:2] in (["s", "t"], ["t", "s"])
    assert all(entry.due == 0 for entry in queue.queued()), "resumed sites are first in line"
    assert queue.claim("alive", 30) in {"s", "t"}
    assert not queue.complete("dead", "s", next_due=0) and not queue.complete("dead", "t", next_due=0)
    assert not queue.renew("dead", "s", 30) and not queue.renew("dead", "t", 30)


def test_renewal_keeps_a_lease_past_its_first_expiry(queue: SiteJobQueue) -> None:
    queue.enqueue(job("s", "h"), due=1)
    assert queue.claim("w", 0.4) == "s"
    for _ in range(4):
        time.sleep(0.2)
        assert queue.renew("w", "s", 0.4)
        assert queue.reap() == []
    assert queue.claim("other", 30) is None


def test_sites_are_claimed_soonest_due_first_and_not_before(queue: SiteJobQueue) -> None:
    now = time.time()
    queue.enqueue(job("later", "h1"), due=now + 3600)
    queue.enqueue(job("second", "h2"), due=now - 10)
    queue.enqueue(job("first", "h3"), due=now - 20)
    assert queue.depth(now=now) == 2
    assert [queue.claim("w", 30), queue.claim("w", 30), queue.claim("w", 30)] == ["first", "second", None]


def test_outcomes_give_an_error_rate(queue: SiteJobQueue) -> None:
    queue.enqueue(job("s", "h"))
    queue.record_outcome("s", "w", ok=False)
    stats = queue.record_outcome("s", "w", ok=True)
    assert (stats.runs, stats.failures, stats.consecutive_failures, stats.error_rate) == (2, 1, 0, 0.5)
    assert stats.last_success is not None


def column(name: str, path: list[str] | None = None) -> Column:
    return Column(
        id=name, site="s", name=name, path=path or [name], item_count=1, newest_item_date=date(2026, 1, 1)
    )


def test_the_schedule_follows_the_fastest_column_kind_and_backs_off_after_failures() -> None:
    rules = ScheduleRules()
    due, reason = next_run(
        [column("工作动态"), column("通知公告")], ok=True, consecutive_failures=0, finished_at=0, rules=rules
    )
    assert due == DAY and "daily" not in reason and "news" in reason
    due, _ = next_run(
        [column("政策文件"), column("机构概况")], ok=True, consecutive_failures=0, finished_at=0, rules=rules
    )
    assert due == 7 * DAY
    due, _ = next_run([column("机构概况")], ok=True, consecutive_failures=0, finished_at=0, rules=rules)
    assert due == 30 * DAY
    retries = [
        next_run([column("机构概况")], ok=False, consecutive_failures=n, finished_at=0, rules=rules)[0]
        for n in (1, 2, 3)
    ]
    assert retries == [600, 1200, 2400]
    assert (
        next_run([column("工作动态")], ok=False, consecutive_failures=20, finished_at=0, rules=rules)[0]
        == DAY
    )
