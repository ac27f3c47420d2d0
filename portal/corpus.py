"""Deterministic documents: ``document(config, site, i)`` is a pure function of the seed and index."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal

from portal import text
from portal.columns import ColumnDef
from portal.config import PortalConfig
from portal.layout import SiteLayout, site_document_counts, site_layout, unit_hash
from portal.numbers import (
    canonical_bracket_number,
    canonical_order_number,
    cited_spelling,
    raw_bracket_number,
    raw_order_number,
)
from portal.sites import SITES, SiteSpec, site_spec
from portal.urls import attachment_path, detail_path, docid_of

AttachmentKind = Literal["pdf", "docx", "xlsx", "corrupt", "oversized", "scan", "ofd"]
ScanFormat = Literal["pdf", "png", "jpg", "tiff", "gif", "ofd"]
Status = Literal["active", "changed", "withdrawn"]

ROBOTS_PRIVATE_SITE = "jinan-fgw"
ROBOTS_PRIVATE_RATE = 0.04
ORDER_ISSUER = "济南市人民政府"
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
    "png": "image/png",
    "jpg": "image/jpeg",
    "tiff": "image/tiff",
    "gif": "image/gif",
}
# Documents carrying the special attachments: (site, index) -> kind
SPECIAL_ATTACHMENTS: dict[tuple[str, int], AttachmentKind] = {
    ("jinan-czj", 2): "corrupt",
    ("jinan-jyj", 4): "oversized",
}
# Scanned documents (扫描件): a share of numbered documents carries a scanned attachment (image-only PDF, an
# image, a scanned OFD) or an OFD with a text layer; a smaller share has a detail page whose body is one image
# and whose metadata does not print the 文号, so the scan is the only place the number appears. A few fixed
# documents make sure small portals have each kind.
SCAN_ATTACHMENT_RATE = 0.03
IMAGE_BODY_RATE = 0.012
SCAN_FORMATS: tuple[ScanFormat, ...] = ("pdf", "pdf", "png", "jpg", "tiff", "gif", "ofd")
SCAN_VARIANTS = ("clean", "clean", "noisy", "lowres")
SPECIAL_SCANS: dict[tuple[str, int], ScanFormat] = {("jinan-czj", 3): "pdf", ("jinan-gov", 3): "png"}
SPECIAL_OFD: frozenset[tuple[str, int]] = frozenset({("jinan-czj", 4)})
SPECIAL_IMAGE_BODIES: frozenset[tuple[str, int]] = frozenset({("jinan-sthjj", 2), ("jinan-gov", 4)})
BODY_IMAGE_NUMBER = 99
"""The attachment number under which a page's body image is served (never listed as an attachment)."""
SCAN_BODY_PARAGRAPHS = 3


@dataclass(frozen=True, slots=True)
class AttachmentSpec:
    number: int  # 1-based position on the page
    kind: AttachmentKind
    name: str
    path: str  # site-relative URL (with query for hanweb)
    lines: tuple[str, ...]  # the text written into the file
    text_contains: str | None
    scan_format: ScanFormat | None = None  # kind "scan": the file the scanned page is delivered in
    variant: str | None = None  # kind "scan": clean | noisy | lowres (see portal.scans)

    @property
    def extension(self) -> str:
        if self.kind == "scan" and self.scan_format:
            return self.scan_format
        return "pdf" if self.kind in ("corrupt", "oversized") else self.kind

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.extension]


@dataclass(frozen=True, slots=True)
class Citation:
    canonical: str
    printed: str
    title: str | None  # the cited document's title when the body names it
    lead_in: str  # 根据 / 按照 / 依据 / 《title》（…）


