"""A small, hand-made data set for API and UI tests: records in a backend plus a catalogue around them.

Contents (all dates relative to AS_OF):
- series 济政办发〔2014〕: 14, 16, 19 held; 18 cited but not held -> gaps 15, 17, 18
- 国办发〔2014〕12号 cited by two records, held by none; 鲁政办发〔2014〕22号 held and cited
- a record with <script> in title and body, a joint-issuer record, a withdrawn record, a changed record
- 25 air-quality reports (facets, paging, exports) first seen on one day although published years before
- columns: jinan-gov has 5 blank columns (veto) and stale ones; jinan-edu is healthy; runs ok / failed
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from indexer.backends.base import SearchBackend
from indexer.catalog import Catalog
from indexer.schema import Attachment, Column, DisclosureRecord, RecordStatus, Site, WarcRef, record_id

AS_OF = date(2026, 11, 27)
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
WARC_NAME = "gongkai-20261120080000-00001.warc.gz"
SCRIPT_TITLE = "<script>window.__pwned=1</script>关于开展食品安全专项检查的通知"
SCRIPT_BODY = (
    "各有关单位：<script>document.title='PWNED';window.__pwned=2</script>"
    '<img src=x onerror="window.__pwned=3">为加强食品安全监管，现开展专项检查。\n'
    "请依照国办发〔2014〕12号和济政办发〔2014〕18号文件要求落实。"
)
ORIGINAL_HTML = (
    "<html><head><title>原始页面</title><script>window.__pwned=4</script></head>"
    "<body><p>时间:2014-12-19来源:济南市人民政府办公室</p><p>原始正文 食品安全</p></body></html>"
)


@dataclass
class Dataset:
    records: dict[str, DisclosureRecord]
    warc_dir: Path

    def id(self, key: str) -> str:
        return self.records[key].id


def _record(key: str, site: str, title: str, **fields: object) -> DisclosureRecord:
    url = f"http://127.0.0.1:8900/{site}/art/{key}.html"
    values: dict[str, object] = {
        "id": record_id(url),
        "site": site,
        "url": url,
        "title": title,
        "fetched_at": T0,
        "first_seen_at": T0,
        "last_seen_at": T0,
        "content_sha256": hashlib.sha256(key.encode()).hexdigest(),
    }
    values.update(fields)
    return DisclosureRecord(**values)  # type: ignore[arg-type]


def _write_original(warc_dir: Path, url: str) -> WarcRef:
    warc_dir.mkdir(parents=True, exist_ok=True)
    path = warc_dir / WARC_NAME
    with path.open("ab") as stream:
        offset = stream.tell()
        writer = WARCWriter(stream, gzip=True)
        http_headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        payload = ORIGINAL_HTML.encode("utf-8")
        record = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), http_headers=http_headers, length=len(payload)
        )
        writer.write_record(record)
    return WarcRef(file=WARC_NAME, offset=offset)


def make_records(warc_dir: Path) -> dict[str, DisclosureRecord]:
    gov, edu = "jinan-gov", "jinan-edu"
    office = "济南市人民政府办公厅"
    policy = ["政府信息公开", "法定主动公开内容", "政策文件"]
    records: dict[str, DisclosureRecord] = {}
    records["n14"] = _record(
        "n14",
        gov,
        "关于印发2014年全市政务公开工作要点的通知",
        doc_number="济政办发〔2014〕14号",
        doc_number_raw="济政办发[2014]14号",
        index_number="11370100004188587H/2014-00014",
        issuer=office,
        column=policy,
        category="综合政务",
        written_date=date(2014, 3, 1),
        published_date=date(2014, 3, 5),
        body_text="当前全市政务公开工作要点。根据国办发〔2014〕12号和鲁政办发〔2014〕22号文件精神，制定本要点。",
        cites=["国办发〔2014〕12号", "鲁政办发〔2014〕22号"],
    )
    records["n16"] = _record(
        "n16",
        gov,
        "关于进一步做好政府信息依申请公开工作的通知",
        doc_number="济政办发〔2014〕16号",
        issuer=office,
        column=policy,
        category="综合政务",
        written_date=date(2014, 4, 2),
        published_date=date(2014, 4, 8),
        body_text="按照济政办发〔2014〕14号的要求，规范依申请公开办理流程。",
        cites=["济政办发〔2014〕14号"],
    )
    records["n19"] = _record(
        "n19",
        gov,
        SCRIPT_TITLE,
        doc_number="济政办发〔2014〕19号",
        issuer=office,
        column=policy,
        category="市场监管",
        written_date=date(2014, 6, 1),
        published_date=date(2014, 6, 3),
        body_text=SCRIPT_BODY,
        cites=["国办发〔2014〕12号", "济政办发〔2014〕18号"],
        attachments=[
            Attachment(url="http://127.0.0.1:8900/f/1.pdf", name="<b>检查表</b>.pdf", text="检查表")
        ],
    )
    records["lu22"] = _record(
        "lu22",
        gov,
        "山东省人民政府办公厅关于做好政府信息公开工作的通知",
        doc_number="鲁政办发〔2014〕22号",
        issuer="山东省人民政府办公厅",
        column=policy,
        category="综合政务",
        written_date=date(2014, 2, 10),
        published_date=date(2014, 2, 12),
        body_text="各市人民政府：做好政府信息公开工作。",
    )
    records["joint"] = _record(
        "joint",
        edu,
        "关于做好2015年普通高考报名工作的通知",
        doc_number="济教发〔2015〕3号",
        issuer="济南市教育局、济南市财政局",
        column=["招生考试", "普通高考"],
        category="教育",
        written_date=date(2015, 1, 5),
        published_date=date(2015, 1, 9),
        body_text="普通高考报名工作由市教育局会同市财政局组织实施。",
    )
    records["withdrawn"] = _record(
        "withdrawn",
        gov,
        "关于废止部分规范性文件的通知",
        doc_number="济政办发〔2013〕5号",
        issuer=office,
        column=policy,
        category="综合政务",
        published_date=date(2013, 1, 20),
        body_text="决定废止部分规范性文件。",
        status=RecordStatus.withdrawn,
    )
    records["changed"] = _record(
        "changed",
        gov,
        "济南市政府信息公开指南（2024年修订）",
        issuer=office,
        column=["政府信息公开", "政府信息公开指南"],
        category="综合政务",
        published_date=date(2024, 5, 1),
        body_text="本指南说明依申请公开的受理机构和办理流程。",
        status=RecordStatus.changed,
        version=2,
        fetched_at=T0 + timedelta(days=1),
    )
    records["news"] = _record(
        "news",
        gov,
        "市政府召开政务公开工作推进会",
        issuer=office,
        column=["新闻中心", "工作动态"],
        category="综合政务",
        published_date=AS_OF - timedelta(days=3),
        body_text="会议强调，要持续提升政务公开质量，空气质量信息要及时发布。",
    )
    for index in range(25):
        key = f"air{index:02d}"
        records[key] = _record(
            key,
            edu,
            f"环境空气质量监测通报（第{index + 1}期）",
            issuer="济南市生态环境局",
            column=["环境保护信息", "空气质量"],
            category="环境保护",
            published_date=date(2020 + index % 5, 1 + index % 12, 10),
            body_text=f"第{index + 1}期：全市空气质量优良天数比例为{60 + index}%。",
        )
    records["n14"] = records["n14"].model_copy(update={"warc": _write_original(warc_dir, records["n14"].url)})
    records["n19"] = records["n19"].model_copy(update={"warc": _write_original(warc_dir, records["n19"].url)})
    return records


def _columns(site: str, specs: list[tuple[list[str], int, date | None]]) -> list[Column]:
    return [
        Column(
            id=f"{site}:{'/'.join(path)}",
            site=site,
            name=path[-1],
            path=path,
            url=f"http://127.0.0.1:8900/{site}/col/{index}.html",
            item_count=count,
            newest_item_date=newest,
            last_checked=T0,
        )
        for index, (path, count, newest) in enumerate(specs)
    ]


def fill_catalog(catalog: Catalog, records: dict[str, DisclosureRecord]) -> None:
    catalog.upsert_site(
        Site(
            id="jinan-gov",
            name="济南市人民政府",
            department="济南市人民政府办公厅",
            platform="jcms",
            base_url="http://127.0.0.1:8900/jinan-gov/",
        )
    )
    catalog.upsert_site(
        Site(
            id="jinan-edu",
            name="济南市教育局",
            department="济南市教育局",
            platform="jcms",
            base_url="http://127.0.0.1:8900/jinan-edu/",
        )
    )
    for key, record in records.items():
        if key == "changed":
            first = record.model_copy(
                update={
                    "version": 1,
                    "status": RecordStatus.active,
                    "content_sha256": "a" * 64,
                    "fetched_at": T0,
                }
            )
            catalog.save_record(first)
        if key.startswith("air"):
            # back-filled: first seen on one day (after the first crawl) although published years before
            record = record.model_copy(update={"first_seen_at": datetime(2026, 11, 25, 9, tzinfo=UTC)})
        catalog.save_record(record)
    gov_columns = _columns(
        "jinan-gov",
        [
            (["新闻中心", "工作动态"], 40, AS_OF - timedelta(days=3)),
            (["通知公告"], 12, date(2025, 1, 10)),
            (["政府信息公开", "法定主动公开内容", "政策文件"], 30, AS_OF - timedelta(days=60)),
            (["政府信息公开", "人事信息"], 4, date(2024, 3, 1)),
            (["政府信息公开", "规划计划"], 0, None),
            (["重大决策", "专家论证"], 0, None),
            (["重大决策", "征集意见"], 0, None),
            (["财政预决算", "部门三公经费"], 0, None),
            (["重点领域信息公开", "矿业权出让公告"], 0, None),
            (["政策解读"], 3, None),
        ],
    )
    edu_columns = _columns(
        "jinan-edu",
        [
            (["招生考试", "普通高考"], 15, AS_OF - timedelta(days=20)),
            (["环境保护信息", "空气质量"], 25, AS_OF - timedelta(days=1)),
            (["工作动态"], 9, AS_OF - timedelta(days=14)),
        ],
    )
    gov_run = catalog.start_run("jinan-gov", started_at=T0)
    catalog.save_columns("jinan-gov", gov_run, gov_columns)
    catalog.finish_run(gov_run, ok=True, report={"pages": 120}, finished_at=T0 + timedelta(minutes=20))
    edu_run = catalog.start_run("jinan-edu", started_at=T0)
    catalog.save_columns("jinan-edu", edu_run, edu_columns)
    catalog.finish_run(edu_run, ok=False, report={"error": "timeout"}, finished_at=T0 + timedelta(minutes=5))


def build_dataset(backend: SearchBackend, catalog: Catalog, warc_dir: Path) -> Dataset:
    records = make_records(warc_dir)
    backend.upsert(records.values())
    backend.refresh()
    fill_catalog(catalog, records)
    return Dataset(records=records, warc_dir=warc_dir)
