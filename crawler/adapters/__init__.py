"""Platform adapters by name (the `platform:` of a site file): the built-in ones, plus any a plugin package
registers in the entry point group `gongkai.adapters` (name = platform, value = `module:AdapterClass`).

A plugin cannot replace a built-in platform; two plugins naming the same platform are an error naming both.
See docs/adapters.md for the adapter API.
"""

from __future__ import annotations

from importlib import import_module, metadata

from crawler.adapters.base import PlatformAdapter

ENTRY_POINT_GROUP = "gongkai.adapters"

BUILTIN_ADAPTERS: dict[str, str] = {
    "govcn": "crawler.adapters.govcn:GovcnAdapter",
    "trs": "crawler.adapters.trs:TrsAdapter",
    "hanweb": "crawler.adapters.hanweb:HanwebAdapter",
    "gkmlpt": "crawler.adapters.gkmlpt:GkmlptAdapter",
    "generic": "crawler.adapters.generic:GenericAdapter",
}


def _registry() -> dict[str, str]:
    """Platform name -> "module:attribute", built-ins first; read afresh so a newly installed plugin counts."""
    registry = dict(BUILTIN_ADAPTERS)
    origin: dict[str, str] = {}
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        name = entry_point.name
        source = entry_point.dist.name if entry_point.dist else entry_point.value
        if name in BUILTIN_ADAPTERS:
            raise ValueError(f"plugin {source!r} registers platform {name!r}, which is built in")
        if name in origin and registry[name] != entry_point.value:
            raise ValueError(f"platform {name!r} registered twice: by {origin[name]!r} and {source!r}")
        registry[name] = entry_point.value
        origin[name] = source
    return registry


def platform_names() -> list[str]:
    """Every platform a site file may name."""
    return list(_registry())


def adapter_class(platform: str) -> type[PlatformAdapter]:
    registry = _registry()
    try:
        target = registry[platform]
    except KeyError:
        raise ValueError(f"unknown platform {platform!r}; known: {', '.join(registry)}") from None
    module_name, _, attribute = target.partition(":")
    try:
        adapter = getattr(import_module(module_name), attribute)
    except (ImportError, AttributeError) as error:
        raise ValueError(f"platform {platform!r}: cannot load adapter {target}: {error}") from error
    if not (isinstance(adapter, type) and issubclass(adapter, PlatformAdapter)):
        raise TypeError(f"{target} is not a PlatformAdapter")
    return adapter
