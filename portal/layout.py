"""Arithmetic layout of a site's documents over its columns.

Every epoch-0 document of a site has an index ``i``; each leaf column owns a contiguous block of indices,
local rank 0 being the newest. Documents added at epoch 1 get indices after all epoch-0 documents, again in
per-column blocks. List pages are therefore computed without materialising any document.
"""

from __future__ import annotations

import hashlib
import random
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from portal.columns import ColumnDef, site_columns
from portal.config import PortalConfig
from portal.sites import SITES, site_spec

PROFILE_WEIGHT = {"busy": 6, "normal": 2, "stale": 1}
PROFILE_GAP_DAYS = {"busy": 1, "normal": 5, "stale": 9}
MAX_SPAN_DAYS = 4000
WITHDRAWN_RATE = 0.02
CHANGED_RATE = 0.03
ADDED_COLUMN_DOCS = 3


def unit_hash(*parts: object) -> float:
    """A deterministic number in [0, 1) from the given parts (independent of PYTHONHASHSEED)."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


@dataclass(frozen=True, slots=True)
class ColumnBlock:
    column: ColumnDef
    count0: int  # documents at epoch 0
    start0: int
    new_count: int  # documents added at epoch 1
    new_start: int
    newest0: date | None  # newest published date at epoch 0
    span_days: int

    def published_date(self, rank: int) -> date:
        assert self.newest0 is not None
        return self.newest0 - timedelta(days=(rank * self.span_days) // max(self.count0, 1))


@dataclass(slots=True)
class SiteLayout:
    site_id: str
    seed: int
    today: date
    epoch_days: int
    columns: tuple[ColumnDef, ...]
    blocks: dict[int, ColumnBlock]  # leaf key -> block
    total0: int
    total1: int
    _starts0: list[int] = field(default_factory=list)
    _keys0: list[int] = field(default_factory=list)
    _starts1: list[int] = field(default_factory=list)
    _keys1: list[int] = field(default_factory=list)
    _withdrawn: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ordered0 = sorted((b.start0, k) for k, b in self.blocks.items() if b.count0)
        self._starts0 = [start for start, _ in ordered0]
        self._keys0 = [key for _, key in ordered0]
        ordered1 = sorted((b.new_start, k) for k, b in self.blocks.items() if b.new_count)
        self._starts1 = [start for start, _ in ordered1]
        self._keys1 = [key for _, key in ordered1]

    def locate(self, index: int) -> tuple[ColumnBlock, int, bool] | None:
        """(block, local rank, is_new) of a document index, or None when out of range."""
        if 0 <= index < self.total0:
            key = self._keys0[bisect_right(self._starts0, index) - 1]
            block = self.blocks[key]
            return block, index - block.start0, False
        if self.total0 <= index < self.total1:
            key = self._keys1[bisect_right(self._starts1, index) - 1]
            block = self.blocks[key]
            return block, index - block.new_start, True
        return None

    def fate(self, index: int) -> str:
        """What happens to an epoch-0 document at epoch 1: 'kept', 'changed' or 'withdrawn'."""
        located = self.locate(index)
        if located is None or located[2]:
            return "kept"
        if located[0].column.removed_epoch == 1:
            return "withdrawn"
        roll = unit_hash(self.seed, self.site_id, index, "fate")
        if roll < WITHDRAWN_RATE:
            return "withdrawn"
        if roll < WITHDRAWN_RATE + CHANGED_RATE:
            return "changed"
        return "kept"

    def withdrawn_ranks(self, key: int) -> list[int]:
        """Sorted local ranks of the column's epoch-0 documents withdrawn at epoch 1."""
        if key not in self._withdrawn:
            block = self.blocks[key]
            self._withdrawn[key] = [
                rank for rank in range(block.count0) if self.fate(block.start0 + rank) == "withdrawn"
            ]
        return self._withdrawn[key]

    def visible_count(self, key: int, epoch: int) -> int:
        block = self.blocks.get(key)
        if block is None or not block.column.exists_at(epoch):
            return 0
        if epoch == 0:
            return block.count0
        return block.new_count + block.count0 - len(self.withdrawn_ranks(key))

    def visible_slice(self, key: int, epoch: int, start: int, stop: int) -> list[int]:
        """Document indices at list positions [start, stop) of a column, newest first."""
        total = self.visible_count(key, epoch)
        stop = min(stop, total)
        if start >= stop:
            return []
        block = self.blocks[key]
        if epoch == 0:
            return list(range(block.start0 + start, block.start0 + stop))
        result = [block.new_start + pos for pos in range(start, min(stop, block.new_count))]
        first_old = max(start, block.new_count) - block.new_count
        wanted = stop - max(start, block.new_count)
        if wanted <= 0:
            return result
        withdrawn = self.withdrawn_ranks(key)
        rank = _rank_of_visible(first_old, withdrawn)
        skip = bisect_left(withdrawn, rank)
        while wanted > 0:
            if skip < len(withdrawn) and withdrawn[skip] == rank:
                skip += 1
            else:
                result.append(block.start0 + rank)
                wanted -= 1
            rank += 1
        return result

    def newest_date(self, key: int, epoch: int) -> date | None:
        indices = self.visible_slice(key, epoch, 0, 1)
        if not indices:
            return None
        return self.published_date(indices[0])

    def published_date(self, index: int) -> date:
        located = self.locate(index)
        if located is None:
            raise IndexError(index)
        block, rank, is_new = located
        if is_new:
            top = self.today + timedelta(days=self.epoch_days)
            return top - timedelta(days=(rank * (self.epoch_days - 1)) // max(block.new_count, 1))
        return block.published_date(rank)


def _rank_of_visible(position: int, withdrawn: list[int]) -> int:
    """The rank of the `position`-th (0-based) rank that is not withdrawn.

    Iterates r = position + #withdrawn<=r from below; the least fixed point is never a withdrawn rank.
    """
    rank = position
    while True:
        candidate = position + bisect_right(withdrawn, rank)
        if candidate == rank:
            return rank
        rank = candidate


@lru_cache(maxsize=64)
def site_document_counts(docs: int) -> dict[str, int]:
    """Split the portal's documents over sites by weight (largest remainder, deterministic)."""
    total_weight = sum(site.weight for site in SITES)
    exact = [docs * site.weight / total_weight for site in SITES]
    counts = [int(value) for value in exact]
    order = sorted(range(len(SITES)), key=lambda n: (-(exact[n] - counts[n]), n))
    for n in order[: docs - sum(counts)]:
        counts[n] += 1
    return {site.id: count for site, count in zip(SITES, counts, strict=True)}


def _allocate(total: int, weights: list[int]) -> list[int]:
    if not weights:
        return []
    if total < len(weights):
        return [1 if n < total else 0 for n in range(len(weights))]
    counts = [1] * len(weights)
    rest = total - len(weights)
    weight_sum = sum(weights)
    exact = [rest * w / weight_sum for w in weights]
    floors = [int(value) for value in exact]
    counts = [c + f for c, f in zip(counts, floors, strict=True)]
    order = sorted(range(len(weights)), key=lambda n: (-(exact[n] - floors[n]), n))
    for n in order[: rest - sum(floors)]:
        counts[n] += 1
    return counts


def _newest_offset(rng: random.Random, column: ColumnDef) -> int:
    stale = column.profile == "stale"
    if column.kind == "news":
        return rng.randint(20, 120) if stale else rng.randint(0, 3 if column.profile == "busy" else 6)
    if column.kind == "notice_policy":
        return rng.randint(200, 500) if stale else rng.randint(0, 40)
    if stale:
        return rng.randint(400, 900)
    return rng.randint(0, 5) if column.profile == "busy" else rng.randint(0, 150)


@lru_cache(maxsize=64)
def _build_layout(
    site_id: str, seed: int, docs: int, today: date, epoch_days: int, churn: bool
) -> SiteLayout:
    columns = site_columns(site_id, churn)
    site_total = site_document_counts(docs)[site_id]
    leaves = [c for c in columns if c.is_leaf]
    holders = [c for c in leaves if c.profile != "blank" and c.added_epoch == 0]
    counts = dict(
        zip(
            (c.key for c in holders),
            _allocate(site_total, [PROFILE_WEIGHT[c.profile] for c in holders]),
            strict=True,
        )
    )
    blocks: dict[int, ColumnBlock] = {}
    start = 0
    for column in leaves:
        count = counts.get(column.key, 0)
        rng = random.Random(f"{seed}:{site_id}:column:{column.key}")
        newest = today - timedelta(days=_newest_offset(rng, column)) if count else None
        gap = PROFILE_GAP_DAYS.get(column.profile, 5)
        blocks[column.key] = ColumnBlock(column, count, start, 0, 0, newest, min(count * gap, MAX_SPAN_DAYS))
        start += count
    total0 = start
    for column in leaves:
        block = blocks[column.key]
        if column.added_epoch == 1:
            new_count = ADDED_COLUMN_DOCS
        elif column.profile in ("busy", "normal") and block.count0 and column.removed_epoch is None:
            new_count = max(1, -(-block.count0 * 5 // 100))
        else:
            new_count = 0
        blocks[column.key] = ColumnBlock(
            column, block.count0, block.start0, new_count, start, block.newest0, block.span_days
        )
        start += new_count
    return SiteLayout(site_id, seed, today, epoch_days, columns, blocks, total0, start)


def site_layout(config: PortalConfig, site_id: str) -> SiteLayout:
    faults = config.faults_for(site_id)
    site_spec(site_id)
    return _build_layout(
        site_id, config.seed, config.docs, config.today, config.epoch_days, bool(faults and faults.churn)
    )
