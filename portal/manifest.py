"""The ground truth: every site, column and document with the values its pages show."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from portal.attachments import AttachmentStore
from portal.columns import ColumnDef
from portal.config import PortalConfig, SiteFaults
from portal.corpus import AttachmentSpec, Document, document, site_total
from portal.layout import site_layout
from portal.sites import SITES
from portal.urls import column_path

STALE_AFTER_DAYS: dict[str, int] = {"news": 14, "notice_policy": 183, "personnel_planning": 365, "other": 365}
DIGEST_LIMIT = 50_000  # above this many documents, attachment digests are left out unless asked for


class ManifestSite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    name: str
    department: str
    platform: str
    base_url: str
    encoding: str
    robots_disallow: list[str]
    has_sitemap: bool


class ManifestColumn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str  # path slug, unique within the site
    number: int  # numeric id (hanweb colN, gkmlpt column id)
    site: str
    name: str
    path: list[str]
    url: str
    kind: Literal["news", "notice_policy", "personnel_planning", "other"]
    leaf: bool
    item_count: int
    newest_item_date: date | None
    expected_status: Literal["ok", "blank", "stale"]


class ManifestAttachment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    name: str
    media_type: str
    kind: str  # pdf | docx | xlsx | corrupt | oversized
    size: int | None
    sha256: str | None
    text_contains: str | None
    text: str | None = None  # scans and OFD: every line the file prints, in order
    scan_variant: str | None = None  # scans: clean | noisy | lowres


class ManifestDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    site: str
    docid: int
    column_id: str
    column_path: list[str]
    title: str
    doc_number: str | None
    doc_number_raw: str | None
    index_number: str | None
    issuer: str
    written_date: date | None
    published_date: date
    topic: str | None
    validity: str | None
    keywords: list[str]
    cites: list[str]
    attachments: list[ManifestAttachment]
    body_scan: ManifestAttachment | None = None  # the image the detail page shows instead of a text body
    version: int
    status: Literal["active", "changed", "withdrawn"]
    robots_disallowed: bool
    not_found: bool  # permanent fault: listed but the detail page is 404
    giant: bool  # detail page padded to several MB


class PortalManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int
    docs: int
    epoch: int
    today: date
    faults: dict[str, SiteFaults]
    sites: list[ManifestSite]
    columns: list[ManifestColumn]
    documents: list[ManifestDocument]


def robots_disallow(site_id: str) -> list[str]:
    return ["/private/"] if site_id == "jinan-fgw" else []


def has_sitemap(site_id: str) -> bool:
    return site_id in ("jinan-gov", "jinan-fgw", "jinan-sthjj", "jinan-scjgj")


def site_entries(config: PortalConfig) -> list[ManifestSite]:
    return [
        ManifestSite(
            id=site.id,
            name=site.name,
            department=site.department,
            platform=site.platform,
            base_url=config.base_url(site.id),
            encoding=site.charset_label,
            robots_disallow=robots_disallow(site.id),
            has_sitemap=has_sitemap(site.id),
        )
        for site in SITES
    ]


def _status(kind: str, count: int, newest: date | None, today: date) -> Literal["ok", "blank", "stale"]:
    if count == 0 or newest is None:
        return "blank"
    return "stale" if (today - newest).days > STALE_AFTER_DAYS[kind] else "ok"


def column_entries(config: PortalConfig) -> list[ManifestColumn]:
    today = config.today_at()
    entries: list[ManifestColumn] = []
    for site in SITES:
        layout = site_layout(config, site.id)
        base = config.base_url(site.id).rstrip("/")
        live = [c for c in layout.columns if c.exists_at(config.epoch)]
        for column in live:
            leaves = _leaves_under(layout.columns, column, config.epoch)
            counts = [layout.visible_count(leaf.key, config.epoch) for leaf in leaves]
            dates = [d for leaf in leaves if (d := layout.newest_date(leaf.key, config.epoch)) is not None]
            count, newest = sum(counts), max(dates, default=None)
            entries.append(
                ManifestColumn(
                    id=column.slug,
                    number=column.number,
                    site=site.id,
                    name=column.name,
                    path=list(column.path),
                    url=base + column_path(site, column),
                    kind=column.kind,
                    leaf=column.is_leaf,
                    item_count=count,
                    newest_item_date=newest,
                    expected_status=_status(column.kind, count, newest, today),
                )
            )
    return entries


def _leaves_under(columns: tuple[ColumnDef, ...], column: ColumnDef, epoch: int) -> list[ColumnDef]:
    if column.is_leaf:
        return [column]
    found: list[ColumnDef] = []
    for key in column.children:
        if columns[key].exists_at(epoch):
            found.extend(_leaves_under(columns, columns[key], epoch))
    return found


def _attachment_entry(
    doc: Document, spec: AttachmentSpec, store: AttachmentStore | None, base_url: str
) -> ManifestAttachment:
    size: int | None = None
    sha: str | None = None
    if store is not None:
        size, sha = store.digest(doc.site, doc.docid, spec)
    return ManifestAttachment(
        url=base_url + spec.path,
        name=spec.name,
        media_type=spec.media_type,
        kind=spec.kind,
        size=size,
        sha256=sha,
        text_contains=spec.text_contains,
        text="\n".join(spec.lines) if spec.kind in ("scan", "ofd") else None,
        scan_variant=spec.variant,
    )


def document_entry(doc: Document, store: AttachmentStore | None, base_url: str) -> ManifestDocument:
    attachments = [_attachment_entry(doc, spec, store, base_url) for spec in doc.attachments]
    return ManifestDocument(
        url=base_url + doc.path,
        site=doc.site,
        docid=doc.docid,
        column_id=doc.column.slug,
        column_path=list(doc.column.path),
        title=doc.title,
        doc_number=doc.doc_number,
        doc_number_raw=doc.doc_number_raw,
        index_number=doc.index_number,
        issuer=doc.issuer,
        written_date=doc.written_date,
        published_date=doc.published_date,
        topic=doc.topic,
        validity=doc.validity,
        keywords=list(doc.keywords),
        cites=doc.cites,
        attachments=attachments,
        body_scan=_attachment_entry(doc, doc.body_scan, store, base_url) if doc.body_scan else None,
        version=doc.version,
        status=doc.status,
        robots_disallowed=doc.robots_disallowed,
        not_found=doc.not_found,
        giant=doc.giant,
    )


def iter_documents(
    config: PortalConfig, digests: bool | None = None, store: AttachmentStore | None = None
) -> Iterator[ManifestDocument]:
    """Every document of the portal at the config's epoch, site by site (streams; never holds all)."""
    with_digests = config.docs <= DIGEST_LIMIT if digests is None else digests
    if with_digests and store is None:
        store = AttachmentStore(config.seed, config.oversized_bytes, capacity=0)
    for site in SITES:
        base = config.base_url(site.id).rstrip("/")
        for index in range(site_total(config, site.id)):
            doc = document(config, site.id, index)
            if doc is not None:
                yield document_entry(doc, store if with_digests else None, base)


