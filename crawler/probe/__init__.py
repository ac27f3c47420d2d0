"""`gongkai site probe URL`: detect a site's platform, walk its column tree within a small request budget
through the crawler's own adapter and extraction, and report what the audit would say about each column."""

from crawler.probe.detect import detect_platform
from crawler.probe.fetch import PoliteFetcher, ProbeError
from crawler.probe.models import Detection, ProbedColumn, ProbeReport, SampleDocument
from crawler.probe.walk import ProbeOptions, probe_site

__all__ = [
    "Detection",
    "PoliteFetcher",
    "ProbeError",
    "ProbeOptions",
    "ProbeReport",
    "ProbedColumn",
    "SampleDocument",
    "detect_platform",
    "probe_site",
]
