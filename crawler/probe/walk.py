"""The probe walk: the site's own adapter (crawler.adapters) driven request by request through a polite
fetcher instead of the Scrapy engine. Breadth first within the budget: the column tree, then the first list
page of every column, then one sample document per column, then further list pages to complete counts."""

from __future__ import annotations

import heapq
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response, TextResponse

from crawler.adapters import adapter_class
from crawler.adapters.base import ColumnRef, ListResult, PlatformAdapter
from crawler.extraction.detail import extract_detail
from crawler.extraction.page import ExtractionHints
from crawler.probe.detect import detect_platform
from crawler.probe.fetch import BudgetExhausted, PoliteFetcher, ProbeError
from crawler.probe.models import Detection, ProbedColumn, ProbeReport, SampleDocument
from crawler.sites import SiteConfig
from indexer.audit import audit_columns
from indexer.schema import Column

SAMPLE_FIELDS = ("title", "doc_number", "index_number", "issuer", "written_date", "published_date", "topic")
_TREE, _FIRST_LIST, _SAMPLE, _MORE_LIST = 0, 1, 2, 3


@dataclass
class ProbeOptions:
    url: str
    budget: int = 150
    delay: float = 0.5
    timeout: float = 20.0
    obey_robots: bool = True
    platform: str | None = None  # force a platform (e.g. a plugin's) instead of detecting one
    site_id: str | None = None
    name: str | None = None
    as_of: date | None = None
    samples: bool = True
    progress: Callable[[str], None] | None = None


