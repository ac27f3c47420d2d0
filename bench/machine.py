"""One line naming the machine a benchmark ran on, printed above every table so rows stay comparable."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime


def _memory_gib() -> float | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _load() -> str:
    try:
        one, five, _fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.1f}/{five:.1f}"


def machine_line() -> str:
    memory = _memory_gib()
    memory_text = f"{memory:.1f} GiB memory" if memory is not None else "memory unknown"
    return (
        f"machine: {os.cpu_count()} CPUs ({_cpu_model()}), {memory_text}, load {_load()} (1/5 min), "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}; "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    )


if __name__ == "__main__":
    print(machine_line())
