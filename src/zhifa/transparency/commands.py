"""``zhifa records verify-publication`` and ``zhifa records publication-checkpoint``,
registered into the records command (``records.subcommands``) from ``AppConfig.ready``.

- ``verify-publication [--source SOURCE [--id ID]]``: for every logged leaf (or one
  source's, or one object's), recompute it from the database through its source and
  compare, verify its inclusion proof against the latest signed checkpoint, and verify
  the checkpoints' signatures and consistency. Exit 0 with a summary; exit 1 naming
  each failure; bad arguments get a clear error (never a traceback).
- ``publication-checkpoint``: sign the log's tree now if it grew (the task does it after
  appends and every 15 minutes). Exit 1 if the tree did not verify.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhifa.records.subcommands import Subcommand, register_subcommand


def _verify_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--source", help="Only this source's entries (e.g. disclosure.publication)."
    )
    parser.add_argument("--id", dest="object_id", help="Only this object (needs --source).")


def verify_publication_command(command: BaseCommand, options: dict[str, Any]) -> None:
    from .models import LogEntry
    from .sources import get_source, source_names
    from .verification import verify_publication

    source, object_id = options.get("source"), options.get("object_id")
    if object_id is not None and source is None:
        raise CommandError("--id: give the object's --source too")
    if (
        source is not None
        and get_source(source) is None
        and not LogEntry.objects.filter(source=source).exists()
    ):
        known = ", ".join(source_names()) or "none"
        raise CommandError(f"--source: no source {source!r} (registered: {known})")
    if (
        object_id is not None
        and not LogEntry.objects.filter(source=source, object_id=object_id).exists()
    ):
        raise CommandError(f"--id: nothing of {source} is logged under {object_id!r}")
    report = verify_publication(source, object_id)
    prefix = "records verify-publication"
    if report.pending:
        command.stdout.write(
            f"{prefix}: note: {report.pending} entr(y/ies) appended after the latest "
            "signed checkpoint, not yet covered (`zhifa records publication-checkpoint`)"
        )
    if report.failures:
        for failure in report.failures:
            command.stderr.write(f"{prefix}: FAILED: {failure}")
        command.stderr.write(f"{prefix}: {len(report.failures)} failure(s)")
        raise SystemExit(1)
    command.stdout.write(
        f"{prefix}: OK: {report.entries} entr(y/ies) of {report.objects} object(s) as in "
        f"the database and included in the signed tree of {report.covered_size} leaves; "
        f"{report.checkpoints} checkpoint(s) signed and consistent"
    )


def publication_checkpoint_command(command: BaseCommand, options: dict[str, Any]) -> None:
    from .checkpoints import issue_checkpoint

    outcome = issue_checkpoint()
    prefix = "records publication-checkpoint"
    if outcome.problem:
        command.stderr.write(f"{prefix}: NOT SIGNED: {outcome.problem}")
        raise SystemExit(1)
    if outcome.checkpoint is None:
        command.stdout.write(f"{prefix}: unchanged")
    else:
        command.stdout.write(f"{prefix}: signed the tree of {outcome.checkpoint.size} leaves")


def register() -> None:
    register_subcommand(
        Subcommand(
            "verify-publication",
            "Check the publication log against the database and its signed checkpoints.",
            _verify_arguments,
            verify_publication_command,
        )
    )
    register_subcommand(
        Subcommand(
            "publication-checkpoint",
            "Sign the publication log's tree now if it grew.",
            lambda parser: None,
            publication_checkpoint_command,
        )
    )
