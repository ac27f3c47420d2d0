"""All settings in one place, read from the environment (prefix GONGKAI_) or defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGKAI_", env_file=None)

    data_dir: Path = Path("data")
    backend: Literal["embedded", "elasticsearch"] = "embedded"
    # one node, or a cluster as a comma-separated list of its nodes' HTTP URLs (the client spreads requests over
    # them and retries on another node when one is down)
    elasticsearch_url: str = "http://127.0.0.1:9200"
    elasticsearch_index: str = "gongkai"
    elasticsearch_shards: int = Field(default=1, ge=1)
    # None ("auto"): one replica as soon as the cluster has a second data node, none on a single node
    elasticsearch_replicas: int | None = Field(default=None, ge=0)
    elasticsearch_refresh_interval: str = Field(default="1s", pattern=r"^(-1|\d+(ms|s|m|h))$")
    catalog_url: str | None = Field(default=None, pattern=r"^postgres(ql)?://")
    """A shared PostgreSQL catalogue (postgresql://user@host:port/db) for several crawl workers; unset: the SQLite
    file in DATA_DIR."""
    redis_url: str | None = Field(default=None, pattern=r"^rediss?://")
    """The Redis server holding the distributed crawl queue (`gongkai worker`, `gongkai schedule`)."""
    redis_prefix: str = "gongkai"
    """Prefix of the queue's Redis keys (several deployments can share one server)."""
    archive_writer: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_.-]{1,64}$")
    """Names this process's WARC files (gongkai-STAMP-WRITER-SEQ.warc.gz): one writer per worker under a shared
    archive root."""
    api_key: str | None = None
    user_agent: str = "gongkai/0.1 (+https://github.com/gongkai/gongkai; disclosure archive crawler)"
    ocr: bool = True
    """OCR scanned attachments and image bodies (GONGKAI_OCR=false turns it off)."""
    ocr_max_pages: int = 30
    """Pages OCR'd per attachment at most; the rest of a giant scan is left unread (and counted)."""
    worker_memory_mb: int = 3072
    """Address-space limit of each extraction worker process (OCR of a hostile file fails, not the host)."""

    @property
    def ocr_cache_dir(self) -> Path:
        return self.data_dir / "ocr-cache"

    @field_validator("elasticsearch_replicas", mode="before")
    @classmethod
    def _auto_replicas(cls, value: object) -> object:
        return None if isinstance(value, str) and value.strip().lower() in {"", "auto"} else value

    @property
    def elasticsearch_hosts(self) -> list[str]:
        """The node URLs of GONGKAI_ELASTICSEARCH_URL."""
        return split_hosts(self.elasticsearch_url)

    @property
    def warc_dir(self) -> Path:
        return self.data_dir / "warc"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def catalog_path(self) -> Path:
        return self.data_dir / "catalog.sqlite3"

    @property
    def catalog_location(self) -> str | Path:
        """What `Catalog` opens: GONGKAI_CATALOG_URL, else the SQLite file."""
        return self.catalog_url or self.catalog_path

    @property
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"


def split_hosts(urls: str) -> list[str]:
    """`http://a:9200, http://b:9200` → the URLs, without blanks or trailing slashes."""
    hosts = [url.strip().rstrip("/") for url in urls.split(",")]
    return [host for host in hosts if host]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
