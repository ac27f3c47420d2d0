"""The site file a probe writes (`--write sites/ID.yml`): a SiteConfig the crawler loads as it is."""

from __future__ import annotations

from pathlib import Path

import yaml

from crawler.probe.models import ProbeReport
from crawler.sites import SiteConfig, load_site_file


def site_config(report: ProbeReport, site_id: str | None = None) -> SiteConfig:
    data = dict(report.site)
    if site_id:
        data["id"] = site_id
    return SiteConfig.model_validate(data)


def write_site_file(report: ProbeReport, path: Path, site_id: str | None = None) -> SiteConfig:
    """Write the site file (id from `site_id`, else the file name) and read it back as the crawler will."""
    config = site_config(report, site_id or path.stem)
    data = config.model_dump(mode="json", exclude_defaults=True, exclude={"source"})
    data = {"id": data.pop("id"), "name": data.pop("name"), "platform": config.platform, **data}
    header = (
        f"# {config.name} — written by `gongkai site probe {report.url}` on {report.as_of.isoformat()}\n"
        f"# platform {report.detection.platform}: "
        + (", ".join(dict.fromkeys(f.clue for f in report.detection.evidence)) or "no fingerprint (generic)")
        + "\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_site_file(path)
