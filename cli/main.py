"""The `gongkai` command: one entry point; subcommands are imported only when invoked."""

from __future__ import annotations

import importlib

import click

# name -> "module:attribute" of a click command or group
SUBCOMMANDS: dict[str, str] = {
    "docno": "cli.docno:docno",
    "portal": "cli.portal:portal",
    "crawl": "cli.crawl:crawl",
    "extract": "cli.extract:extract",
    "archive": "cli.archive:archive",
    "reindex": "cli.index:reindex",
    "index": "cli.index:index",
    "serve": "cli.serve:serve",
    "demo": "cli.demo:demo",
    "site": "cli.site:site",
    "catalog": "cli.catalog:catalog",
    "worker": "cli.worker:worker",
    "schedule": "cli.worker:schedule",
    "status": "cli.worker:status",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=LazyGroup)
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai (公开): crawl, archive, index and search government disclosure documents."""
