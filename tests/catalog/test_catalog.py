from datetime import UTC, date, datetime, timedelta

from indexer.catalog import Catalog
from indexer.schema import Column, DisclosureRecord, RecordStatus, Site, WarcRef, record_id

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def make_record(
    url: str, *, version: int = 1, status: RecordStatus = RecordStatus.active, **kw
) -> DisclosureRecord:
    fields = dict(
        id=record_id(url),
        site="s1",
        url=url,
        title="关于印发测试方案的通知",
        fetched_at=T0,
        first_seen_at=T0,
        last_seen_at=T0,
        content_sha256=f"sha-{version}",
        version=version,
        status=status,
        warc=WarcRef(file="gongkai-1.warc.gz", offset=100 * version),
    )
    fields.update(kw)
    return DisclosureRecord(**fields)


def test_versions_and_state_round_trip(catalog_location):
    with Catalog(catalog_location) as catalog:
        url = "http://127.0.0.1:1/a.html"
        catalog.save_record(make_record(url), etag='"e1"')
        later = T0 + timedelta(days=30)
        catalog.save_record(
            make_record(url, version=2, status=RecordStatus.changed, fetched_at=later, last_seen_at=later)
        )
        state = catalog.get_state(record_id(url))
        assert state is not None
        assert (state.version, state.status, state.etag) == (2, RecordStatus.changed, '"e1"')
        assert state.first_seen_at == T0 and state.last_seen_at == later
        versions = catalog.versions(record_id(url))
        assert [(v.version, v.status) for v in versions] == [(1, "active"), (2, "changed")]
        assert versions[1].warc == WarcRef(file="gongkai-1.warc.gz", offset=200)


def test_withdrawn_sets_date_and_leaves_completeness(catalog_location):
    with Catalog(catalog_location) as catalog:
        catalog.save_record(
            make_record("http://x/1", doc_number="济政办发〔2014〕14号", index_number="1/2014-1")
        )
        catalog.save_record(make_record("http://x/2", written_date=date(2014, 1, 2)))
        gone = T0 + timedelta(days=3)
        catalog.save_record(make_record("http://x/2", status=RecordStatus.withdrawn, last_seen_at=gone))
        assert catalog.get_state(record_id("http://x/2")).withdrawn_at == gone
        [row] = catalog.completeness()
        assert (row.records, row.with_doc_number, row.with_index_number, row.with_written_date) == (
            1,
            1,
            1,
            0,
        )


def test_columns_snapshot_replaces_previous_and_keeps_blank(catalog_location):
    with Catalog(catalog_location) as catalog:
        catalog.upsert_site(Site(id="s1", name="n", department="d", platform="govcn", base_url="http://x/"))
        first = [
            Column(
                id="c1",
                site="s1",
                name="通知公告",
                path=["通知公告"],
                item_count=3,
                newest_item_date=date(2026, 1, 1),
            ),
            Column(id="c2", site="s1", name="空", path=["重点领域", "空"], item_count=0),
        ]
        catalog.save_columns("s1", "run1", first)
        catalog.save_columns("s1", "run2", first[1:])
        cols = catalog.columns("s1")
        assert [(c.id, c.item_count, c.path) for c in cols] == [("c2", 0, ["重点领域", "空"])]
        assert [s.id for s in catalog.sites()] == ["s1"]


def test_runs_latest_per_site(catalog_location):
    with Catalog(catalog_location) as catalog:
        r1 = catalog.start_run("s1", T0)
        catalog.finish_run(r1, ok=False, report={"records": 0})
        r2 = catalog.start_run("s1", T0 + timedelta(hours=1))
        catalog.finish_run(r2, ok=True, report={"records": 5})
        [latest] = catalog.latest_runs()
        assert latest.run_id == r2 and latest.ok is True and latest.report == {"records": 5}
        assert len(catalog.runs("s1")) == 2


def test_first_seen_bursts_flags_backfill_after_the_first_crawl(catalog_location):
    with Catalog(catalog_location) as catalog:
        for i in range(30):  # the first crawl: everything is new to us, old or not
            catalog.save_record(make_record(f"http://x/first{i}", published_date=date(2001, 1, 1)))
        later = T0 + timedelta(days=40)
        for i in range(25):
            catalog.save_record(
                make_record(
                    f"http://x/old{i}",
                    published_date=date(2001, 1, 1),
                    first_seen_at=later,
                    last_seen_at=later,
                )
            )
        for i in range(5):
            catalog.save_record(
                make_record(
                    f"http://x/new{i}",
                    published_date=date(2026, 12, 9),
                    first_seen_at=later,
                    last_seen_at=later,
                )
            )
        [burst] = catalog.first_seen_bursts(min_records=20)
        assert (burst.day, burst.records, burst.old_records) == (later.date(), 30, 25)
        assert catalog.first_seen_bursts(min_records=26) == []