@dataclass(frozen=True, slots=True)
class Document:
    site: str
    index: int
    docid: int
    column: ColumnDef
    path: str
    is_news: bool
    title: str
    topic_phrase: str
    doc_number: str | None
    doc_number_raw: str | None
    index_number: str | None
    issuers: tuple[str, ...]
    source: str  # 来源 printed in the article header
    written_date: date | None
    published_date: date
    published_at: datetime
    modified_at: datetime
    topic: str | None
    validity: str | None
    keywords: tuple[str, ...]
    paragraphs: tuple[str, ...]
    citations: tuple[Citation, ...]
    attachments: tuple[AttachmentSpec, ...]
    version: int
    status: Status
    robots_disallowed: bool
    not_found: bool  # permanent fault: listed but 404
    giant: bool
    label_style: str  # plain | split | nbsp | anhui
    number_style: str  # cell | docwrite | glued
    date_style: int
    editor: str
    body_scan: AttachmentSpec | None = None  # the image the detail page shows instead of a text body

    @property
    def issuer(self) -> str:
        return "、".join(self.issuers)

    @property
    def cites(self) -> list[str]:
        return list(dict.fromkeys(c.canonical for c in self.citations))


@dataclass(frozen=True, slots=True)
class NumberInfo:
    canonical: str | None
    raw: str | None
    written: date | None
    issuers: tuple[str, ...]
    is_order: bool


def _numbered_rate(column: ColumnDef) -> float:
    if column.kind == "news" or column.name in ("政府信息公开指南", "政府信息公开年报"):
        return 0.0
    if column.name in ("部门财政预决算", "市级三公经费", "部门三公经费"):
        return 0.0
    if column.kind == "notice_policy":
        return 0.85 if column.name == "政策文件" else 0.55
    return 0.45


def _issuer_for(site: SiteSpec, code: str) -> str:
    if site.id == "jinan-gov":
        return "济南市人民政府办公厅" if "办" in code else "济南市人民政府"
    return site.department


def _number_info(
    rng: random.Random, site: SiteSpec, index: int, column: ColumnDef, published: date
) -> NumberInfo:
    """Draws in a fixed order so that citations of this document can recompute its number cheaply."""
    numbered = rng.random() < _numbered_rate(column)
    lag = rng.randint(0, 20)
    backfill = rng.random() < 0.04
    old_written = date(rng.randint(1996, 2010), rng.randint(1, 12), rng.randint(1, 28))
    # every 7th document of the city's policy column is a government order (令), which has no year
    is_order = site.id == "jinan-gov" and column.name == "政策文件" and index % 7 == 3
    joint = rng.random() < 0.08
    partner = rng.choice(site.joint_partners)
    if column.kind == "news":
        return NumberInfo(None, None, None, (), False)
    numbered = numbered or is_order
    written = old_written if backfill and numbered else published - timedelta(days=lag)
    if not numbered:
        return NumberInfo(None, None, written, (site.department,), False)
    if is_order:
        serial = index + 1
        raw = raw_order_number(rng, ORDER_ISSUER, serial)
        return NumberInfo(canonical_order_number(ORDER_ISSUER, serial), raw, written, (ORDER_ISSUER,), True)
    code = site.number_codes[index % len(site.number_codes)]
    serial = index // len(site.number_codes) + 1
    raw = raw_bracket_number(rng, code, written.year, serial, allow_newline=site.platform != "gkmlpt")
    issuers = (_issuer_for(site, code), partner) if joint else (_issuer_for(site, code),)
    return NumberInfo(canonical_bracket_number(code, written.year, serial), raw, written, issuers, False)


def _doc_rng(config: PortalConfig, site_id: str, index: int) -> random.Random:
    return random.Random(f"{config.seed}:{site_id}:{index}")


def number_of(config: PortalConfig, site_id: str, index: int) -> str | None:
    """Canonical number of a document (for citations from other documents)."""
    layout = site_layout(config, site_id)
    located = layout.locate(index)
    if located is None:
        return None
    block, _, _ = located
    return _number_info(
        _doc_rng(config, site_id, index),
        site_spec(site_id),
        index,
        block.column,
        layout.published_date(index),
    ).canonical


