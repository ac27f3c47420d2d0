"""Generality score: crawl randomised department sites (`portal.generated`) with `platform: generic` and no
options, and compare what was harvested with their manifest.

Figures (all sites pooled):
- records recall: manifest documents archived / manifest documents;
- records precision: archived records that are manifest documents / archived records;
- fields: title, 文号, issuer, 成文日期, 发布日期, 索引号 equal to the manifest, over the recalled documents;
- column names: manifest columns found at their exact path (names from the catalogue's first level down) /
  (manifest columns + columns the crawl invented);
- audit statuses: manifest columns whose audited status (indexer.audit over the crawled tree, as of the
  manifest's today) is the expected one (ok / blank / stale); a column not found counts as wrong;
- audit kinds: the same for the kind (news / notice_policy / personnel_planning / other).

Used by tests/crawler/test_generality.py and bench/bench_generality.py.
"""

from __future__ import annotations

import os
import random
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from indexer.audit import audit_columns
from indexer.catalog import Catalog
from indexer.schema import Column
from portal.generated.manifest import GeneratedManifest
from portal.generated.server import GeneratedPortal
from tests.crawler.harness import FIELDS, archived_records, crawl_command, crawl_env

SEED_ENV = "GONGKAI_GENERALITY_SEED"
THRESHOLDS = {"recall": 0.98, "precision": 0.99, "fields": 0.95, "names": 0.95, "statuses": 0.95}


def chosen_seed() -> int:
    """`GONGKAI_GENERALITY_SEED` when set, else a fresh random seed (print it so a failure can be replayed)."""
    value = os.environ.get(SEED_ENV)
    return int(value) if value else random.SystemRandom().randrange(1, 10**9)


@dataclass
class SiteScore:
    site: str
    style: dict[str, str]
    expected: int = 0
    recalled: int = 0
    records: int = 0
    field_checks: int = 0
    fields_right: int = 0
    wrong_fields: dict[str, int] = field(default_factory=dict)
    columns: int = 0
    invented_columns: int = 0
    names_right: int = 0
    statuses_right: int = 0
    kinds_right: int = 0
    missing_columns: list[str] = field(default_factory=list)
    wrong_statuses: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.recalled / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.recalled / self.records if self.records else 1.0

    @property
    def fields(self) -> float:
        return self.fields_right / self.field_checks if self.field_checks else 1.0

    @property
    def names(self) -> float:
        total = self.columns + self.invented_columns
        return self.names_right / total if total else 1.0

    @property
    def statuses(self) -> float:
        return self.statuses_right / self.columns if self.columns else 1.0

    @property
    def kinds(self) -> float:
        return self.kinds_right / self.columns if self.columns else 1.0

    def perfect(self) -> bool:
        return all(
            getattr(self, name) == 1.0 for name in ("recall", "precision", "fields", "names", "statuses")
        )


