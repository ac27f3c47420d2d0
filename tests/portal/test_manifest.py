"""The manifest is deterministic, internally consistent and realistic enough to exercise the product."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from portal.config import PortalConfig
from portal.manifest import PortalManifest, build_manifest, iter_documents, read_manifest, write_manifest

CONFIG = PortalConfig(seed=11, docs=600)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def big_manifest() -> PortalManifest:
    return build_manifest(CONFIG)


SNAPSHOT = """
import hashlib, sys
from pathlib import Path
from portal.config import PortalConfig
from portal.manifest import iter_documents, write_manifest
from portal.platforms.base import RequestInfo
from portal.routing import route
config = PortalConfig(seed=11, docs=150)
out = Path(sys.argv[1])
write_manifest(config, out / "manifest.json")
pages = hashlib.sha256()
for doc in iter_documents(config, digests=False):
    path = doc.url.split(":181", 1)[1][2:]
    pages.update(route(config, doc.site, RequestInfo("GET", path)).body.encode())
(out / "pages.sha256").write_text(pages.hexdigest())
"""


def test_same_seed_same_manifest_and_pages_across_processes(tmp_path: Path) -> None:
    """Separate interpreters with different hash seeds (no shared caches) produce identical bytes."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, "-c", SNAPSHOT, str(out)], check=True, env=env, cwd=ROOT)
        outputs.append(((out / "manifest.json").read_bytes(), (out / "pages.sha256").read_text()))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0]) > 10_000


def test_different_seed_differs(big_manifest: PortalManifest) -> None:
    other = build_manifest(PortalConfig(seed=12, docs=600))
    assert len(other.documents) == len(big_manifest.documents)
    titles = [d.title for d in big_manifest.documents]
    other_titles = [d.title for d in other.documents]
    assert sum(a != b for a, b in zip(titles, other_titles, strict=True)) > len(titles) // 2


def test_document_count_and_ids(big_manifest: PortalManifest) -> None:
    assert len(big_manifest.documents) == 600
    assert len({d.url for d in big_manifest.documents}) == 600
    numbers = [d.doc_number for d in big_manifest.documents if d.doc_number]
    assert len(numbers) == len(set(numbers)), "canonical numbers are unique across the portal"


def test_column_statuses_trigger_the_veto_rules(big_manifest: PortalManifest) -> None:
    blank = Counter(c.site for c in big_manifest.columns if c.leaf and c.expected_status == "blank")
    stale_first_rule = Counter(
        c.site
        for c in big_manifest.columns
        if c.leaf and c.expected_status == "stale" and c.kind in ("news", "notice_policy")
    )
    assert max(blank.values()) >= 5
    assert max(stale_first_rule.values()) >= 5
    assert {c.kind for c in big_manifest.columns} == {"news", "notice_policy", "personnel_planning", "other"}
    for site in big_manifest.sites:
        leaves = [c for c in big_manifest.columns if c.site == site.id and c.leaf]
        assert 10 <= len(leaves) <= 25
        assert any(c.expected_status == "ok" for c in leaves)


def test_column_counts_and_dates_match_documents(big_manifest: PortalManifest) -> None:
    today = big_manifest.today
    for column in big_manifest.columns:
        docs = [
            d
            for d in big_manifest.documents
            if d.site == column.site and d.column_path[: len(column.path)] == column.path
        ]
        assert column.item_count == len(docs), column
        newest = max((d.published_date for d in docs), default=None)
        assert column.newest_item_date == newest
        if column.expected_status == "stale":
            assert newest is not None and (today - newest).days > 14


def test_realistic_variety(big_manifest: PortalManifest) -> None:
    docs = big_manifest.documents
    numbered = [d for d in docs if d.doc_number]
    odd = [d for d in numbered if d.doc_number_raw != d.doc_number]
    assert 0.25 <= len(odd) / len(numbered) <= 0.55
    assert any("令第" in d.doc_number for d in numbered)
    assert any("、" in d.issuer for d in docs), "joint documents"
    assert any(d.written_date and d.written_date < date(2011, 1, 1) for d in docs), "back-filled documents"
    assert any(d.doc_number is None for d in docs)
    held = {d.doc_number for d in numbered}
    cited = [c for d in docs for c in d.cites]
    assert any(c in held for c in cited) and any(c not in held for c in cited)
    assert "国办发〔2014〕12号" in cited or "鲁政办发〔2014〕22号" in cited
    for doc in docs:
        assert doc.doc_number not in doc.cites
        assert len(doc.cites) == len(set(doc.cites))
    kinds = Counter(a.kind for d in docs for a in d.attachments)
    assert {"pdf", "docx", "xlsx", "corrupt", "oversized"} <= set(kinds)


def test_iter_documents_streams() -> None:
    stream = iter_documents(PortalConfig(seed=3, docs=40), digests=False)
    assert isinstance(stream, types.GeneratorType)
    first = next(stream)
    assert first.site == "jinan-gov"
    assert all(a.sha256 is None for d in stream for a in d.attachments)


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_write_and_read_manifest_round_trip(tmp_path: Path, suffix: str) -> None:
    config = PortalConfig(seed=5, docs=120)
    path = tmp_path / f"manifest{suffix}"
    assert write_manifest(config, path) == 120
    assert read_manifest(path).model_dump() == build_manifest(config).model_dump()
