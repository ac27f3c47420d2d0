"""Site plugins: one small YAML file per department site, discovered from folders and entry points.

A site names its platform (which adapter class harvests it), its base URL and department, and whatever differs
from the platform's defaults. Sites come from the project's `sites/` folder (or `GONGKAI_SITES_DIR`) and from
Python entry points in the group `gongkai.sites`; an entry point resolves to a folder of YAML files, a module
whose folder holds YAML files, or a callable returning SiteConfigs (or plain dicts).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from indexer.schema import Site

ENTRY_POINT_GROUP = "gongkai.sites"
SITES_DIR_ENV = "GONGKAI_SITES_DIR"
PROJECT_SITES_DIR = Path(__file__).resolve().parent.parent / "sites"

BUILTIN_PLATFORMS = ("govcn", "trs", "hanweb", "gkmlpt", "generic")


class SiteConfigError(ValueError):
    """A site file or entry point that cannot be turned into a SiteConfig."""


class HintsConfig(BaseModel):
    """Extraction hints for detail pages (CSS selectors); unset fields fall back to the platform's."""

    model_config = ConfigDict(extra="forbid")

    title_selector: str | None = None
    body_selector: str | None = None
    metadata_selector: str | None = None
    drop_selectors: list[str] = Field(default_factory=list)


class SiteConfig(BaseModel):
    """Everything that makes one department site different from its platform's defaults."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    department: str
    platform: str = Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        description="adapter name: a built-in platform or one registered in the `gongkai.adapters` group",
    )
    base_url: str
    start_paths: list[str] = Field(default_factory=list, description="paths of the column-tree pages")
    skip_columns: list[str] = Field(
        default_factory=list, description="column names or '/'-joined path prefixes"
    )
    category_map: dict[str, str] = Field(
        default_factory=dict,
        description="top-level column name (or full path) -> standard catalogue category",
    )
    download_delay: float = Field(default=0.5, ge=0)
    concurrency: int = Field(default=4, ge=1, le=64)
    max_pages_per_column: int = Field(default=2000, ge=1)
    max_depth: int = Field(default=8, ge=1, description="column tree depth limit")
    conditional_requests: bool = True
    extra_hosts: list[str] = Field(default_factory=list, description="other host:port values in scope")
    deny_url_patterns: list[str] = Field(default_factory=list, description="regexes of URLs never fetched")
    hints: HintsConfig = Field(default_factory=HintsConfig)
    options: dict[str, Any] = Field(default_factory=dict, description="platform-specific parameters")
    source: str | None = Field(default=None, description="where the config came from")

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        if value in BUILTIN_PLATFORMS:
            return value
        from crawler.adapters import platform_names  # plugins register through entry points

        known = platform_names()
        if value not in known:
            raise ValueError(f"unknown platform {value!r}; known: {', '.join(known)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _absolute_base(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"base_url must be an absolute http(s) URL, got {value!r}")
        return value if value.endswith("/") else value + "/"

    def with_base_url(self, base_url: str) -> SiteConfig:
        return self.model_validate({**self.model_dump(), "base_url": base_url})

    @property
    def netloc(self) -> str:
        return urlsplit(self.base_url).netloc.lower()

    def category_for(self, column_path: list[str]) -> str | None:
        """The standard category of a column: mapped by full path or top-level name, else the top-level name."""
        if not column_path:
            return None
        joined = "/".join(column_path)
        for key in (joined, column_path[0]):
            if key in self.category_map:
                return self.category_map[key]
        return column_path[0]

    def skips(self, column_path: list[str]) -> bool:
        joined = "/".join(column_path)
        return any(
            rule == joined or rule == column_path[-1] or joined.startswith(rule.rstrip("/") + "/")
            for rule in self.skip_columns
        )

    def as_site(self) -> Site:
        return Site(
            id=self.id,
            name=self.name,
            department=self.department,
            platform=self.platform,
            base_url=self.base_url,
        )


def load_site_file(path: Path) -> SiteConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SiteConfigError(f"{path}: cannot read site file: {error}") from error
    if not isinstance(data, dict):
        raise SiteConfigError(f"{path}: a site file must hold a mapping, got {type(data).__name__}")
    data.setdefault("source", str(path))
    try:
        return SiteConfig.model_validate(data)
    except ValidationError as error:
        raise SiteConfigError(f"{path}: invalid site config:\n{error}") from error


def load_site_dir(directory: Path) -> list[SiteConfig]:
    if not directory.is_dir():
        raise SiteConfigError(f"site folder {directory} does not exist")
    files = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    return [load_site_file(path) for path in files]


def _sites_from_entry_point(entry_point: metadata.EntryPoint) -> list[SiteConfig]:
    try:
        target = entry_point.load()
    except Exception as error:
        raise SiteConfigError(
            f"entry point {entry_point.name!r} ({entry_point.value}) failed to load: {error}"
        ) from error
    if isinstance(target, str | os.PathLike):
        return load_site_dir(Path(target))
    if isinstance(target, ModuleType):
        module_file = getattr(target, "__file__", None)
        if module_file is None:
            raise SiteConfigError(f"entry point {entry_point.name!r}: module {target.__name__} has no folder")
        return load_site_dir(Path(module_file).parent)
    if callable(target):
        produced = target()
        if isinstance(produced, str | os.PathLike):
            return load_site_dir(Path(produced))
        return [_coerce(item, entry_point.name) for item in produced]
    raise SiteConfigError(f"entry point {entry_point.name!r} resolved to unsupported {type(target).__name__}")


def _coerce(item: object, origin: str) -> SiteConfig:
    if isinstance(item, SiteConfig):
        return item
    if isinstance(item, dict):
        try:
            return SiteConfig.model_validate({"source": f"entry point {origin}", **item})
        except ValidationError as error:
            raise SiteConfigError(f"entry point {origin}: invalid site config:\n{error}") from error
    raise SiteConfigError(f"entry point {origin}: expected SiteConfig or dict, got {type(item).__name__}")


def sites_dir() -> Path:
    override = os.environ.get(SITES_DIR_ENV)
    return Path(override) if override else PROJECT_SITES_DIR


def discover_sites(
    directory: Path | None = None,
    *,
    entry_points: bool = True,
    entry_point_source: Callable[[], Iterable[metadata.EntryPoint]] | None = None,
) -> dict[str, SiteConfig]:
    """All known sites by id; a duplicate id is an error naming both sources."""
    found: list[SiteConfig] = list(load_site_dir(directory or sites_dir()))
    if entry_points:
        source = entry_point_source or (lambda: metadata.entry_points(group=ENTRY_POINT_GROUP))
        for entry_point in source():
            found.extend(_sites_from_entry_point(entry_point))
    sites: dict[str, SiteConfig] = {}
    for site in found:
        if site.id in sites:
            raise SiteConfigError(
                f"site id {site.id!r} defined twice: {sites[site.id].source} and {site.source}"
            )
        sites[site.id] = site
    return dict(sorted(sites.items()))
