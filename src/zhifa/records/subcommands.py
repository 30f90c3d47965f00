"""Subcommands of ``zhifa records`` that higher apps add (ADR 0010: records imports
only core, so an app that checks its own part of the record, such as the publication
log's ``verify-publication``, registers its subcommand from its ``AppConfig.ready``)."""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    #: Called with the command (for its stdout/stderr) and the parsed options; raises
    #: CommandError for bad arguments and SystemExit(1) for a failed check.
    handle: Callable[[BaseCommand, dict[str, Any]], None]


_subcommands: dict[str, Subcommand] = {}


def register_subcommand(subcommand: Subcommand) -> None:
    _subcommands[subcommand.name] = subcommand


def subcommands() -> list[Subcommand]:
    return [_subcommands[name] for name in sorted(_subcommands)]


def get_subcommand(name: str) -> Subcommand | None:
    return _subcommands.get(name)
