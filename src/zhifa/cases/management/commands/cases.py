"""``zhifa cases import FOLDER --organ ORGAN --user USERNAME`` and
``zhifa cases export CASE_ID [--organ ORGAN] [--as-of DATE]``.

Import reads every ``*.json`` of FOLDER (sorted), imports each document whole or nothing
(idempotent by ``case_id``) and prints one line per file (``imported``, ``unchanged`` or
``error: …``) and a summary; exit 1 when a file failed. Export prints the case as a
case-file v1 document. ``zhifa cases refresh-deadlines [--organ ORGAN]`` asks the rules
engine again for every case's nearest deadline (kept on the case for the lists): run it
after upgrading and after loading a year's holiday schedule.
"""

from __future__ import annotations

import datetime as dt
import json
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.records.verification import resolve_organ
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine.validation import InvalidCaseFile, parse_json

from ...casefile import export_document
from ...models import Case
from ...queries import sweep
from ...services import import_document


def _read_case_file(path: Path) -> dict[str, Any]:
    """The JSON object of the file at ``path``; ``ValueError`` saying what is wrong
    (not a file, unreadable, not UTF-8, not JSON, ``NaN``, nested too deep, not an
    object) in one line."""
    if not path.is_file():
        raise ValueError("not found (a broken link)" if not path.exists() else "not a file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot be read: {exc.strerror or exc}") from None
    try:
        document = parse_json(data)
    except InvalidCaseFile as exc:
        raise ValueError("; ".join(e.message for e in exc.errors)) from None
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


class Command(BaseCommand):
    help = "Import a folder of case files, or export one case as a case file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="Import every *.json case file of a folder.")
        imp.add_argument("folder")
        imp.add_argument("--organ", required=True, help="Organ ID, USCC or exact name.")
        imp.add_argument("--user", required=True, help="The user the import is recorded for.")
        exp = sub.add_parser("export", help="Print one case as a case-file v1 document.")
        exp.add_argument("case_id")
        exp.add_argument("--organ", help="Organ ID, USCC or exact name (when ambiguous).")
        exp.add_argument("--as-of", help="YYYY-MM-DD (default today).")
        ref = sub.add_parser(
            "refresh-deadlines",
            help="Audit each case again and keep its findings, deadlines and nearest deadline.",
        )
        ref.add_argument("--organ", help="Organ ID, USCC or exact name (default: all organs).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import":
            self._import(Path(options["folder"]), options["organ"], options["user"])
        elif options["action"] == "refresh-deadlines":
            cases = Case.objects.all()
            if options.get("organ"):
                cases = cases.filter(organ=self._organ(options["organ"]))
            done = sweep(cases, timezone.localdate())
            self.stdout.write(f"cases refresh-deadlines: {done} case(s)")
        else:
            self._export(options["case_id"], options.get("organ"), options.get("as_of"))

    def _organ(self, value: str) -> EnforcementSubject:
        try:
            return resolve_organ(value)
        except LookupError as exc:
            raise CommandError(f"--organ: {exc}") from exc

    def _import(self, folder: Path, organ_value: str, username: str) -> None:
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        organ = self._organ(organ_value)
        actor = User.objects.filter(username=username).first()
        if actor is None:
            raise CommandError(f"--user: no user {username!r}")
        counts = {"imported": 0, "unchanged": 0, "error": 0}
        for path in sorted(folder.glob("*.json")):
            try:
                document = _read_case_file(path)
                result = import_document(document, organ, actor=actor)
            except (ValueError, ValidationError, PermissionDenied) as exc:
                message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.stdout.write(f"{path.name}: error: {message}")
                counts["error"] += 1
                continue
            status = "imported" if result.created else "unchanged"
            counts[status] += 1
            self.stdout.write(f"{path.name}: {status} {result.case.case_id}")
        self.stdout.write(
            "cases import: {imported} imported, {unchanged} unchanged, {error} error(s)".format(
                **counts
            )
        )
        if counts["error"]:
            raise SystemExit(1)

    def _export(self, case_id: str, organ_value: str | None, as_of: str | None) -> None:
        # The source number (案源登记号) or, once registered, the case number (立案号)
        # users see on every page.
        cases = Case.objects.filter(Q(case_id=case_id) | Q(registration_number=case_id))
        if organ_value:
            cases = cases.filter(organ=self._organ(organ_value))
        found = list(cases[:2])
        if len(found) != 1:
            raise CommandError(
                f"no case has the source number or case number {case_id!r}"
                if not found
                else f"{case_id!r} is ambiguous; use --organ"
            )
        try:
            day = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        document = export_document(found[0], day)
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
