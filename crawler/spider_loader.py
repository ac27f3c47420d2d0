"""Scrapy spider loader that makes one spider class per discovered site (`scrapy list`, `scrapy crawl SITE`)."""

from __future__ import annotations

from scrapy import Request
from scrapy.settings import BaseSettings

from crawler.sites import discover_sites
from crawler.spiders.disclosure import DisclosureSpider, spider_for


class SiteSpiderLoader:
    def __init__(self, settings: BaseSettings) -> None:
        self._spiders: dict[str, type[DisclosureSpider]] = {
            site_id: spider_for(site) for site_id, site in discover_sites().items()
        }

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SiteSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[DisclosureSpider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: Request) -> list[str]:
        from urllib.parse import urlsplit

        netloc = urlsplit(request.url).netloc.lower()
        return [name for name, spider in self._spiders.items() if spider.site.netloc == netloc]