def build_manifest(config: PortalConfig, store: AttachmentStore | None = None) -> PortalManifest:
    return PortalManifest(
        seed=config.seed,
        docs=config.docs,
        epoch=config.epoch,
        today=config.today_at(),
        faults=config.faults,
        sites=site_entries(config),
        columns=column_entries(config),
        documents=list(iter_documents(config, store=store)),
    )


def write_manifest(config: PortalConfig, path: Path, digests: bool | None = None) -> int:
    """Write the manifest; ``.jsonl`` gives a header line then one document per line. Returns #documents."""
    header = PortalManifest(
        seed=config.seed,
        docs=config.docs,
        epoch=config.epoch,
        today=config.today_at(),
        faults=config.faults,
        sites=site_entries(config),
        columns=column_entries(config),
        documents=[],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8") as out:
        if path.suffix == ".jsonl":
            out.write(header.model_dump_json(exclude={"documents"}) + "\n")
            for entry in iter_documents(config, digests):
                out.write(entry.model_dump_json() + "\n")
                count += 1
        else:
            head = header.model_dump_json(exclude={"documents"})
            out.write(head[:-1] + ',"documents":[\n')
            for entry in iter_documents(config, digests):
                out.write(("," if count else "") + entry.model_dump_json() + "\n")
                count += 1
            out.write("]}\n")
    return count


def read_manifest(path: Path) -> PortalManifest:
    """Load a manifest written by write_manifest (JSON or JSONL)."""
    if path.suffix == ".jsonl":
        with path.open(encoding="utf-8") as handle:
            header = json.loads(handle.readline())
            header["documents"] = [json.loads(line) for line in handle if line.strip()]
        return PortalManifest.model_validate(header)
    return PortalManifest.model_validate_json(path.read_text(encoding="utf-8"))
