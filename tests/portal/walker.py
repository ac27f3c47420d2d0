"""A deliberately simple site walker for the portal tests: follows each platform's own navigation."""

from __future__ import annotations

import html
import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import httpx

HREF = re.compile(r"""href=["']([^"'#]+)["']""")
CREATE_PAGE = re.compile(r'createPageHTML\((\d+),\s*(\d+),\s*"(\w+)",\s*"(\w+)"\)')
JPAGE = re.compile(r"var jpageConfig = \{(.*?)\};")
GKML_CONFIG = re.compile(r"window\._CONFIG = (\{.*?\});</script>", re.S)
DETAIL = {
    "govcn": re.compile(r"/zwgk/.+/content_\d+\.htm$"),
    "trs": re.compile(r"/t\d{8}_\d+\.html$"),
    "hanweb": re.compile(r"^/art/"),
    "gkmlpt": re.compile(r"^/gkmlpt/content/"),
    "generic": re.compile(r"/\d{4}/\d{4}/\d+\.html$"),
}
SKIP = re.compile(
    r"^(javascript:|mailto:)|\.(pdf|docx|xlsx|doc|xls|zip)$|downfile\.jsp|/(calendar|redirect)/"
)


def decode(response: httpx.Response) -> str:
    """Decode by the Content-Type charset (GBK pages stay GBK), then unescape entities."""
    charset = response.charset_encoding or "utf-8"
    return html.unescape(response.content.decode(charset))


def is_detail(platform: str, url: str) -> bool:
    return bool(DETAIL[platform].search(urlsplit(url).path))


class SiteWalker:
    """Collect the detail URLs a site lists, by its own navigation; never fetches detail pages."""

    def __init__(self, client: httpx.Client, base_url: str, platform: str, disallow: list[str]) -> None:
        self.client = client
        self.base = base_url
        self.platform = platform
        self.disallow = disallow
        self.details: set[str] = set()
        self.fetched_lists = 0

    def _same_site(self, url: str) -> bool:
        return url.startswith(self.base)

    def walk(self, max_pages: int = 3000) -> set[str]:
        if self.platform == "gkmlpt":
            self._walk_gkmlpt()
            return self.details
        queue: deque[str] = deque([self.base])
        seen = {self.base}
        while queue and self.fetched_lists < max_pages:
            url = queue.popleft()
            response = self.client.get(url)
            self.fetched_lists += 1
            if response.status_code != 200:
                continue
            page = response.content.decode(response.charset_encoding or "utf-8")
            links = [urljoin(url, html.unescape(href)) for href in HREF.findall(page)]
            links += self._platform_links(url, page)
            for link in links:
                if not self._same_site(link) or SKIP.search(link):
                    continue
                if is_detail(self.platform, link):
                    self.details.add(link)
                elif link not in seen and not any(urlsplit(link).path.startswith(p) for p in self.disallow):
                    seen.add(link)
                    queue.append(link)
        return self.details

    def _platform_links(self, url: str, page: str) -> list[str]:
        if self.platform == "trs":
            match = CREATE_PAGE.search(page.replace("_nPageCount, _nCurrIndex, _sPageName, _sPageExt", ""))
            if match:
                total, _, name, ext = int(match.group(1)), match.group(2), match.group(3), match.group(4)
                return [urljoin(url, f"{name}{'' if n == 0 else f'_{n}'}.{ext}") for n in range(total)]
        if self.platform == "hanweb":
            match = JPAGE.search(page)
            if match:
                return self._hanweb_records(match.group(1))
        return []

    def _hanweb_records(self, config_text: str) -> list[str]:
        fields = dict(re.findall(r'(\w+): "?([^",]*)"?', config_text))
        total, per_page = int(fields["totalRecord"]), int(fields["perPage"])
        links: list[str] = []
        start = 1
        while start <= total:
            end = start + per_page * 3 - 1
            response = self.client.post(
                urljoin(
                    self.base, f"{fields['proxyUrl']}?startrecord={start}&endrecord={end}&perpage={per_page}"
                ),
                data={
                    "col": "1",
                    "appid": "1",
                    "webid": fields["webid"],
                    "path": "/",
                    "columnid": fields["columnid"],
                    "unitid": fields["unitid"],
                    "webname": fields["webname"],
                    "permissiontype": "0",
                },
            )
            self.fetched_lists += 1
            links += [urljoin(self.base, href) for href in re.findall(r'href="([^"]+)"', response.text)]
            start = end + 1
        return [link for link in links if "/art/" in link]

    def _walk_gkmlpt(self) -> None:
        page = self.client.get(urljoin(self.base, "/gkmlpt/index")).text
        config = json.loads(GKML_CONFIG.search(page).group(1))
        stack = list(config["TREE"])
        while stack:
            node = stack.pop()
            stack.extend(node["children"])
            number = 1
            while True:
                response = self.client.get(
                    urljoin(self.base, f"/gkmlpt/api/all/{node['id']}"),
                    params={"page": number, "sid": config["SID"]},
                )
                self.fetched_lists += 1
                if response.status_code == 404:
                    break
                articles = response.json()["articles"]
                if not articles:
                    break
                self.details.update(article["post_url"] for article in articles)
                number += 1