def _citations(config: PortalConfig, rng: random.Random, own: str | None, count: int) -> list[Citation]:
    counts = site_document_counts(config.docs)
    chosen: list[Citation] = []
    seen = {own}
    for _ in range(count):
        if rng.random() < 0.45:
            canonical = rng.choice(text.EXTERNAL_NUMBERS)
            title = text.EXTERNAL_TITLES[canonical] if rng.random() < 0.6 else None
        else:
            other = rng.choice(SITES)
            if counts[other.id] == 0:
                continue
            found = number_of(config, other.id, rng.randrange(counts[other.id]))
            if found is None:
                continue
            canonical, title = found, None
        if canonical in seen:
            continue
        seen.add(canonical)
        lead_in = "title" if title else rng.choice(("根据", "按照", "依据", "根据", "bare"))
        chosen.append(Citation(canonical, cited_spelling(rng, canonical), title, lead_in))
    return chosen


def _cite_phrase(citation: Citation) -> str:
    if citation.lead_in == "title":
        return f"根据《{citation.title}》（{citation.printed}）"
    if citation.lead_in == "bare":
        return f"对照{citation.printed}文件精神"
    return f"{citation.lead_in}{citation.printed}文件要求"


def _body(
    rng: random.Random,
    site: SiteSpec,
    title: str,
    is_news: bool,
    topic: str,
    issuer: str,
    written: date | None,
    published: date,
    citations: list[Citation],
) -> list[str]:
    if is_news:
        paragraphs = [
            f"{published.month}月{published.day}日，{site.department}{rng.choice(text.NEWS_EVENTS)}".format(
                topic=topic, district=rng.choice(text.DISTRICTS), year=published.year
            )
            + f"。会议指出，{text.sentence(rng, topic)}",
            f"会议强调，{text.sentence(rng, topic)}{text.sentence(rng, topic)}",
        ]
        if citations:
            paragraphs.append(f"{_cite_phrase(citations[0])}，{text.sentence(rng, topic)}")
        paragraphs.append(f"{rng.choice(text.DISTRICTS)}及各有关单位负责同志参加会议。")
        return paragraphs
    addressee = (
        "各区县人民政府，市政府各部门，各有关单位："
        if site.id == "jinan-gov"
        else "各区县有关部门，各有关单位："
    )
    opening = f"为深入贯彻落实上级关于{topic}工作的决策部署，{rng.choice(text.VERBS)}{topic}{rng.choice(text.GOALS)}建设"
    rest = list(citations)
    if rest and rest[0].lead_in == "title":
        opening += f"，{_cite_phrase(rest.pop(0))}精神"
    opening += f"，结合我市实际，现就{topic}有关事项通知如下："
    paragraphs = [addressee, opening]
    headings = rng.sample(text.HEADINGS, rng.randint(2, 4))
    ordinals = "一二三四五六"
    for n, heading in enumerate(headings):
        lead = f"{_cite_phrase(rest.pop(0))}，" if rest else ""
        paragraphs.append(f"{ordinals[n]}、{heading}。{lead}{text.sentence(rng, topic, duties=2)}")
    paragraphs.append(text.closing_for(title))
    paragraphs.append(issuer)
    paragraphs.append(text.chinese_date(written or published, rng))
    return paragraphs