class _Collector:
    """What adapters report through `spider.context.collector` (errors, skips), kept as problems."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def error(self, kind: str, message: str = "") -> None:
        self.problems.append(f"{kind}: {message}" if message else kind)

    def skip(self, kind: str, message: str = "") -> None:
        self.error(f"skipped {kind}", message)


class _Context:
    def __init__(self) -> None:
        self.collector = _Collector()


class ProbeSpider:
    """Stands in for the DisclosureSpider an adapter is built with: its callbacks only mark a request's kind
    here (the probe routes by `meta["kind"]`), and what the adapter reports lands in `context.collector`."""

    def __init__(self, site: SiteConfig) -> None:
        self.site = site
        self.context = _Context()

    def _noop(self, *_args: Any, **_kwargs: Any) -> None:
        return None

    parse_tree = tree_failed = probe_failed = parse_list = list_failed = _noop
    parse_detail = detail_failed = parse_attachment = attachment_failed = _noop


@dataclass
class _ColumnState:
    ref: ColumnRef
    listable: bool
    entries: int = 0
    total: int | None = None
    pages: int = 0
    newest: date | None = None
    finished: bool = False
    first_entry: str | None = None
    sample: SampleDocument | None = None
    problems: list[str] = field(default_factory=list)


def derive_site_id(url: str) -> str:
    host = urlsplit(url).hostname or "site"
    labels = [label for label in host.lower().split(".") if label not in ("www", "gov", "cn", "com", "org")]
    slug = re.sub(r"[^a-z0-9-]+", "-", "-".join(labels) or host).strip("-")
    return slug or "site"


def _base_and_start(url: str) -> tuple[str, list[str]]:
    parts = urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}/"
    path = parts.path.lstrip("/")
    return base, [path] if path else []


def _title(response: TextResponse) -> str:
    title = " ".join("".join(response.css("title::text").getall()).split())
    for separator in ("_", "-", "|", "—"):
        if separator in title:
            title = title.split(separator)[-1].strip() or title  # "首页_济南市教育局": the site name is last
    return title


class _Walk:
    def __init__(self, options: ProbeOptions, fetcher: PoliteFetcher) -> None:
        self.options = options
        self.fetcher = fetcher
        self.queue: list[tuple[int, int, Request]] = []
        self.order = itertools.count()
        self.columns: dict[str, _ColumnState] = {}
        self.problems: list[str] = []
        self.exhausted = False

    def items_listed(self) -> int:
        return sum(state.entries for state in self.columns.values())

    # queue -------------------------------------------------------------------------------------------------
    def push(self, priority: int, request: Request) -> None:
        heapq.heappush(self.queue, (priority, next(self.order), request))

    def run(self, adapter: PlatformAdapter) -> None:
        self.adapter = adapter
        for request in adapter.tree_requests():
            self.push(_TREE, request)
        while self.queue:
            _priority, _n, request = heapq.heappop(self.queue)
            try:
                response = self.fetcher.fetch(request)
            except BudgetExhausted:
                self.exhausted = True
                break
            except ProbeError as error:
                self._failed(request, str(error))
                continue
            if response.status >= 400:
                self._failed(request, f"HTTP {response.status} at {request.url}")
                continue
            kind = request.meta.get("kind")
            try:
                if kind == "tree":
                    self._tree(response)
                elif kind == "list":
                    self._list(response)
                elif kind == "sample":
                    self._sample(response)
            except Exception as error:  # a page the adapter cannot read is a finding, not a crash
                self._failed(request, f"{request.url}: {error!r}")

    def _failed(self, request: Request, message: str) -> None:
        column: ColumnRef | None = request.meta.get("column")
        state = self.columns.get(column.id) if column else None
        if state is not None:
            state.finished = True
            if request.meta.get("kind") == "sample":
                state.sample = SampleDocument(url=request.url, error=message)
            else:
                state.problems.append(message)
        else:
            self.problems.append(message)

    # tree --------------------------------------------------------------------------------------------------
    def _tree(self, response: Response) -> None:
        result = self.adapter.parse_tree(response)
        for request in result.requests:
            self.push(_TREE, request)
        self._add_columns(result.columns)

    def _add_columns(self, columns: list[ColumnRef]) -> None:
        site = self.adapter.site
        for column in columns:
            if column.id in self.columns or site.skips(list(column.path)):
                continue
            if len(column.path) > site.max_depth:
                self.problems.append(f"column tree deeper than {site.max_depth}: {'/'.join(column.path)}")
                continue
            state = _ColumnState(ref=column, listable=column.listable)
            self.columns[column.id] = state
            if column.listable:
                self._request_list(state, 1, None, _FIRST_LIST)

    # lists -------------------------------------------------------------------------------------------------
    def _request_list(self, state: _ColumnState, page: int, url: str | None, priority: int) -> None:
        request = self.adapter.list_request(state.ref, page, url)
        if request is None:
            state.finished = True
            return
        request.meta["column"] = state.ref
        self.push(priority, request)

    def _list(self, response: Response) -> None:
        column: ColumnRef = response.meta["column"]
        page: int = response.meta["page"]
        state = self.columns[column.id]
        state.pages += 1
        result: ListResult = self.adapter.parse_list(response, column, page)
        if result.children is not None:
            state.listable = False
            state.finished = True
            self._add_columns(result.children)
            return
        state.entries += len(result.entries)
        if result.total_items is not None:
            state.total = result.total_items
        days = [entry.day for entry in result.entries if entry.day]
        if days:
            state.newest = max([*days, *([state.newest] if state.newest else [])])
        if result.entries and state.first_entry is None:
            state.first_entry = result.entries[0].url
            netloc = self.adapter.site.netloc  # in scope only; robots.txt of the site is known by now
            allowed = [
                e.url
                for e in result.entries
                if urlsplit(e.url).netloc.lower() == netloc and self.fetcher.allowed(e.url)
            ]
            if self.options.samples and allowed:
                self.push(
                    _SAMPLE, Request(allowed[0], dont_filter=True, meta={"kind": "sample", "column": column})
                )
        more = result.next_page is not None or result.next_url is not None
        if not more or page >= self.adapter.site.max_pages_per_column:
            state.finished = True
            return
        if state.total is not None and state.first_entry is not None:
            state.finished = True  # the platform told the count and the newest item is known
            return
        # a column still without entries (e.g. a Hanweb page whose records come from its data proxy) goes on
        # at first-list priority; counting pages come last
        priority = _FIRST_LIST if state.first_entry is None else _MORE_LIST
        self._request_list(state, result.next_page or page + 1, result.next_url, priority)

    # samples -----------------------------------------------------------------------------------------------
    def _sample(self, response: Response) -> None:
        column: ColumnRef = response.meta["column"]
        state = self.columns[column.id]
        hints = self.adapter.hints()
        extracted = extract_detail(
            response.body,
            response.headers.get(b"Content-Type", b"").decode("latin-1") or None,
            response.url,
            ExtractionHints(
                title_selector=hints.title_selector,
                body_selector=hints.body_selector,
                metadata_selector=hints.metadata_selector,
                drop_selectors=list(hints.drop_selectors),
            ),
            site=self.adapter.site.id,
            column=list(column.path),
            category=self.adapter.site.category_for(list(column.path)),
            fetched_at=datetime.now(UTC),
        )
        record = extracted.record_json
        fields = {name: record.get(name) for name in SAMPLE_FIELDS if record.get(name)}
        state.sample = SampleDocument(
            url=response.url,
            fields=fields,
            missing=[name for name in SAMPLE_FIELDS if name not in fields],
            attachments=len(extracted.links),
            body_chars=len(record.get("body_text") or ""),
            error="; ".join(extracted.decode_problems) or None,
        )


def _fetch_home(fetcher: PoliteFetcher, url: str) -> TextResponse:
    response = fetcher.fetch(Request(url, dont_filter=True))
    if response.status >= 400:
        raise ProbeError(f"{url} answered HTTP {response.status}")
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if not isinstance(response, TextResponse) or not (
        "html" in content_type or response.text.lstrip()[:1] == "<"
    ):
        raise ProbeError(f"{url} is not an HTML page (Content-Type: {content_type or 'none'})")
    return response


def probe_site(options: ProbeOptions) -> ProbeReport:
    """Probe one site from its URL. Raises ProbeError when the home page cannot be read at all."""
    parts = urlsplit(options.url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ProbeError(f"not an absolute http(s) URL: {options.url!r}")
    with PoliteFetcher(
        budget=options.budget,
        delay=options.delay,
        timeout=options.timeout,
        obey_robots=options.obey_robots,
        progress=options.progress,
    ) as fetcher:
        home = _fetch_home(fetcher, options.url)

        def peek(url: str) -> Response | None:
            try:
                return fetcher.fetch(Request(url, dont_filter=True))
            except ProbeError:
                return None

        if options.platform:
            detection = Detection(platform=options.platform, pages_checked=[home.url], forced=True)
        else:
            detection = detect_platform(home, peek)
        site, spider, walk = _walk_site(options, fetcher, home, detection.platform)
        if not detection.forced and detection.platform != "generic" and not walk.items_listed():
            # a platform's fingerprint (a TRS pager, a URL shape) on a template its adapter cannot read
            detection.fallback_from = detection.platform
            detection.platform = "generic"
            site, spider, walk = _walk_site(options, fetcher, home, "generic")
        as_of = options.as_of or date.today()
        return ProbeReport(
            url=options.url,
            site=site.model_dump(mode="json", exclude_defaults=True, exclude={"source"})
            | {"platform": site.platform},
            detection=detection,
            as_of=as_of,
            budget=fetcher.budget,
            requests_used=fetcher.used,
            budget_exhausted=walk.exhausted,
            columns=_columns(site, walk, as_of),
            problems=[*walk.problems, *spider.context.collector.problems],
        )


def _walk_site(
    options: ProbeOptions, fetcher: PoliteFetcher, home: TextResponse, platform: str
) -> tuple[SiteConfig, ProbeSpider, _Walk]:
    base_url, start_paths = _base_and_start(home.url)
    adapter_type = adapter_class(platform)
    if tuple(start_paths) == adapter_type.default_start_paths or platform == "gkmlpt":
        start_paths = []
    name = options.name or _title(home) or urlsplit(base_url).netloc
    site = SiteConfig(
        id=options.site_id or derive_site_id(base_url),
        name=name,
        department=name,
        platform=platform,
        base_url=base_url,
        start_paths=start_paths,
        download_delay=max(options.delay, 0.5),
    )
    spider = ProbeSpider(site)
    walk = _Walk(options, fetcher)
    walk.run(adapter_type(site, spider))  # type: ignore[arg-type]
    return site, spider, walk


def _columns(site: SiteConfig, walk: _Walk, as_of: date) -> list[ProbedColumn]:
    states = list(walk.columns.values())
    snapshots = [
        Column(
            id=s.ref.id,
            site=site.id,
            name=s.ref.name,
            path=list(s.ref.path),
            url=s.ref.url,
            item_count=s.total if s.total is not None else s.entries,
            newest_item_date=s.newest,
        )
        for s in states
    ]
    audits = audit_columns(snapshots, as_of)
    exact_by_prefix = {
        tuple(s.ref.path): (s.total is not None or s.finished or not s.listable) and not s.problems
        for s in states
    }
    probed = []
    for state, audit in zip(states, audits, strict=True):
        path = tuple(state.ref.path)
        exact = all(ok for other, ok in exact_by_prefix.items() if other[: len(path)] == path)
        status, reason = audit.status.value, audit.reason
        if not exact and audit.item_count == 0:
            status, reason = "unknown", "not read completely (budget or a failed page): cannot tell blank"
        probed.append(
            ProbedColumn(
                id=state.ref.id,
                name=state.ref.name,
                path=list(path),
                url=state.ref.url,
                listable=state.listable,
                is_leaf=audit.is_leaf,
                item_count=audit.item_count,
                count_exact=exact,
                pages_read=state.pages,
                newest_item_date=audit.newest_item_date,
                kind=audit.kind.value,
                kind_rule=audit.kind_rule,
                status=status,
                reason=reason,
                sample=state.sample,
                problems=state.problems,
            )
        )
    return sorted(probed, key=lambda c: _tree_order(c, probed))


def _tree_order(column: ProbedColumn, columns: list[ProbedColumn]) -> tuple[int, ...]:
    """Discovery order, children right under their parent."""
    index = {tuple(c.path): i for i, c in enumerate(columns)}
    return tuple(
        index.get(tuple(column.path[: depth + 1]), len(columns)) for depth in range(len(column.path))
    )
