"""The ``newsarchive`` command.

Sub-commands live in ``crawler/commands/*`` and are imported only when invoked, so that a
quick command such as ``newsarchive extract`` never pays for importing Scrapy or Twisted.
"""

from __future__ import annotations

import importlib

import click

from crawler import __version__

# name -> "module:attribute" of a click command
COMMANDS = {
    "crawl": "crawler.commands.crawl:crawl",
    "demo": "crawler.commands.demo:demo",
    "extract": "crawler.commands.extract:extract",
    "index": "crawler.commands.archive:index",
    "show": "crawler.commands.archive:show",
    "verify": "crawler.commands.archive:verify",
    "replay": "crawler.commands.replay:replay",
    "reextract": "crawler.commands.reextract:reextract",
    "package": "crawler.commands.package:package",
    "search": "crawler.commands.dataset:search",
    "query": "crawler.commands.dataset:query",
    "export": "crawler.commands.dataset:export",
    "diff": "crawler.commands.dataset:diff",
    "browse": "crawler.commands.dataset:browse",
    "report": "crawler.commands.report:report",
    "jobs": "crawler.commands.jobs:jobs",
    "scheduler": "crawler.commands.jobs:scheduler",
    "status": "crawler.commands.jobs:status",
    "worker": "crawler.commands.scale:worker",
    "seed": "crawler.commands.scale:seed",
    "frontier": "crawler.commands.scale:frontier",
    "merge": "crawler.commands.scale:merge",
}


class LazyGroup(click.Group):
    """A click group whose commands are imported on first use."""

    def list_commands(self, ctx):
        return sorted(set(COMMANDS) | set(super().list_commands(ctx)))

    def get_command(self, ctx, name):
        target = COMMANDS.get(name)
        if target is None:
            return super().get_command(ctx, name)
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                return None  # not built yet
            raise
        return getattr(module, attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsarchive")
def main():
    """Crawl news sites into WARC files and a searchable SQLite dataset."""


if __name__ == "__main__":
    main()
