"""Sorting request failures into the error kinds of the run report."""

from __future__ import annotations

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as net_error
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from crawler.middlewares.scope import OutOfScope


def classify_failure(failure: Failure) -> str:
    """One of the report's error kinds (or a skip kind: robots, offsite, denied)."""
    value = failure.value
    if isinstance(value, HttpError):
        status = value.response.status
        return "http_5xx" if status >= 500 else "http_4xx"
    if isinstance(value, OutOfScope):
        return value.kind
    if isinstance(value, IgnoreRequest):
        text = str(value).lower()
        if "robots" in text:
            return "robots"
        if "redirect" in text:
            return "redirect_loop"
        return "other"
    if isinstance(value, DownloadTimeoutError | net_error.TimeoutError | net_error.TCPTimedOutError):
        return "timeout"
    if isinstance(value, ResponseDataLossError | DownloadCancelledError):
        return "truncated"  # body cut short, or larger than DOWNLOAD_MAXSIZE
    if isinstance(value, DownloadFailedError | DownloadConnectionRefusedError | CannotResolveHostError):
        return "connection_reset"
    if isinstance(value, ResponseFailed):
        reasons = " ".join(repr(r.value) for r in value.reasons)
        if "PotentialDataLoss" in reasons or "DataLoss" in reasons or "_DataLoss" in reasons:
            return "truncated"
        return "connection_reset"
    if isinstance(value, ResponseNeverReceived | net_error.ConnectionLost | net_error.ConnectionDone):
        return "connection_reset"
    if isinstance(
        value, net_error.ConnectionRefusedError | net_error.ConnectError | net_error.DNSLookupError
    ):
        return "connection_reset"
    name = type(value).__name__.lower()
    if "timeout" in name:
        return "timeout"
    if "dataloss" in name or "maxsize" in str(value).lower():
        return "truncated"
    return "other"
