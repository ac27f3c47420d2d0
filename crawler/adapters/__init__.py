"""Platform adapters by name (the `platform:` of a site file)."""

from __future__ import annotations

from importlib import import_module

from crawler.adapters.base import PlatformAdapter

_ADAPTERS: dict[str, str] = {
    "govcn": "crawler.adapters.govcn:GovcnAdapter",
    "trs": "crawler.adapters.trs:TrsAdapter",
    "hanweb": "crawler.adapters.hanweb:HanwebAdapter",
    "gkmlpt": "crawler.adapters.gkmlpt:GkmlptAdapter",
    "generic": "crawler.adapters.generic:GenericAdapter",
}


def adapter_class(platform: str) -> type[PlatformAdapter]:
    try:
        module_name, attribute = _ADAPTERS[platform].split(":")
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; known: {', '.join(_ADAPTERS)}") from None
    adapter = getattr(import_module(module_name), attribute)
    if not (isinstance(adapter, type) and issubclass(adapter, PlatformAdapter)):
        raise TypeError(f"{_ADAPTERS[platform]} is not a PlatformAdapter")
    return adapter