def _attachments(
    config: PortalConfig,
    rng: random.Random,
    site: SiteSpec,
    column: ColumnDef,
    docid: int,
    index: int,
    published: date,
    topic: str,
    title: str,
    numbered: bool,
) -> list[AttachmentSpec]:
    kinds: list[AttachmentKind] = []
    if numbered and rng.random() < 0.35:
        kinds = [rng.choice(("pdf", "pdf", "docx", "xlsx")) for _ in range(rng.randint(1, 2))]
    special = SPECIAL_ATTACHMENTS.get((site.id, index))
    if special:
        kinds.append(special)
    specs: list[AttachmentSpec] = []
    for number, kind in enumerate(kinds, start=1):
        marker = f"{topic}附件{docid}-{number}"
        if kind == "pdf":
            name = f"附件{number}：{topic}{rng.choice(('实施方案', '工作任务分工', '政策解读'))}.pdf"
            lines = (title, f"{marker}说明", text.sentence(rng, topic)[:30], f"{site.department} {published}")
        elif kind == "docx":
            name = f"附件{number}：{topic}申报表.docx"
            lines = (
                title,
                f"{marker}申报须知",
                text.sentence(rng, topic),
                f"联系人：{text.person_name(rng)}",
            )
        elif kind == "xlsx":
            name = f"附件{number}：{topic}统计表.xlsx"
            lines = (
                f"{marker}统计",
                "项目",
                "金额（万元）",
                *[f"{d}项目" for d in rng.sample(text.DISTRICTS, 3)],
            )
        elif kind == "corrupt":
            name = f"附件{number}：{topic}扫描件.pdf"
            lines = ()
        else:
            name = f"附件{number}：{topic}资料汇编（高清扫描）.pdf"
            lines = ()
        ext = "pdf" if kind in ("corrupt", "oversized") else kind
        path = attachment_path(site, config.seed, column, docid, published, number, ext, name)
        contains = f"{marker}" if kind in ("pdf", "docx", "xlsx") else None
        specs.append(AttachmentSpec(number, kind, name, path, lines, contains))
    return specs


LABEL_STYLES = {
    "govcn": ("plain", "split", "nbsp", "anhui"),
    "trs": ("plain", "split", "nbsp", "anhui"),
    "hanweb": ("plain", "nbsp"),
    "gkmlpt": ("plain",),
    "generic": ("plain", "split"),
}
NUMBER_STYLES = {
    "govcn": ("cell", "cell", "cell", "docwrite", "glued"),
    "trs": ("cell", "cell", "docwrite", "glued"),
    "hanweb": ("cell", "cell", "cell", "glued"),
    "gkmlpt": ("cell",),
    "generic": ("cell", "cell", "glued"),
}


def document(config: PortalConfig, site_id: str, index: int, epoch: int | None = None) -> Document | None:
    """The document ``index`` of a site as it stands at ``epoch`` (default: the config's), or None."""
    chosen_epoch = config.epoch if epoch is None else epoch
    return _document(config, site_id, index, chosen_epoch)


def summary(config: PortalConfig, site_id: str, index: int, epoch: int | None = None) -> Document | None:
    """The document without its body (empty paragraphs and citations): enough for list pages."""
    chosen_epoch = config.epoch if epoch is None else epoch
    return _summary(config, site_id, index, chosen_epoch)


@lru_cache(maxsize=8192)
def _document(config: PortalConfig, site_id: str, index: int, epoch: int) -> Document | None:
    meta = _summary(config, site_id, index, epoch)
    if meta is None:
        return None
    # The body has its own random stream so that list pages never need to generate it.
    rng = random.Random(f"{config.seed}:{site_id}:{index}:body")
    site = site_spec(site_id)
    citations = _citations(
        config, rng, meta.doc_number, rng.choice((0, 1, 1, 2, 3)) if not meta.is_news else rng.randint(0, 1)
    )
    paragraphs = _body(
        rng,
        site,
        meta.title.removesuffix(_revision_suffix(config)) if meta.version == 2 else meta.title,
        meta.is_news,
        meta.topic_phrase,
        meta.issuer,
        meta.written_date,
        meta.published_date,
        citations,
    )
    if meta.version == 2:
        paragraphs.insert(
            -3 if not meta.is_news else len(paragraphs),
            f"本文件于{config.today_at(1):%Y年%m月%d日}修订，{text.sentence(rng, meta.topic_phrase)}",
        )
    if meta.body_scan is not None:
        paragraphs = list(meta.body_scan.lines)  # what the page shows is the scanned page
    used = tuple(c for c in citations if any(c.printed in p for p in paragraphs))
    return replace(meta, paragraphs=tuple(paragraphs), citations=used)


