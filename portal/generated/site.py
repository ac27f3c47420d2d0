"""One randomised department site, drawn from (seed, number): its look (tags, class names, list and pager
shapes, label spellings, encoding), its column tree and its documents. A pure function of its inputs; nothing
here is shared with the five fixed platform styles except the text and number machinery."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache

from portal import text
from portal.generated.taxonomy import (
    CATALOGUE_LINKS,
    GATEWAY_LINKS,
    GATEWAY_TARGETS,
    GROUPS,
    LEAVES,
    ROOTS,
    STALE_AFTER_DAYS,
    Kind,
)
from portal.numbers import canonical_bracket_number, raw_bracket_number

CITIES: tuple[tuple[str, str], ...] = (
    ("泰安市", "泰"),
    ("临沂市", "临"),
    ("潍坊市", "潍"),
    ("淄博市", "淄"),
    ("德州市", "德"),
    ("聊城市", "聊"),
    ("烟台市", "烟"),
    ("威海市", "威"),
    ("日照市", "日"),
    ("滨州市", "滨"),
    ("菏泽市", "菏"),
    ("枣庄市", "枣"),
    ("东营市", "东"),
    ("济宁市", "济宁"),
    ("宁阳县", "宁"),
    ("肥城市", "肥"),
    ("沂南县", "沂南"),
    ("高密市", "高"),
)
DEPARTMENTS: tuple[tuple[str, str], ...] = (
    ("教育局", "教"),
    ("财政局", "财"),
    ("民政局", "民"),
    ("人力资源和社会保障局", "人社"),
    ("自然资源和规划局", "自然资源"),
    ("交通运输局", "交"),
    ("农业农村局", "农"),
    ("商务局", "商"),
    ("文化和旅游局", "文旅"),
    ("卫生健康委员会", "卫健"),
    ("应急管理局", "应急"),
    ("审计局", "审"),
    ("统计局", "统"),
    ("医疗保障局", "医保"),
    ("水务局", "水"),
    ("住房和城乡建设局", "建"),
    ("司法局", "司"),
    ("人民政府", "政"),
)
# Class names and ids the five fixed styles use: a generated site never uses them.
FIXED_STYLE_NAMES = frozenset(
    [
        "TRS_Editor",
        "TRS_PreAppend",
        "article",
        "article-content",
        "article-title",
        "attachments",
        "bd1",
        "bt",
        "bt-data-time",
        "classify",
        "column-block",
        "date",
        "editor",
        "empty",
        "footer",
        "fy",
        "gkmlpt",
        "home",
        "info",
        "list",
        "list-box",
        "list-right",
        "list-ul",
        "list_right",
        "logo",
        "main",
        "main-nav",
        "main-txt",
        "newslist",
        "page",
        "pages-date",
        "pagination",
        "position",
        "related-links",
        "related-more",
        "share-bar",
        "side-box",
        "source",
        "sub-columns",
        "sub-title",
        "table-header",
        "td-label",
        "td-value",
        "text",
        "title",
        "top-bar",
        "tree",
        "xxgk-info",
        "xxgk-table",
        "xxgk_table",
        "xxgk_top",
        "UCAP-CONTENT",
        "zoom",
    ]
)
NEXT_TEXTS = ("下一页", "下页", "后页", "后一页", ">", "›", "»", "Next", "下一页>>", "[下一页]")
PREV_TEXTS = {
    "下一页": "上一页",
    "下页": "上页",
    "后页": "前页",
    "后一页": "前一页",
    ">": "<",
    "›": "‹",
    "»": "«",
}
EMPTY_MARKERS = ("暂无数据", "暂无信息", "没有记录", "共0条", "")
LIST_KINDS = ("ul", "ol", "table", "divrows", "dl", "script")
TREE_KINDS = ("ul", "dl", "div", "script")
PAGER_KINDS = ("next_text", "numbered", "trs_literal", "trs_var", "total_template")
URL_FAMILIES = ("index_n", "index_n1", "list_n", "page_query", "pageno_query")
DATE_SHAPES = ("iso", "slash", "cjk", "mmdd", "bracket_iso")
METADATA_KINDS = ("table2", "table4", "divrows", "dl", "lines")
DETAIL_URL_KINDS = ("ym_id", "content_id", "ymd_tok", "query_id")

LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索 引 号", "索\u3000引\u3000号", "信息索引号", "索引号\u00a0"),
    "doc_number": ("发文字号", "文号", "文\u3000\u3000号", "文\u00a0\u00a0号", "发文文号", "文件编号"),
    "issuer": ("发布机构", "发文机关", "发文单位", "发布单位", "发布机关"),
    "written_date": ("成文日期", "生成日期", "发文日期", "成文时间"),
    "published_date": ("发布日期", "公开日期", "发布时间"),
    "title": ("标题", "名称", "文件名称", "标\u3000\u3000题"),
    "topic": ("主题分类", "信息分类", "组配分类"),
}
TOPIC_SOURCES = tuple(text.TOPICS_BY_SITE)


@dataclass(frozen=True, slots=True)
class Style:
    """Every markup choice of one site."""

    encoding: str  # utf-8 | gbk
    header_charset: bool  # Content-Type names the charset (else only <meta>)
    tokens: dict[str, str]  # role -> random class/id name
    wrapper_tag: str  # div | section
    catalogue_text: str
    catalogue_path: str
    tree_kind: str
    tree_on_column_pages: bool
    list_kind: str
    date_shape: str
    date_in_own_element: bool  # ul/ol/divrows: date in a span (else plain text after the link)
    truncate_titles: bool
    href_kind: str  # relative | rooted | absolute
    pager_kind: str
    url_family: str
    next_text: str
    per_page: int
    metadata_kind: str
    label_colon: str
    title_tag_shape: str  # "{title}_{site}" and friends
    detail_url_kind: str
    breadcrumb: bool
    # Drawn from a second random stream (so adding them left the earlier choices of every seed unchanged):
    home_latest: bool = False  # home page shows the newest documents and a 更多 link to their column
    next_on_last_page: bool = False  # the last page's next link points to itself (a loop to bound)
    label_spans: bool = False  # some labels are printed one <span> per character
    gateway_text: str | None = None  # home links here first; this page links on to the catalogue
    hot_block: bool = False  # every column page: a dated list of the site's newest documents (furniture)
    table_extra_cells: bool = False  # table lists also show 序号 and 文号 cells

    def summary(self) -> dict[str, str]:
        """The choices a variety test or a failure row wants to see."""
        return {
            "encoding": self.encoding,
            "tree": self.tree_kind,
            "list": self.list_kind,
            "date": self.date_shape,
            "pager": self.pager_kind,
            "urls": self.url_family,
            "next": self.next_text,
            "metadata": self.metadata_kind,
            "catalogue": ">".join(filter(None, (self.gateway_text, self.catalogue_text))),
            "extras": "+".join(
                name
                for name, on in (
                    ("gateway", self.gateway_text),
                    ("home-latest", self.home_latest),
                    ("hot-list", self.hot_block),
                    ("next-loop", self.next_on_last_page),
                    ("label-spans", self.label_spans),
                    ("side-tree", self.tree_on_column_pages),
                )
                if on
            )
            or "-",
        }


@dataclass(slots=True)
class GenColumn:
    key: int
    name: str
    path: tuple[str, ...]
    kind: Kind
    parent: int | None
    slug: str
    linked: bool = True  # parents may be a span/em without a link
    children: list[int] = field(default_factory=list)
    docs: list[int] = field(default_factory=list)  # document indices, newest first
    state: str = "ok"  # ok | blank | stale (leaves)
    empty_marker: str = ""

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True, slots=True)
class GenDoc:
    index: int
    docid: int
    column: int
    title: str
    is_news: bool
    doc_number: str | None
    doc_number_raw: str | None
    index_number: str | None
    issuer: str
    written_date: date | None
    published_date: date
    published_time: str  # HH:MM
    topic: str | None
    path: str
    paragraphs: tuple[str, ...]
    label_choice: tuple[int, ...]  # which spelling of each label this page prints
    date_format: int


@dataclass(slots=True)
class GenSite:
    seed: int
    number: int
    id: str
    name: str
    department: str
    org_code: str
    style: Style
    columns: list[GenColumn]
    docs: list[GenDoc]
    today: date

    def column_url_path(self, column: GenColumn, page: int = 1) -> str:
        """Site-relative URL of a column's page `page` (1-based)."""
        base = f"/{self.style.tokens['colroot']}/{column.slug}/"
        if not column.is_leaf:
            return base + "index.html"
        family = self.style.url_family
        if family == "index_n":
            return base + ("index.html" if page == 1 else f"index_{page}.html")
        if family == "index_n1":
            return base + ("index.html" if page == 1 else f"index_{page - 1}.html")
        if family == "list_n":
            return base + ("list.html" if page == 1 else f"list_{page}.html")
        if family == "page_query":
            return base + ("list.html" if page == 1 else f"list.html?page={page}")
        query = f"list.jsp?cid={column.key + 100}"
        return base + (query if page == 1 else f"{query}&pageNo={page}")

    def page_count(self, column: GenColumn) -> int:
        return max(1, -(-len(column.docs) // self.style.per_page))


def token(rng: random.Random, used: set[str]) -> str:
    """A random class/id name: syllables, sometimes joined by - or _, never a fixed style's name."""
    consonants, vowels = "bcdfghjklmnpqrstvwxz", "aeiou"
    while True:
        parts = [
            "".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(rng.randint(1, 3)))
            for _ in range(rng.randint(1, 2))
        ]
        name = rng.choice("-_").join(parts)
        if rng.random() < 0.2:
            name += str(rng.randint(1, 9))
        if name not in FIXED_STYLE_NAMES and name not in used and "tit" not in name:
            used.add(name)
            return name


ROLES = [
    "header",
    "nav",
    "navitem",
    "main",
    "side",
    "tree",
    "treeitem",
    "treesub",
    "listbox",
    "listitem",
    "listdate",
    "pager",
    "crumb",
    "detail",
    "heading",
    "meta",
    "metarow",
    "metalabel",
    "metavalue",
    "body",
    "footer",
    "colroot",
    "catroot",
    "docroot",
    "info",
]


def _style(rng: random.Random) -> Style:
    used: set[str] = set()
    tokens = {role: token(rng, used) for role in ROLES}
    tokens["colroot"] = rng.choice(("xxgk", "zwgk", "gkml", "col", "channels", "zfxxgk", tokens["colroot"]))
    tokens["docroot"] = rng.choice(("art", "content", "xxgk/doc", "detail", tokens["docroot"]))
    pager = rng.choice(PAGER_KINDS)
    family = "index_n1" if pager.startswith("trs") else rng.choice(URL_FAMILIES)
    list_kind = rng.choice(LIST_KINDS)
    return Style(
        encoding="gbk" if rng.random() < 0.35 else "utf-8",
        header_charset=rng.random() < 0.7,
        tokens=tokens,
        wrapper_tag=rng.choice(("div", "div", "section")),
        catalogue_text=rng.choice(CATALOGUE_LINKS),
        catalogue_path=rng.choice(
            ("/xxgk/index.html", "/zwgk/", "/gkml/index.shtml", f"/{token(rng, used)}/")
        ),
        tree_kind=rng.choice(TREE_KINDS),
        tree_on_column_pages=rng.random() < 0.5,
        list_kind=list_kind,
        date_shape=rng.choice(DATE_SHAPES),
        date_in_own_element=list_kind in ("table", "dl", "script") or rng.random() < 0.6,
        truncate_titles=rng.random() < 0.3,
        href_kind=rng.choice(("relative", "rooted", "absolute")),
        pager_kind=pager,
        url_family=family,
        next_text=rng.choice(NEXT_TEXTS),
        per_page=rng.randint(3, 6),
        metadata_kind=rng.choice(METADATA_KINDS),
        label_colon=rng.choice(("：", ":", "", "：")),
        title_tag_shape=rng.choice(
            ("{title}_{site}", "{title} - {site}", "{site}-{title}", "{title}|{site}")
        ),
        detail_url_kind=rng.choice(DETAIL_URL_KINDS),
        breadcrumb=rng.random() < 0.6,
    )


def _cover(seed: int, number: int, style: Style) -> Style:
    """The first sites of every seed take each list container, pager and tree shape in turn (from a
    seed-chosen start), so that even a small run meets them all; later sites keep their random draws."""
    start = random.Random(f"generated:{seed}:cover").randrange(60)
    changes: dict[str, object] = {}
    if number <= len(LIST_KINDS):
        changes["list_kind"] = LIST_KINDS[(start + number) % len(LIST_KINDS)]
        if changes["list_kind"] in ("table", "dl", "script"):
            changes["date_in_own_element"] = True
    if number <= len(PAGER_KINDS):
        pager = PAGER_KINDS[(start + number) % len(PAGER_KINDS)]
        changes["pager_kind"] = pager
        if pager.startswith("trs"):
            changes["url_family"] = "index_n1"
    if number <= len(TREE_KINDS):
        changes["tree_kind"] = TREE_KINDS[(start + number) % len(TREE_KINDS)]
    return replace(style, **changes)  # type: ignore[arg-type]


def _extra_style(rng: random.Random, style: Style) -> Style:
    gateway = rng.random() < 0.25
    return replace(
        style,
        home_latest=rng.random() < 0.5,
        next_on_last_page=rng.random() < 0.3,
        label_spans=rng.random() < 0.3,
        gateway_text=rng.choice(GATEWAY_LINKS) if gateway else None,
        catalogue_text=rng.choice(GATEWAY_TARGETS) if gateway else style.catalogue_text,
        hot_block=rng.random() < 0.25,
        table_extra_cells=rng.random() < 0.5,
    )


def _tree(rng: random.Random, catalogue_text: str) -> list[GenColumn]:
    """The column tree: depth 1-3, names from the taxonomy (and unknown ones), unique per site."""
    depth = rng.choice((1, 2, 2, 3))
    columns: list[GenColumn] = []
    used_names: set[str] = set()
    used_slugs: set[str] = set()

    def add(name: str, kind: Kind, parent: int | None, linked: bool = True) -> GenColumn:
        path = (*columns[parent].path, name) if parent is not None else (name,)
        slug = token(rng, used_slugs) if rng.random() < 0.5 else f"c{len(columns) + 1}{rng.randint(10, 99)}"
        column = GenColumn(len(columns), name, path, kind, parent, slug, linked)
        columns.append(column)
        used_names.add(name)
        if parent is not None:
            columns[parent].children.append(column.key)
        return column

    def leaves(count: int) -> list[tuple[str, Kind]]:
        pool = [leaf for leaf in LEAVES if leaf[0] not in used_names]
        return rng.sample(pool, min(count, len(pool)))

    def groups(count: int) -> list[tuple[str, Kind, tuple[tuple[str, Kind], ...]]]:
        pool = [g for g in GROUPS if g[0] not in used_names and all(c[0] not in used_names for c in g[2])]
        return rng.sample(pool, min(count, len(pool)))

    def add_group(parent: int | None, group: tuple[str, Kind, tuple[tuple[str, Kind], ...]]) -> None:
        name, kind, children = group
        node = add(name, kind, parent, linked=rng.random() < 0.5)
        for child_name, child_kind in rng.sample(children, rng.randint(1, min(3, len(children)))):
            if child_name not in used_names:
                add(child_name, child_kind, node.key)
        if not node.children:  # every child name was taken
            node.children.clear()

    if depth == 1:
        chosen = leaves(rng.randint(3, 6))
        for name, kind in chosen:
            add(name, kind, None)
    elif depth == 2:
        for group in groups(rng.randint(2, 3)):
            add_group(None, group)
        for name, kind in leaves(rng.randint(0, 2)):
            add(name, kind, None)
    else:
        root = add(
            rng.choice([r for r in ROOTS if r != catalogue_text]), "other", None, linked=rng.random() < 0.4
        )
        for group in groups(rng.randint(2, 3)):
            add_group(root.key, group)
        for name, kind in leaves(rng.randint(1, 2)):
            add(name, kind, None)
    return columns


def _dates(rng: random.Random, kind: Kind, state: str, count: int, today: date) -> list[date]:
    """Publication dates, newest first; fresh columns well inside the kind's limit, stale ones well outside."""
    limit = STALE_AFTER_DAYS[kind]
    if state == "stale":
        newest = today - timedelta(days=rng.randint(limit + 40, limit + 500))
    else:
        newest = today - timedelta(days=rng.randint(0, max(2, limit // 2 - 10)))
    days = [newest]
    for _ in range(count - 1):
        days.append(days[-1] - timedelta(days=rng.randint(0, 25)))
    return days


def _detail_path(style: Style, docid: int, published: date, rng: random.Random) -> str:
    root = style.tokens["docroot"]
    kind = style.detail_url_kind
    if kind == "ym_id":
        return f"/{root}/{published:%Y%m}/t{published:%Y%m%d}_{docid}.html"
    if kind == "content_id":
        return f"/{root}/content_{docid}.html"
    if kind == "ymd_tok":
        return f"/{root}/{published:%Y}/{published:%m%d}/{style.tokens['info']}{docid}.shtml"
    return f"/{root}/show.jsp?id={docid}"


def _numbered_rate(kind: Kind) -> float:
    return {"news": 0.0, "notice_policy": 0.75, "personnel_planning": 0.4, "other": 0.35}[kind]


@lru_cache(maxsize=512)
def generate_site(seed: int, number: int, today: date) -> GenSite:
    """Site `number` of the generated portal with this seed (deterministic)."""
    rng = random.Random(f"generated:{seed}:{number}")
    style = _cover(seed, number, _extra_style(random.Random(f"generated:{seed}:{number}:extra"), _style(rng)))
    city, city_code = rng.choice(CITIES)
    dept, dept_code = rng.choice(DEPARTMENTS)
    department = f"{city}{dept}"
    codes = tuple(
        f"{city_code}{dept_code}{suffix}" for suffix in rng.sample(("发", "字", "办发", "函", "规"), 2)
    )
    org_code = "".join(rng.choice(string.digits) for _ in range(17)) + rng.choice("0123456789ABCDX")
    columns = _tree(rng, style.catalogue_text)
    docs: list[GenDoc] = []
    docid = rng.randint(1000, 90000)
    serials: dict[tuple[str, int], int] = {}
    topic_site = rng.choice(TOPIC_SOURCES)
    offices = (
        department,
        f"{dept.removesuffix('局')}局办公室" if dept.endswith("局") else "办公室",
        "综合科",
    )
    last_leaf = max(c.key for c in columns if c.is_leaf)
    for column in columns:
        if not column.is_leaf:
            continue
        roll = rng.random()
        column.state = "blank" if roll < 0.15 else "stale" if roll < 0.3 else "ok"
        if column.state == "blank" and column.key == last_leaf and not docs:
            column.state = (
                "ok"  # a site publishes something: its last leaf is never blank when all others are
            )
        if column.state == "blank":
            column.empty_marker = rng.choice(EMPTY_MARKERS)
            continue
        count = (
            rng.randint(1, style.per_page) if rng.random() < 0.5 else rng.randint(1, 2 * style.per_page + 1)
        )
        for published in _dates(rng, column.kind, column.state, count, today):
            docid += rng.randint(1, 40)
            docs.append(
                _document(rng, style, len(docs), docid, column, published, department, codes, org_code,
                          serials, topic_site, city, offices)
            )  # fmt: skip
            column.docs.append(len(docs) - 1)
    site_id = f"gen{number:03d}"
    return GenSite(seed, number, site_id, department, department, org_code, style, columns, docs, today)


def _document(
    rng: random.Random,
    style: Style,
    index: int,
    docid: int,
    column: GenColumn,
    published: date,
    department: str,
    codes: tuple[str, ...],
    org_code: str,
    serials: dict[tuple[str, int], int],
    topic_site: str,
    city: str,
    offices: tuple[str, ...],
) -> GenDoc:
    is_news = column.kind == "news"
    numbered = rng.random() < _numbered_rate(column.kind)
    written = None if is_news else published - timedelta(days=rng.randint(0, 20))
    doc_number = raw = None
    if numbered and written is not None:
        code = rng.choice(codes)
        serial = serials[(code, written.year)] = serials.get((code, written.year), 0) + 1
        doc_number = canonical_bracket_number(code, written.year, serial)
        raw = raw_bracket_number(rng, code, written.year, serial, allow_newline=True)
    title, topic = text.make_title(
        rng, topic_site, column.kind, column.name, department, (written or published).year, numbered
    )
    title = title.replace("济南市", city)
    issuer = rng.choice(offices) if is_news else department
    paragraphs = [text.sentence(rng, topic, duties=2) for _ in range(rng.randint(2, 4))]
    if not is_news:
        paragraphs.append(text.closing_for(title))
        paragraphs.append(department)
        paragraphs.append(text.chinese_date(written or published, rng))
    return GenDoc(
        index=index,
        docid=docid,
        column=column.key,
        title=title,
        is_news=is_news,
        doc_number=doc_number,
        doc_number_raw=raw,
        index_number=None if is_news else f"{org_code}/{published.year}-{index + 1:05d}",
        issuer=issuer,
        written_date=written,
        published_date=published,
        published_time=f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}",
        topic=None if is_news else rng.choice(text.THEMES),
        path=_detail_path(style, docid, published, rng),
        paragraphs=tuple(paragraphs),
        label_choice=tuple(rng.randrange(len(spellings)) for spellings in LABELS.values()),
        date_format=rng.randrange(3),
    )
