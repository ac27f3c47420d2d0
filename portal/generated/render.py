"""HTML of a generated site: home, disclosure catalogue (the column tree), column lists with their pagers,
parent column pages, detail pages and a little furniture. Every choice comes from the site's `Style`."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from datetime import date
from html import escape
from urllib.parse import parse_qsl, urlsplit

from portal.generated.site import LABELS, PREV_TEXTS, GenColumn, GenDoc, GenSite

MMDD_MAX_AGE_DAYS = 300  # a list printing MM-DD only does so while the year is still the obvious one


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # home | catalogue | column | doc | static
    key: int = 0
    page: int = 1


@dataclass(frozen=True, slots=True)
class Rendered:
    status: int
    body: str
    content_type: str = "text/html"


def _route_key(path: str, query: str) -> tuple[str, frozenset[tuple[str, str]]]:
    return path, frozenset(parse_qsl(query, keep_blank_values=True))


class SiteRenderer:
    """Answers requests for one generated site."""

    def __init__(self, site: GenSite, base_url: str) -> None:
        self.site = site
        self.base_url = base_url.rstrip("/")
        self.style = site.style
        self.t = site.style.tokens
        self.routes: dict[tuple[str, frozenset[tuple[str, str]]], Target] = {}
        self._add("/", Target("home"))
        self._add("/index.html", Target("home"))
        self._add(self.style.catalogue_path, Target("catalogue"))
        if self.style.catalogue_path.endswith("/"):
            self._add(self.style.catalogue_path + "index.html", Target("catalogue"))
        if self.style.gateway_text:
            self._add(self.gateway_path, Target("gateway"))
        for page in ("about", "contact", "interact", "apply"):
            self._add(self.static_path(page), Target("static"))
        for column in site.columns:
            for page in range(1, site.page_count(column) + 1):
                self._add(site.column_url_path(column, page), Target("column", column.key, page))
            if column.is_leaf:  # the page-1 spellings crawlers reach for
                family = self.style.url_family
                if family == "page_query":
                    self._add(site.column_url_path(column) + "?page=1", Target("column", column.key, 1))
                elif family == "pageno_query":
                    self._add(site.column_url_path(column) + "&pageNo=1", Target("column", column.key, 1))
                elif family in ("index_n", "list_n"):
                    first = site.column_url_path(column).removesuffix(".html")
                    self._add(f"{first}_1.html", Target("column", column.key, 1))
        for doc in site.docs:
            self._add(doc.path, Target("doc", doc.index))

    def _add(self, url: str, target: Target) -> None:
        parts = urlsplit(url)
        self.routes[_route_key(parts.path, parts.query)] = target

    def static_path(self, page: str) -> str:
        return {
            "about": "/jggk/index.html",
            "contact": "/lxwm.html",
            "interact": "/hdjl/index.html",
            "apply": "/ysqgk/index.html",
        }[page]

    @property
    def gateway_path(self) -> str:
        return f"/{self.t['catroot']}/index.html"

    # ---- dispatch ---------------------------------------------------------------------------------
    def handle(self, path: str, query: str) -> Rendered:
        if path == "/robots.txt":
            return Rendered(200, "User-agent: *\nDisallow:\n", "text/plain")
        target = self.routes.get(_route_key(path, query))
        if target is None:
            return Rendered(
                404, "<html><head><title>404</title></head><body><h1>404 页面不存在</h1></body></html>"
            )
        here = path + ("?" + query if query else "")
        if target.kind == "home":
            return Rendered(200, self.home(here))
        if target.kind == "gateway":
            return Rendered(200, self.gateway(here))
        if target.kind == "catalogue":
            return Rendered(200, self.catalogue(here))
        if target.kind == "column":
            column = self.site.columns[target.key]
            if column.is_leaf:
                return Rendered(200, self.column_list(here, column, target.page))
            return Rendered(200, self.parent_page(here, column))
        if target.kind == "doc":
            return Rendered(200, self.detail(here, self.site.docs[target.key]))
        return Rendered(200, self.static(here, path))

    # ---- links and shell --------------------------------------------------------------------------
    def href(self, here: str, target: str) -> str:
        kind = self.style.href_kind
        if kind == "absolute":
            return escape(self.base_url + target)
        if kind == "rooted" or ("?" in target and target.split("?")[0] == here.split("?")[0]):
            return escape(target)
        here_dir = posixpath.dirname(here.split("?")[0]) or "/"
        target_path, _, query = target.partition("?")
        relative = posixpath.relpath(target_path, here_dir)
        if target_path.endswith("/") and relative != ".":
            relative += "/"
        elif relative == ".":
            relative = "./"
        elif not relative.startswith("."):
            relative = "./" + relative
        return escape(relative + ("?" + query if query else ""))

    def title_tag(self, title: str) -> str:
        return escape(self.style.title_tag_shape.format(title=title, site=self.site.name))

    def shell(self, here: str, title: str, main: str, head_extra: str = "") -> str:
        t, tag = self.t, self.style.wrapper_tag
        charset = "gbk" if self.style.encoding == "gbk" else "utf-8"
        nav = "".join(
            f'<li class="{t["navitem"]}"><a href="{self.href(here, url)}">{escape(label)}</a></li>'
            for label, url in (
                ("首页", "/"),
                ("机构概况", self.static_path("about")),
                self.catalogue_entry,
                ("互动交流", self.static_path("interact")),
            )
        )
        return (
            f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{title}</title>{head_extra}</head><body>"
            f'<{tag} class="{t["header"]}"><span>{escape(self.site.name)}</span></{tag}>'
            f'<ul class="{t["nav"]}">{nav}</ul>'
            f'<{tag} class="{t["main"]}">{main}</{tag}>'
            f'<{tag} class="{t["footer"]}"><p>主办单位：{escape(self.site.department)}　'
            f'<a href="{self.href(here, self.static_path("contact"))}">联系我们</a></p>'
            f"<p>网站标识码：{self.site.org_code[:10]}　鲁ICP备{self.site.org_code[10:17]}号</p></{tag}>"
            "</body></html>"
        )

    @property
    def catalogue_entry(self) -> tuple[str, str]:
        """(link text, path) of the home page's way into the catalogue."""
        if self.style.gateway_text:
            return self.style.gateway_text, self.gateway_path
        return self.style.catalogue_text, self.style.catalogue_path

    # ---- pages ------------------------------------------------------------------------------------
    def home(self, here: str) -> str:
        text, path = self.catalogue_entry
        main = f'<p>欢迎访问{escape(self.site.name)}。</p><p><a href="{self.href(here, path)}">{escape(text)}</a></p>'
        if self.style.home_latest and self.site.docs:
            newest = sorted(self.site.docs, key=lambda d: (d.published_date, d.docid), reverse=True)[:5]
            items = "".join(
                f'<li><a href="{self.href(here, d.path)}">{escape(d.title)}</a><i>{d.published_date:%m-%d}</i></li>'
                for d in newest
            )
            more = self.site.columns[newest[0].column]
            main += (
                f'<div class="{self.t["side"]}-home"><div>最新信息<a href="{self.column_href(here, more)}">更多&gt;&gt;</a>'
                f"</div><ul>{items}</ul></div>"
            )
        return self.shell(here, escape(self.site.name), main)

    def gateway(self, here: str) -> str:
        main = (
            f"<p>{escape(self.site.department)}政务公开专栏</p><ul>"
            f'<li><a href="{self.href(here, self.style.catalogue_path)}">{escape(self.style.catalogue_text)}</a></li>'
            f'<li><a href="{self.href(here, self.static_path("apply"))}">依申请公开</a></li></ul>'
            "<p>公开电话：0530-1234567</p>"
        )
        return self.shell(here, self.title_tag(self.style.gateway_text or ""), main)

    def static(self, here: str, path: str) -> str:
        main = f"<p>{escape(self.site.department)}地址：某某路{len(path) * 7}号。办公时间：工作日9:00-17:00。</p>"
        names = {"lxwm": "联系我们", "ysqgk": "依申请公开", "hdjl": "互动交流"}
        name = next((v for k, v in names.items() if k in path), "机构概况")
        return self.shell(here, self.title_tag(name), main)

    def catalogue(self, here: str) -> str:
        main = f"<p>本目录按照《中华人民共和国政府信息公开条例》编制。</p>{self.tree(here)}"
        return self.shell(here, self.title_tag(self.style.catalogue_text), main)

    def column_href(self, here: str, column: GenColumn) -> str:
        return self.href(here, self.site.column_url_path(column))

    def tree(self, here: str) -> str:
        kind, t = self.style.tree_kind, self.t
        roots = [c for c in self.site.columns if c.parent is None]
        if kind == "script":
            keys = [("name", "url", "children"), ("text", "href", "nodes"), ("title", "link", "sub")][
                self.site.number % 3
            ]

            def node(column: GenColumn) -> dict[str, object]:
                url = self.site.column_url_path(column) if column.linked or column.is_leaf else ""
                return {
                    keys[0]: column.name,
                    keys[1]: url,
                    keys[2]: [node(self.site.columns[k]) for k in column.children],
                }

            data = json.dumps([node(c) for c in roots], ensure_ascii=False).replace("</", "<\\/")
            return (
                f'<div id="{t["tree"]}"></div><script type="text/javascript">var {t["treesub"].replace("-", "_")} = {data};'
                f"function build(nodes){{var h='<ul>';for(var i=0;i<nodes.length;i++){{var n=nodes[i];"
                f"h+='<li>'+(n.{keys[1]}?'<a href=\"'+n.{keys[1]}+'\">'+n.{keys[0]}+'</a>':'<span>'+n.{keys[0]}+'</span>');"
                f"if(n.{keys[2]}.length){{h+=build(n.{keys[2]});}}h+='</li>';}}return h+'</ul>';}}"
                f'document.getElementById("{t["tree"]}").innerHTML=build({t["treesub"].replace("-", "_")});</script>'
            )
        if kind == "ul":
            return f'<ul class="{t["tree"]}">{"".join(self._tree_li(here, c) for c in roots)}</ul>'
        if kind == "dl":
            return "".join(self._tree_dl(here, c) for c in roots)
        return f'<div class="{t["tree"]}">{"".join(self._tree_div(here, c) for c in roots)}</div>'

    def _label(self, here: str, column: GenColumn) -> str:
        if column.is_leaf or column.linked:
            return f'<a href="{self.column_href(here, column)}">{escape(column.name)}</a>'
        tag = "span" if column.key % 2 else "em"
        return f"<{tag}>{escape(column.name)}</{tag}>"

    def _tree_li(self, here: str, column: GenColumn) -> str:
        sub = "".join(self._tree_li(here, self.site.columns[k]) for k in column.children)
        inner = f'<ul class="{self.t["treesub"]}">{sub}</ul>' if sub else ""
        return f"<li>{self._label(here, column)}{inner}</li>"

    def _tree_dl(self, here: str, column: GenColumn) -> str:
        parts = [f'<dl class="{self.t["tree"]}"><dt>{self._label(here, column)}</dt>']
        for key in column.children:
            child = self.site.columns[key]
            sub = "".join(self._tree_li(here, self.site.columns[k]) for k in child.children)
            parts.append(f"<dd>{self._label(here, child)}{f'<ul>{sub}</ul>' if sub else ''}</dd>")
        return "".join(parts) + "</dl>"

    def _tree_div(self, here: str, column: GenColumn) -> str:
        sub = "".join(self._tree_div(here, self.site.columns[k]) for k in column.children)
        inner = f'<div class="{self.t["treesub"]}">{sub}</div>' if sub else ""
        return f'<div class="{self.t["treeitem"]}"><div>{self._label(here, column)}</div>{inner}</div>'

    def breadcrumb(self, here: str, column: GenColumn) -> str:
        if not self.style.breadcrumb:
            return ""
        parts = [f'<a href="{self.href(here, "/")}">首页</a>']
        parts.append(
            f'<a href="{self.href(here, self.style.catalogue_path)}">{escape(self.style.catalogue_text)}</a>'
        )
        chain: list[GenColumn] = []
        node: GenColumn | None = column
        while node is not None:
            chain.insert(0, node)
            node = self.site.columns[node.parent] if node.parent is not None else None
        for item in chain:
            parts.append(self._label(here, item) if item is not column else escape(item.name))
        return f'<div class="{self.t["crumb"]}">当前位置：{" &gt; ".join(parts)}</div>'

    def side(self, here: str) -> str:
        if not self.style.tree_on_column_pages:
            return ""
        return f'<div class="{self.t["side"]}">{self.tree(here)}</div>'

    def hot(self, here: str) -> str:
        """Furniture: the same dated list of the site's newest documents on every column page."""
        if not self.style.hot_block or not self.site.docs:
            return ""
        newest = sorted(self.site.docs, key=lambda d: (d.published_date, d.docid), reverse=True)[:5]
        items = "".join(
            f'<li><a href="{self.href(here, d.path)}">{escape(d.title)}</a>'
            f"<span>{d.published_date:%Y-%m-%d}</span></li>"
            for d in newest
        )
        name = ("热点信息", "最新公开", "点击排行")[self.site.number % 3]
        return f'<div class="{self.t["side"]}-hot"><div>{name}</div><ul>{items}</ul></div>'

    def parent_page(self, here: str, column: GenColumn) -> str:
        links = "".join(
            f'<li><a href="{self.column_href(here, self.site.columns[k])}">{escape(self.site.columns[k].name)}</a></li>'
            for k in column.children
        )
        main = (
            f'{self.breadcrumb(here, column)}{self.side(here)}<div class="{self.t["listbox"]}">'
            f'<div class="{self.t["heading"]}">{escape(column.name)}</div><ul>{links}</ul></div>{self.hot(here)}'
        )
        return self.shell(here, self.title_tag(column.name), main)

    # ---- lists ------------------------------------------------------------------------------------
    def list_date(self, column: GenColumn, day: date) -> str:
        shape = self.style.date_shape
        if shape == "mmdd":
            oldest = min((self.site.docs[i].published_date for i in column.docs), default=self.site.today)
            if (self.site.today - oldest).days > MMDD_MAX_AGE_DAYS:
                shape = "iso"
        if shape == "iso":
            return f"{day:%Y-%m-%d}"
        if shape == "slash":
            return f"{day:%Y/%m/%d}"
        if shape == "cjk":
            return f"{day.year}年{day.month}月{day.day}日"
        if shape == "bracket_iso":
            return f"[{day:%Y-%m-%d}]"
        return f"({day:%m-%d})" if not self.style.date_in_own_element else f"{day:%m-%d}"

    def list_title(self, doc: GenDoc) -> tuple[str, str]:
        """(link text, title attribute)."""
        if self.style.truncate_titles and len(doc.title) > 22:
            return escape(doc.title[:20] + "..."), f' title="{escape(doc.title)}"'
        return escape(doc.title), ""

    def column_list(self, here: str, column: GenColumn, page: int) -> str:
        per = self.style.per_page
        docs = [self.site.docs[i] for i in column.docs[(page - 1) * per : page * per]]
        t, kind = self.t, self.style.list_kind
        rows: list[str] = []
        for doc in docs:
            link_text, title_attr = self.list_title(doc)
            href = self.href(here, doc.path)
            day = escape(self.list_date(column, doc.published_date))
            link = f'<a href="{href}"{title_attr} target="_blank">{link_text}</a>'
            if kind in ("ul", "ol", "divrows"):
                item_tag = "li" if kind != "divrows" else "div"
                dated = (
                    f'<span class="{t["listdate"]}">{day}</span>' if self.style.date_in_own_element else day
                )
                body = (
                    f"{dated}{link}"
                    if self.site.number % 2 and self.style.date_in_own_element
                    else f"{link} {dated}"
                )
                rows.append(f'<{item_tag} class="{t["listitem"]}">{body}</{item_tag}>')
            elif kind == "table" and self.style.table_extra_cells:
                number = escape(" ".join((doc.doc_number_raw or "").split()))
                position = (page - 1) * per + len(rows) + 1
                rows.append(f"<tr><td>{position}</td><td>{link}</td><td>{number}</td><td>{day}</td></tr>")
            elif kind == "table":
                rows.append(f"<tr><td>{link}</td><td>{day}</td></tr>")
            elif kind == "dl":
                rows.append(f"<dt>{link}</dt><dd>{day}</dd>")
        if kind == "script":
            keys = [("title", "url", "date"), ("t", "u", "d"), ("name", "link", "time")][self.site.number % 3]
            data = json.dumps(
                [
                    {keys[0]: doc.title, keys[1]: self.href(here, doc.path).replace("&amp;", "&"),
                     keys[2]: self.list_date(column, doc.published_date)}
                    for doc in docs
                ],
                ensure_ascii=False,
            ).replace("</", "<\\/")  # fmt: skip
            var = t["listitem"].replace("-", "_")
            container = (
                f'<ul id="{t["listbox"]}"></ul><script type="text/javascript">var {var} = {data};var h="";'
                f"for(var i=0;i<{var}.length;i++){{h+='<li><a href=\"'+{var}[i].{keys[1]}+'\">'+{var}[i].{keys[0]}"
                f"+'</a><span>'+{var}[i].{keys[2]}+'</span></li>';}}"
                f'document.getElementById("{t["listbox"]}").innerHTML=h;</script>'
            )
        elif kind == "table":
            head = "<tr><th>标题</th><th>发布日期</th></tr>" if self.site.number % 2 else ""
            if self.style.table_extra_cells:
                head = "<tr><th>序号</th><th>标题</th><th>文号</th><th>发布日期</th></tr>"
            container = f'<table class="{t["listbox"]}">{head}{"".join(rows)}</table>'
        elif kind == "dl":
            container = f'<dl class="{t["listbox"]}">{"".join(rows)}</dl>'
        elif kind == "divrows":
            container = f'<div class="{t["listbox"]}">{"".join(rows)}</div>'
        else:
            container = f'<{kind} class="{t["listbox"]}">{"".join(rows)}</{kind}>'
        if not column.docs and column.empty_marker:
            container += f'<p class="{t["info"]}">{column.empty_marker}</p>'
        pager = self.pager(here, column, page) if column.docs else ""
        main = (
            f'{self.breadcrumb(here, column)}{self.side(here)}<div class="{t["main"]}-in">'
            f'<div class="{t["heading"]}">{escape(column.name)}</div>{container}{pager}</div>{self.hot(here)}'
        )
        head = TRS_PAGER_SCRIPT if self.style.pager_kind.startswith("trs") else ""
        return self.shell(here, self.title_tag(column.name), main, head)

    def pager(self, here: str, column: GenColumn, page: int) -> str:
        pages = self.site.page_count(column)
        kind, t = self.style.pager_kind, self.t

        def url(n: int) -> str:
            return self.href(here, self.site.column_url_path(column, n))

        if kind == "trs_literal":
            body = f'<script type="text/javascript">createPageHTML({pages}, {page - 1}, "index", "html");</script>'
        elif kind == "trs_var":
            names = [("countPage", "currentPage"), ("pageCount", "pageIndex"), ("totalPage", "curPage")][
                self.site.number % 3
            ]
            body = (
                f'<script type="text/javascript">var {names[0]} = {pages};//共多少页\n'
                f"var {names[1]} = {page - 1};//当前页\n"
                f'createPageHTML({names[0]}, {names[1]}, "index", "html");</script>'
            )
        elif kind == "total_template":
            base = self.site.column_url_path(column)
            family = self.style.url_family
            if family == "index_n1":
                expr = f'"{posixpath.dirname(base)}/index_" + (n - 1) + ".html"'
            elif family == "index_n":
                expr = f'"{posixpath.dirname(base)}/index_" + n + ".html"'
            elif family == "list_n":
                expr = f'"{posixpath.dirname(base)}/list_" + n + ".html"'
            elif family == "page_query":
                expr = f'"{base}?page=" + n'
            else:
                expr = f'"{base}&pageNo=" + n'
            nxt = f'<a href="javascript:goPage({page + 1});">下一页</a>' if page < pages else ""
            body = (
                f"<span>共{pages}页</span> <span>当前第{page}页</span> {nxt}"
                f'<script type="text/javascript">function goPage(n){{ if(n==1){{location.href="{base}";return;}}'
                f"location.href = {expr}; }}</script>"
            )
        elif kind == "numbered":
            links = [
                f"<span>{n}</span>" if n == page else f'<a href="{url(n)}">{n}</a>'
                for n in range(1, pages + 1)
            ]
            body = f"共{len(column.docs)}条 " + " ".join(links)
        else:
            nxt = self.style.next_text
            prev = PREV_TEXTS.get(nxt, "上一页")
            parts = []
            if page > 1:
                parts.append(f'<a href="{url(1)}">首页</a> <a href="{url(page - 1)}">{escape(prev)}</a>')
            if page < pages:
                parts.append(f'<a href="{url(page + 1)}">{escape(nxt)}</a>')
            elif self.style.next_on_last_page:
                parts.append(f'<a href="{url(page)}">{escape(nxt)}</a>')  # a loop the crawler must bound
            else:
                parts.append(f"<span>{escape(nxt)}</span>")
            body = " ".join(parts)
        return f'<div class="{t["pager"]}">{body}</div>'

    # ---- detail -----------------------------------------------------------------------------------
    def label(self, doc: GenDoc, field: str) -> str:
        spellings = LABELS[field]
        choice = doc.label_choice[list(LABELS).index(field)]
        if self.style.label_spans and doc.docid % 3 == 1:
            return (
                "".join(f"<span>{escape(char)}</span>" for char in spellings[choice]) + self.style.label_colon
            )
        return escape(spellings[choice]) + self.style.label_colon

    def fmt_date(self, doc: GenDoc, day: date) -> str:
        if doc.date_format == 1:
            return f"{day.year}年{day.month:02d}月{day.day:02d}日"
        if doc.date_format == 2:
            return f"{day:%Y/%m/%d}"
        return f"{day:%Y-%m-%d}"

    def metadata(self, doc: GenDoc) -> str:
        pairs: list[tuple[str, str]] = [
            ("index_number", escape(doc.index_number or "")),
            ("topic", escape(doc.topic or "")),
            ("issuer", escape(doc.issuer)),
            ("written_date", self.fmt_date(doc, doc.written_date) if doc.written_date else ""),
        ]
        if doc.doc_number_raw is not None:
            pairs.append(("doc_number", escape(doc.doc_number_raw)))
        elif doc.docid % 3 == 0:
            pairs.append(("doc_number", ""))
        if doc.docid % 2:
            pairs.append(("title", escape(doc.title)))
        pairs.append(("published_date", self.fmt_date(doc, doc.published_date)))
        t, kind = self.t, self.style.metadata_kind
        labelled = [(self.label(doc, f), v) for f, v in pairs]
        if kind == "table2":
            rows = "".join(
                f'<tr><td class="{t["metalabel"]}">{lab}</td><td>{v}</td></tr>' for lab, v in labelled
            )
            return f'<table class="{t["meta"]}">{rows}</table>'
        if kind == "table4":
            cells = [f'<th>{lab}</th><td class="{t["metavalue"]}">{v}</td>' for lab, v in labelled]
            rows = "".join(f"<tr>{''.join(cells[i : i + 2])}</tr>" for i in range(0, len(cells), 2))
            return f'<table class="{t["meta"]}">{rows}</table>'
        if kind == "divrows":
            return (
                f'<div class="{t["meta"]}">'
                + "".join(
                    f'<div class="{t["metarow"]}"><span class="{t["metalabel"]}">{lab}</span>'
                    f'<span class="{t["metavalue"]}">{v}</span></div>'
                    for lab, v in labelled
                )
                + "</div>"
            )
        if kind == "dl":
            return (
                f'<dl class="{t["meta"]}">'
                + "".join(f"<dt>{lab}</dt><dd>{v}</dd>" for lab, v in labelled)
                + "</dl>"
            )
        colon = "" if self.style.label_colon else "："
        return (
            f'<ul class="{t["meta"]}">'
            + "".join(f"<li>{lab}{colon}{v}</li>" for lab, v in labelled)
            + "</ul>"
        )

    def detail(self, here: str, doc: GenDoc) -> str:
        t = self.t
        column = self.site.columns[doc.column]
        heading_tag = ("h1", "h2", "div")[self.site.number % 3]
        info = f"发布时间：{doc.published_date:%Y-%m-%d} {doc.published_time}"
        if doc.is_news:
            info += f"　来源：{escape(doc.issuer)}"
        info += f"　浏览次数：{doc.docid % 997}"
        body = "".join(f"<p>{escape(p)}</p>" for p in doc.paragraphs)
        main = (
            f'{self.breadcrumb(here, column)}<div class="{t["detail"]}">'
            f"{'' if doc.is_news else self.metadata(doc)}"
            f'<{heading_tag} class="{t["heading"]}">{escape(doc.title)}</{heading_tag}>'
            f'<div class="{t["info"]}">{info}</div><div class="{t["body"]}">{body}</div></div>'
        )
        return self.shell(here, self.title_tag(doc.title), main)


TRS_PAGER_SCRIPT = """<script type="text/javascript">
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount<=1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0) document.write("<span>首页</span>&nbsp;");
  else document.write("<a href=\\""+_sPageName+"."+_sPageExt+"\\">首页</a>&nbsp;");
  if(nCurrIndex + 1 < _nPageCount) document.write("<a href=\\""+_sPageName+"_" + (nCurrIndex+1) + "."+_sPageExt+"\\">下一页</a>&nbsp;");
  document.write("共" + _nPageCount + "页");
}
</script>"""
