"""Portal configuration and the fault spec language.

Fault spec: ``site:key=value,key=value;site2:...`` where ``site`` is a site id or ``*`` (all sites),
or the preset name ``demo``. Keys (see README): 5xx, slow, delay, reset, truncate, charset, loop,
trap, giant, 404, churn.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from portal.sites import SITE_IDS

DEFAULT_TODAY = date(2026, 11, 20)

DEMO_PRESET = (
    "jinan-jyj:5xx=0.05,slow=0.02,delay=0.5,charset=0.05;"
    "jinan-czj:reset=0.02,truncate=0.02;"
    "jinan-scjgj:trap=1,loop=2;"
    "jinan-sthjj:404=0.02,giant=0.01;"
    "jinan-zjj:churn=1"
)


class SiteFaults(BaseModel):
    """Faults enabled on one site. Rates are per-URL probabilities decided by a seeded hash."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    server_error: float = Field(
        default=0.0, ge=0, le=1, description="URL answers 503 for its first 1-3 attempts"
    )
    slow: float = Field(default=0.0, ge=0, le=1, description="URL is answered after `delay` seconds")
    delay: float = Field(default=1.0, ge=0, le=60)
    reset: float = Field(default=0.0, ge=0, le=1, description="first attempt: connection closed, no response")
    truncate: float = Field(default=0.0, ge=0, le=1, description="first attempt: body cut short, then closed")
    wrong_charset: float = Field(default=0.0, ge=0, le=1, description="GBK page whose header says utf-8")
    redirect_loops: int = Field(default=0, ge=0, le=50, description="links to URLs that redirect in a cycle")
    trap: bool = Field(default=False, description="an endless calendar linked from every page")
    giant: float = Field(default=0.0, ge=0, le=1, description="detail page padded to a multi-MB page")
    missing: float = Field(default=0.0, ge=0, le=1, description="listed document whose detail page is 404")
    churn: bool = Field(default=False, description="at epoch 1 one column is removed and one added")

    @property
    def has_transient(self) -> bool:
        return bool(self.server_error or self.slow or self.reset or self.truncate)


_SPEC_KEYS: dict[str, str] = {
    "5xx": "server_error",
    "503": "server_error",
    "slow": "slow",
    "delay": "delay",
    "reset": "reset",
    "truncate": "truncate",
    "charset": "wrong_charset",
    "loop": "redirect_loops",
    "trap": "trap",
    "giant": "giant",
    "404": "missing",
    "churn": "churn",
}


class FaultSpecError(ValueError):
    """A fault spec string that cannot be understood."""


def parse_fault_spec(spec: str | None) -> dict[str, SiteFaults]:
    """Parse a fault spec string into per-site fault settings (empty dict = clean portal)."""
    if spec is None or not spec.strip() or spec.strip() == "none":
        return {}
    text = spec.strip()
    if text == "demo":
        text = DEMO_PRESET
    values: dict[str, dict[str, object]] = {}
    for clause in filter(None, (part.strip() for part in text.split(";"))):
        site, sep, settings = clause.partition(":")
        site = site.strip()
        if not sep:
            raise FaultSpecError(f"fault clause {clause!r} lacks 'site:' prefix")
        if site != "*" and site not in SITE_IDS:
            raise FaultSpecError(f"unknown site {site!r} in fault spec; known: {', '.join(SITE_IDS)}")
        targets = list(SITE_IDS) if site == "*" else [site]
        for item in filter(None, (part.strip() for part in settings.split(","))):
            key, eq, raw = item.partition("=")
            key = key.strip()
            if key not in _SPEC_KEYS:
                raise FaultSpecError(f"unknown fault {key!r}; known: {', '.join(_SPEC_KEYS)}")
            value: object = raw.strip() if eq else "1"
            for target in targets:
                values.setdefault(target, {})[_SPEC_KEYS[key]] = value
    try:
        return {site: SiteFaults.model_validate(fields) for site, fields in values.items()}
    except ValueError as error:
        raise FaultSpecError(f"invalid fault value in {spec!r}: {error}") from error


class PortalConfig(BaseModel):
    """Everything the portal's content and behaviour derive from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    seed: int = 7
    docs: int = Field(default=600, ge=0, le=20_000_000, description="documents across all sites at epoch 0")
    epoch: int = Field(default=0, ge=0, le=1)
    base_port: int = Field(
        default=18100, ge=0, le=65000, description="site n listens on base_port+n; 0 = ephemeral"
    )
    host: str = "127.0.0.1"
    today: date = DEFAULT_TODAY
    epoch_days: int = Field(default=30, ge=1, le=365, description="days between epoch 0 and epoch 1")
    faults: dict[str, SiteFaults] = Field(default_factory=dict)
    site_ports: dict[str, int] = Field(default_factory=dict, description="resolved ports (set by the server)")
    oversized_bytes: int = Field(default=24 * 1024 * 1024, ge=1024)
    giant_page_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    attachment_cache_items: int = Field(default=128, ge=0)
    _hash: int | None = PrivateAttr(default=None)

    def __hash__(self) -> int:
        # Configs key the corpus caches; dict fields make the default frozen-model hash fail.
        private = self.__pydantic_private__  # direct dict access: attribute lookup is slow here
        if private is None or private.get("_hash") is None:
            self._hash = hash(self.model_dump_json())
            return self._hash
        return private["_hash"]

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> PortalConfig:
        copied = super().model_copy(update=update, deep=deep)
        copied._hash = None
        return copied

    @field_validator("faults", mode="before")
    @classmethod
    def _parse_spec(cls, value: object) -> object:
        if value is None or isinstance(value, str):
            return parse_fault_spec(value)
        return value

    def today_at(self, epoch: int | None = None) -> date:
        """The portal's "today" at an epoch (default: the configured one)."""
        chosen = self.epoch if epoch is None else epoch
        return self.today + timedelta(days=self.epoch_days * chosen)

    def faults_for(self, site_id: str) -> SiteFaults | None:
        return self.faults.get(site_id)

    def port_of(self, site_id: str) -> int:
        if site_id in self.site_ports:
            return self.site_ports[site_id]
        if self.base_port == 0:
            raise ValueError("ports are only known once the server has started (base_port=0)")
        from portal.sites import site_spec

        return self.base_port + site_spec(site_id).number

    def base_url(self, site_id: str) -> str:
        return f"http://{self.host}:{self.port_of(site_id)}/"
