"""Health of one component (index backend, catalogue, queue, …) as reported by `GET /health`."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from pydantic import BaseModel, Field

HealthDetail = str | int | float | bool | list[str] | None


class HealthStatus(StrEnum):
    """ok: fully working; degraded: working with less redundancy or capacity; down: not working."""

    ok = "ok"
    degraded = "degraded"
    down = "down"


_RANK = {HealthStatus.ok: 0, HealthStatus.degraded: 1, HealthStatus.down: 2}


class ComponentHealth(BaseModel):
    name: str = Field(description="what was checked: index, catalog, queue, …")
    status: HealthStatus
    essential: bool = Field(description="when an essential component is down the service cannot answer (503)")
    reason: str | None = Field(default=None, description="why the status is not ok, in words")
    details: dict[str, HealthDetail] = Field(default_factory=dict)


def worst(statuses: Iterable[HealthStatus]) -> HealthStatus:
    """The most severe of the statuses (ok when there are none)."""
    return max(statuses, key=_RANK.__getitem__, default=HealthStatus.ok)