def _revision_suffix(config: PortalConfig) -> str:
    return f"（{config.today_at(1).year}年修订）"


@lru_cache(maxsize=65536)
def _summary(config: PortalConfig, site_id: str, index: int, epoch: int) -> Document | None:
    layout = site_layout(config, site_id)
    located = layout.locate(index)
    if located is None:
        return None
    block, _, is_new = located
    if is_new and epoch < 1:
        return None
    site = site_spec(site_id)
    column = block.column
    published = layout.published_date(index)
    rng = _doc_rng(config, site_id, index)
    info = _number_info(rng, site, index, column, published)
    is_news = column.kind == "news"
    docid = docid_of(site, index)
    year = (info.written or published).year
    title, topic_phrase = text.make_title(
        rng, site_id, column.kind, column.name, site.department, year, info.canonical is not None
    )
    if info.is_order:
        title = f"济南市{topic_phrase}管理办法"
    source = rng.choice(site.offices) if is_news else info.issuers[0] if info.issuers else site.department
    issuers = info.issuers if info.issuers else (source,)
    attachments = _attachments(
        config, rng, site, column, docid, index, published, topic_phrase, title, info.canonical is not None
    )
    published_at = datetime.combine(
        published, time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59))
    )
    private = (
        site_id == ROBOTS_PRIVATE_SITE
        and unit_hash(config.seed, site_id, index, "robots") < ROBOTS_PRIVATE_RATE
    )
    faults = config.faults_for(site_id)
    not_found = bool(
        faults and faults.missing and unit_hash(config.seed, site_id, index, "404") < faults.missing
    )
    giant = bool(faults and faults.giant and unit_hash(config.seed, site_id, index, "giant") < faults.giant)
    label_style = rng.choice(LABEL_STYLES[site.platform])
    number_style = rng.choice(NUMBER_STYLES[site.platform])
    if "\n" in (info.raw or "") and number_style == "docwrite":
        number_style = "cell"
    editor = text.person_name(rng)
    date_style = rng.randrange(4)
    validity = (
        rng.choice(("有效", "有效", "有效", "失效", "废止")) if info.canonical and not is_news else None
    )
    keywords = tuple(text.keywords_for(rng, topic_phrase, column.kind))
    theme = rng.choice(text.THEMES_BY_SITE[site_id] if rng.random() < 0.8 else text.THEMES)

    scans = _scans(
        config,
        site,
        column,
        docid,
        index,
        published,
        topic_phrase,
        title,
        info,
        issuers,
        is_news,
        len(attachments),
    )
    attachments.extend(scans[0])
    body_scan = scans[1]
    doc_number_raw = None if body_scan is not None else info.raw  # the scan is where the number is printed

    version, status, modified_at = 1, "active", published_at
    fate = layout.fate(index) if epoch >= 1 else "kept"
    if fate == "changed":
        version, status = 2, "changed"
        title = f"{title}{_revision_suffix(config)}"
        modified_at = datetime.combine(config.today_at(1) - timedelta(days=3), time(10, 0))
    elif fate == "withdrawn":
        status = "withdrawn"

    return Document(
        site=site_id,
        index=index,
        docid=docid,
        column=column,
        path=detail_path(site, column, docid, published, private),
        is_news=is_news,
        title=title,
        topic_phrase=topic_phrase,
        doc_number=info.canonical,
        doc_number_raw=doc_number_raw,
        index_number=None if is_news else f"{site.org_code}/{published.year}-{index + 1:05d}",
        issuers=issuers,
        source=source,
        written_date=info.written,
        published_date=published,
        published_at=published_at,
        modified_at=modified_at,
        topic=None if is_news else theme,
        validity=validity,
        keywords=() if is_news else keywords,
        paragraphs=(),
        citations=(),
        attachments=tuple(attachments),
        version=version,
        status=status,
        robots_disallowed=private,
        not_found=not_found,
        giant=giant,
        label_style=label_style,
        number_style=number_style,
        date_style=date_style,
        editor=editor,
        body_scan=body_scan,
    )