@dataclass
class GeneralityScore:
    seed: int
    sites: list[SiteScore]
    crawl_returncode: int = 0
    crawl_output: str = ""

    def _pooled(self, numerator: str, denominator: str) -> float:
        top = sum(getattr(s, numerator) for s in self.sites)
        bottom = sum(getattr(s, denominator) for s in self.sites)
        return top / bottom if bottom else 1.0

    @property
    def recall(self) -> float:
        return self._pooled("recalled", "expected")

    @property
    def precision(self) -> float:
        return self._pooled("recalled", "records")

    @property
    def fields(self) -> float:
        return self._pooled("fields_right", "field_checks")

    @property
    def names(self) -> float:
        top = sum(s.names_right for s in self.sites)
        bottom = sum(s.columns + s.invented_columns for s in self.sites)
        return top / bottom if bottom else 1.0

    @property
    def statuses(self) -> float:
        return self._pooled("statuses_right", "columns")

    @property
    def kinds(self) -> float:
        return self._pooled("kinds_right", "columns")

    def figures(self) -> dict[str, float]:
        return {
            "recall": self.recall,
            "precision": self.precision,
            "fields": self.fields,
            "names": self.names,
            "statuses": self.statuses,
            "kinds": self.kinds,
        }

    def below_thresholds(self) -> dict[str, float]:
        figures = self.figures()
        return {name: figures[name] for name, minimum in THRESHOLDS.items() if figures[name] < minimum}

    def table(self) -> str:
        docs = sum(s.expected for s in self.sites)
        columns = sum(s.columns for s in self.sites)
        lines = [
            f"seed {self.seed} ({SEED_ENV}={self.seed} replays it): {len(self.sites)} sites, {docs} documents, "
            f"{columns} columns",
            "",
            "| figure | value | threshold |",
            "|---|---:|---:|",
        ]
        labels = {
            "recall": "records recall",
            "precision": "records precision",
            "fields": "fields accuracy",
            "names": "column names accuracy",
            "statuses": "audit status accuracy",
            "kinds": "audit kind accuracy",
        }
        for name, value in self.figures().items():
            minimum = THRESHOLDS.get(name)
            lines.append(f"| {labels[name]} | {value:.1%} | {f'{minimum:.0%}' if minimum else '-'} |")
        lines.append(f"| sites fully right | {sum(s.perfect() for s in self.sites)}/{len(self.sites)} | - |")
        return "\n".join(lines)

    def by_style(
        self, axes: Sequence[str] = ("tree", "list", "date", "pager", "urls", "metadata", "encoding")
    ) -> str:
        """Recall, fields, column names and statuses per markup choice: which shapes a crawler still misses."""
        lines = ["| choice | sites | recall | fields | names | statuses |", "|---|---:|---:|---:|---:|---:|"]
        for axis in axes:
            values = sorted({s.style.get(axis, "?") for s in self.sites})
            for value in values:
                group = GeneralityScore(self.seed, [s for s in self.sites if s.style.get(axis, "?") == value])
                lines.append(
                    f"| {axis}={value} | {len(group.sites)} | {group.recall:.1%} | {group.fields:.1%} | "
                    f"{group.names:.1%} | {group.statuses:.1%} |"
                )
        return "\n".join(lines)

    def site_rows(self, only_failing: bool = True) -> str:
        header = (
            "| site | recall | precision | fields | names | statuses | kinds | style | missing columns | "
            "wrong statuses | wrong fields |\n|---|---:|---:|---:|---:|---:|---:|---|---|---|---|"
        )
        rows = [
            f"| {s.site} | {s.recall:.0%} ({s.recalled}/{s.expected}) | {s.precision:.0%} ({s.records}) | "
            f"{s.fields:.0%} | {s.names:.0%} (+{s.invented_columns}) | {s.statuses:.0%} | {s.kinds:.0%} | "
            f"{' '.join(f'{k}={v}' for k, v in s.style.items())} | {'; '.join(s.missing_columns[:4])} | "
            f"{'; '.join(s.wrong_statuses[:4])} | {', '.join(f'{k}:{n}' for k, n in s.wrong_fields.items())} |"
            for s in self.sites
            if not (only_failing and s.perfect())
        ]
        return "\n".join([header, *rows])


