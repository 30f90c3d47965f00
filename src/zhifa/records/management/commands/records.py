"""``zhifa records verify|checkpoint|verify-export``.

- ``verify [--organ ORGAN] [--no-files] [--against FILE]``: recompute every chain (or
  one organ's: its ID, unified social credit code or exact name), compare the evidence
  rows with their entries, and with ``--against`` the checkpoints with a witness copy.
  Exit 0 with a one-line summary when intact; exit 1 naming the organ and the first bad
  sequence number otherwise.
- ``checkpoints --out FILE``: save every signed checkpoint (a witness copy).
- ``checkpoint [--organ ORGAN]``: sign the head of every chain that grew (run it from
  cron or a systemd timer, e.g. every 10 minutes). Exit 1 if a chain failed to verify.
- ``verify-export FILE.zip [--public-key HEX]``: check an export offline.
- ``grants ROLE``: the PostgreSQL privileges of the application's role (docs/records.md).
- Subcommands other apps register (``records.subcommands``), e.g. the publication
  log's ``verify-publication`` and ``publication-checkpoint`` (docs/transparency.md).
"""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhifa.core.organisation import Organ

from ...export import verify_export
from ...services import create_checkpoints
from ...verification import resolve_organ, verify_all


class Command(BaseCommand):
    help = "Verify the whole-process record, sign checkpoints, check exports."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Recompute the hash chains.")
        verify.add_argument("--organ", help="Organ ID, unified social credit code or name.")
        verify.add_argument(
            "--no-files", action="store_true", help="Do not re-hash evidence files."
        )
        verify.add_argument(
            "--against",
            metavar="FILE",
            help="Compare with a witness copy of the checkpoints "
            "(`records checkpoints --out FILE`, or the public /records/checkpoints.json).",
        )
        saved = sub.add_parser(
            "checkpoints", help="Save every signed checkpoint to FILE (a witness copy)."
        )
        saved.add_argument("--out", metavar="FILE", required=True)
        checkpoint = sub.add_parser("checkpoint", help="Sign the head of every chain.")
        checkpoint.add_argument("--organ", help="Organ ID, unified social credit code or name.")
        keygen = sub.add_parser(
            "keygen", help="Write a new Ed25519 checkpoint signing key (PEM) to FILE."
        )
        keygen.add_argument("file")
        grants = sub.add_parser(
            "grants",
            help="Print the PostgreSQL GRANT/REVOKE statements for the application's role "
            "when another role owns the schema (run them as the owner).",
        )
        grants.add_argument("role")
        export = sub.add_parser("verify-export", help="Check an export ZIP offline.")
        export.add_argument("file")
        export.add_argument("--public-key", help="Require checkpoints signed by this key (hex).")
        from ...subcommands import subcommands

        for extra in subcommands():  # e.g. verify-publication (zhifa.transparency)
            extra.add_arguments(sub.add_parser(extra.name, help=extra.help))

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "verify":
            self._verify(
                self._organ(options.get("organ")),
                files=not options["no_files"],
                against=options.get("against"),
            )
        elif action == "checkpoints":
            self._save_checkpoints(options["out"])
        elif action == "checkpoint":
            self._checkpoint(self._organ(options.get("organ")))
        elif action == "keygen":
            self._keygen(options["file"])
        elif action == "grants":
            from ...db import app_role_grants_sql

            for statement in app_role_grants_sql(options["role"]):
                self.stdout.write(statement + ";")
        elif action == "verify-export":
            self._verify_export(options["file"], options.get("public_key"))
        else:
            from ...subcommands import get_subcommand

            extra = get_subcommand(action)
            if extra is None:  # argparse allows only the registered names
                raise CommandError(f"unknown action {action!r}")
            extra.handle(self, options)

    def _keygen(self, path: str) -> None:
        from ...signing import new_key_pem

        pem, public_hex = new_key_pem()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as exc:
            raise CommandError(f"file: {path} exists; refusing to overwrite a key") from exc
        except OSError as exc:
            raise CommandError(f"file: cannot create {path}: {exc.strerror}") from exc
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        self.stdout.write(f"records keygen: wrote {path} (public key {public_hex})")

    def _organ(self, value: str | None) -> Organ | None:
        if not value:
            return None
        try:
            return resolve_organ(value)
        except LookupError as exc:
            raise CommandError(f"--organ: {exc}") from exc

    def _save_checkpoints(self, path: str) -> None:
        from django.utils import timezone

        from ...witness import write_checkpoints

        try:
            handle = open(path, "x", encoding="utf-8")  # noqa: SIM115 - closed below
        except FileExistsError as exc:
            raise CommandError(f"--out: {path} exists; refusing to overwrite it") from exc
        except OSError as exc:
            raise CommandError(f"--out: cannot create {path}: {exc.strerror}") from exc
        with handle:
            count = write_checkpoints(handle, saved_at=timezone.now())
        self.stdout.write(
            f"records checkpoints: wrote {count} checkpoint(s) to {path}; keep it outside "
            "the database and check with `zhifa records verify --against FILE`"
        )

    def _verify(self, organ: Organ | None, *, files: bool, against: str | None = None) -> None:
        from ...verification import Problem
        from ...witness import WitnessError, load_witness

        witness = None
        if against:
            try:
                witness = load_witness(against)
            except WitnessError as exc:
                raise CommandError(f"--against: {against}: {exc}") from exc
        chains = entries = checkpoints = evidence = rows = witnessed = cases = steps = 0
        problems = []
        for report in verify_all(organ, files=files, witness=witness):
            chains += 1
            if isinstance(report, Problem):
                problems.append(report)
                continue
            if report.problem is not None:
                problems.append(report.problem)
                continue
            entries += report.length
            checkpoints += report.checkpoints
            evidence += report.evidence_files
            rows += report.evidence_rows
            witnessed += report.witnessed
            cases += report.cases
            steps += report.steps
        if problems:
            for problem in problems:
                self.stderr.write(f"records verify: TAMPERED: {problem.describe()}")
            self.stderr.write(
                f"records verify: {len(problems)} of {chains} chain(s) failed verification"
            )
            raise SystemExit(1)
        witness_note = f", {witnessed} checkpoint(s) of the witness copy" if against else ""
        self.stdout.write(
            f"records verify: OK: {chains} chain(s), {entries} entries, {checkpoints} "
            f"checkpoint(s), {evidence} evidence file(s) intact, {rows} evidence row(s) "
            f"as recorded, {cases} case(s) and {steps} step(s) as recorded{witness_note}"
        )

    def _checkpoint(self, organ: Organ | None) -> None:
        results = create_checkpoints([organ] if organ else None)
        signed = [r for r in results if r.checkpoint is not None]
        failed = [r for r in results if r.problem]
        for r in failed:
            self.stderr.write(f"records checkpoint: NOT SIGNED: {r.problem}")
        self.stdout.write(
            f"records checkpoint: {len(signed)} signed, "
            f"{len(results) - len(signed) - len(failed)} unchanged, {len(failed)} failed"
        )
        if failed:
            raise SystemExit(1)

    def _verify_export(self, path: str, public_key: str | None) -> None:
        # A file that is not there is a mistake of the command line, not tampering.
        if not os.path.exists(path):
            self.stderr.write(f"records verify-export: {path}: not found")
            raise SystemExit(1)
        if not os.path.isfile(path):
            self.stderr.write(f"records verify-export: {path}: not a file")
            raise SystemExit(1)
        check = verify_export(path, public_key)
        for warning in check.warnings:
            self.stdout.write(f"records verify-export: warning: {warning}")
        if check.problems:
            for problem in check.problems:
                self.stderr.write(f"records verify-export: TAMPERED: {problem}")
            raise SystemExit(1)
        self.stdout.write(
            f"records verify-export: OK: {check.entries} entries, {check.evidence} evidence "
            f"file(s), {check.chains} chain(s), {check.checkpointed} linked to a signed "
            "checkpoint"
        )