def _scan_lines(
    rng: random.Random, issuers: tuple[str, ...], number: str | None, title: str, topic: str, day: date
) -> list[str]:
    """An official document as printed (GB/T 9704 order): 发文机关标志, 文号, title, body, 署名, 成文日期."""
    lines = [f"{issuers[0]}文件"]
    if number:
        lines.append(number)
    lines.append(title)
    lines.extend(text.sentence(rng, topic) for _ in range(SCAN_BODY_PARAGRAPHS - 1))
    return lines


def _scans(
    config: PortalConfig,
    site: SiteSpec,
    column: ColumnDef,
    docid: int,
    index: int,
    published: date,
    topic: str,
    title: str,
    info: NumberInfo,
    issuers: tuple[str, ...],
    is_news: bool,
    existing: int,
) -> tuple[list[AttachmentSpec], AttachmentSpec | None]:
    """The scanned attachment and the body image of a document, if it has them (own random stream, so the
    rest of the document does not depend on them)."""
    if is_news:
        return [], None
    key = (site.id, index)
    rng = random.Random(f"{config.seed}:{site.id}:{index}:scan")
    signature = [issuers[0], text.chinese_date(info.written or published, rng)]
    number = info.canonical
    if key in SPECIAL_IMAGE_BODIES or unit_hash(config.seed, site.id, index, "image-body") < IMAGE_BODY_RATE:
        marker = f"{topic}扫描正文{docid}"
        lines = _scan_lines(rng, issuers, number, title, topic, info.written or published)
        lines.insert(-1 if len(lines) > 3 else len(lines), f"本件{marker}按原件影印公开。")
        scan_format: ScanFormat = rng.choice(("png", "jpg", "gif"))
        path = attachment_path(
            site, config.seed, column, docid, published, BODY_IMAGE_NUMBER, scan_format, "正文.png"
        )
        variant = rng.choice(SCAN_VARIANTS)
        spec = AttachmentSpec(
            BODY_IMAGE_NUMBER,
            "scan",
            f"正文.{scan_format}",
            path,
            (*lines, *signature),
            marker,
            scan_format,
            variant,
        )
        return [], spec
    chosen: ScanFormat | None = SPECIAL_SCANS.get(key)
    if chosen is None and key in SPECIAL_OFD:
        chosen = "ofd"
    if (
        chosen is None
        and info.canonical
        and unit_hash(config.seed, site.id, index, "scan") < SCAN_ATTACHMENT_RATE
    ):
        chosen = rng.choice(SCAN_FORMATS)
    if chosen is None:
        return [], None
    attachment_number = existing + 1
    marker = f"{topic}扫描件{docid}-{attachment_number}"
    lines = [
        *_scan_lines(rng, issuers, number, title, topic, info.written or published),
        f"{marker}存档备查。",
    ]
    kind: AttachmentKind = "scan"
    variant: str | None = rng.choice(SCAN_VARIANTS)
    if (chosen == "ofd" and rng.random() < 0.5) or key in SPECIAL_OFD:
        kind, variant = "ofd", None  # an OFD with a text layer
    name = f"附件{attachment_number}：{title[:20]}（{'扫描件' if kind == 'scan' else '版式文件'}）.{chosen}"
    path = attachment_path(site, config.seed, column, docid, published, attachment_number, chosen, name)
    spec = AttachmentSpec(
        attachment_number,
        kind,
        name,
        path,
        (*lines, *signature),
        marker,
        chosen if kind == "scan" else None,
        variant,
    )
    return [spec], None


def site_total(config: PortalConfig, site_id: str, epoch: int | None = None) -> int:
    layout: SiteLayout = site_layout(config, site_id)
    return layout.total1 if (config.epoch if epoch is None else epoch) >= 1 else layout.total0
