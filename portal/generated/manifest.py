"""Ground truth of generated sites, in the fixed portal's manifest models (so one scorer reads both)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from portal.generated.site import GenColumn, GenSite
from portal.generated.taxonomy import STALE_AFTER_DAYS
from portal.manifest import ManifestColumn, ManifestDocument, ManifestSite

PLATFORM = "generated"


class GeneratedManifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    seed: int
    today: date
    sites: list[ManifestSite]
    columns: list[ManifestColumn]
    documents: list[ManifestDocument]
    styles: dict[str, dict[str, str]]  # site id -> the markup choices (for variety checks and failure rows)


def _leaves(site: GenSite, column: GenColumn) -> list[GenColumn]:
    if column.is_leaf:
        return [column]
    return [leaf for key in column.children for leaf in _leaves(site, site.columns[key])]


def _status(kind: str, count: int, newest: date | None, today: date) -> Literal["ok", "blank", "stale"]:
    if count == 0 or newest is None:
        return "blank"
    return "stale" if (today - newest).days > STALE_AFTER_DAYS[kind] else "ok"  # type: ignore[index]


def site_manifest(
    site: GenSite, base_url: str
) -> tuple[ManifestSite, list[ManifestColumn], list[ManifestDocument]]:
    base = base_url.rstrip("/")
    entry = ManifestSite(
        id=site.id,
        name=site.name,
        department=site.department,
        platform=PLATFORM,
        base_url=base + "/",
        encoding=site.style.encoding,
        robots_disallow=[],
        has_sitemap=False,
    )
    columns = []
    for column in site.columns:
        leaves = _leaves(site, column)
        docs = [site.docs[i] for leaf in leaves for i in leaf.docs]
        newest = max((d.published_date for d in docs), default=None)
        columns.append(
            ManifestColumn(
                id=column.slug,
                number=column.key,
                site=site.id,
                name=column.name,
                path=list(column.path),
                url=base + site.column_url_path(column),
                kind=column.kind,
                leaf=column.is_leaf,
                item_count=len(docs),
                newest_item_date=newest,
                expected_status=_status(column.kind, len(docs), newest, site.today),
            )
        )
    documents = [
        ManifestDocument(
            url=base + doc.path,
            site=site.id,
            docid=doc.docid,
            column_id=site.columns[doc.column].slug,
            column_path=list(site.columns[doc.column].path),
            title=doc.title,
            doc_number=doc.doc_number,
            doc_number_raw=doc.doc_number_raw,
            index_number=doc.index_number,
            issuer=doc.issuer,
            written_date=doc.written_date,
            published_date=doc.published_date,
            topic=doc.topic,
            validity=None,
            keywords=[],
            cites=[],
            attachments=[],
            version=1,
            status="active",
            robots_disallowed=False,
            not_found=False,
            giant=False,
        )
        for doc in site.docs
    ]
    return entry, columns, documents


def build_manifest(seed: int, today: date, sites: list[tuple[GenSite, str]]) -> GeneratedManifest:
    """The manifest of generated sites served at the given base URLs."""
    manifest = GeneratedManifest(seed=seed, today=today, sites=[], columns=[], documents=[], styles={})
    for site, base_url in sites:
        entry, columns, documents = site_manifest(site, base_url)
        manifest.sites.append(entry)
        manifest.columns.extend(columns)
        manifest.documents.extend(documents)
        manifest.styles[site.id] = site.style.summary()
    return manifest
