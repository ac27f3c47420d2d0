"""All settings in one place, read from the environment (prefix GONGKAI_) or defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GONGKAI_", env_file=None)

    data_dir: Path = Path("data")
    backend: Literal["embedded", "elasticsearch"] = "embedded"
    elasticsearch_url: str = "http://127.0.0.1:9200"
    elasticsearch_index: str = "gongkai"
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
    def spool_dir(self) -> Path:
        return self.data_dir / "spool"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