def write_site_files(manifest: GeneratedManifest, directory: Path) -> None:
    """One site file per generated site, as a new user writes it: base URL and `platform: generic`, no options."""
    directory.mkdir(parents=True, exist_ok=True)
    for site in manifest.sites:
        data = {
            "id": site.id,
            "name": site.name,
            "department": site.department,
            "platform": "generic",
            "base_url": site.base_url,
            "download_delay": 0,
            "concurrency": 8,
        }
        (directory / f"{site.id}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def crawl(manifest: GeneratedManifest, work: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    sites_dir = work / "sites"
    write_site_files(manifest, sites_dir)
    env = crawl_env()
    env["GONGKAI_SITES_DIR"] = str(sites_dir)
    return subprocess.run(
        crawl_command(work / "data", {}, index=False),
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def score(manifest: GeneratedManifest, data_dir: Path, seed: int) -> GeneralityScore:
    """Score what a crawl left in `data_dir` (archived records, catalogue columns)."""
    records = archived_records(data_dir) if (data_dir / "warc").is_dir() else {}
    catalogue = data_dir / "catalog.sqlite3"
    crawled_columns: list[Column] = []
    if catalogue.exists():
        with Catalog(catalogue) as catalog:
            crawled_columns = catalog.columns()
    return score_harvest(manifest, records, crawled_columns, seed)


def score_harvest(
    manifest: GeneratedManifest, records: Mapping[str, Any], crawled_columns: list[Column], seed: int
) -> GeneralityScore:
    """Score harvested records (by URL; anything with `site` and the compared fields) and crawled columns."""
    audits = {
        (a.site, tuple(a.path)): a
        for a in audit_columns(_without_entry_prefix(manifest, crawled_columns), manifest.today)
    }
    by_site: dict[str, SiteScore] = {
        s.id: SiteScore(s.id, manifest.styles.get(s.id, {})) for s in manifest.sites
    }
    for record in records.values():
        if record.site in by_site:
            by_site[record.site].records += 1
    for doc in manifest.documents:
        site = by_site[doc.site]
        site.expected += 1
        record = records.get(doc.url)
        if record is None:
            continue
        site.recalled += 1
        for name in FIELDS:
            site.field_checks += 1
            if getattr(record, name) == getattr(doc, name):
                site.fields_right += 1
            else:
                site.wrong_fields[name] = site.wrong_fields.get(name, 0) + 1
    wanted = {(c.site, tuple(c.path)) for c in manifest.columns}
    for column in manifest.columns:
        site = by_site[column.site]
        site.columns += 1
        audit = audits.get((column.site, tuple(column.path)))
        if audit is None:
            site.missing_columns.append("/".join(column.path))
            continue
        site.names_right += 1
        site.kinds_right += audit.kind.value == column.kind
        if audit.status.value == column.expected_status:
            site.statuses_right += 1
        else:
            site.wrong_statuses.append(
                f"{'/'.join(column.path)}: {audit.status.value}≠{column.expected_status}"
            )
    for key in audits:
        if key[0] in by_site and key not in wanted:
            by_site[key[0]].invented_columns += 1
    return GeneralityScore(seed, list(by_site.values()))


def _without_entry_prefix(manifest: GeneratedManifest, columns: list[Column]) -> list[Column]:
    """Column paths start at the catalogue's first level. A crawl that hangs the whole tree under the link it
    entered by (信息公开, or 政务公开 > 政府信息公开目录) keeps the hierarchy too: that prefix is dropped when
    every column of the site has it, and the entry column itself is not counted as a column."""
    by_site: dict[str, list[Column]] = {}
    for column in columns:
        by_site.setdefault(column.site, []).append(column)
    kept: list[Column] = []
    for site, site_columns in by_site.items():
        entry = [part for part in manifest.styles.get(site, {}).get("catalogue", "").split(">") if part]
        prefixes = [entry[i:j] for i in range(len(entry)) for j in range(len(entry), i, -1)]
        for prefix in prefixes:
            if all(c.path[: len(prefix)] == prefix for c in site_columns):
                site_columns = [
                    c.model_copy(update={"path": c.path[len(prefix) :]})
                    for c in site_columns
                    if len(c.path) > len(prefix)
                ]
                break
        kept.extend(site_columns)
    return kept


@contextmanager
def _workdir(work: Path | None) -> Iterator[Path]:
    if work is not None:
        yield work
        return
    with tempfile.TemporaryDirectory(prefix="gongkai-generality-") as name:
        yield Path(name)


def run_generality(
    seed: int, sites: int | Sequence[int], work: Path | None = None, timeout: float = 900
) -> GeneralityScore:
    """Serve `sites` generated sites (a count, or site numbers), crawl them all in one `gongkai crawl`, score against the manifest."""
    with GeneratedPortal(seed, sites) as portal, _workdir(work) as folder:
        manifest = portal.manifest()
        result = crawl(manifest, folder, timeout=timeout)
        scored = score(manifest, folder / "data", seed)
    scored.crawl_returncode = result.returncode
    scored.crawl_output = result.stdout[-4000:] + result.stderr[-4000:]
    return scored
