"""``zhifa evaluation import-sheet FILE`` (a scoring sheet, .json or .xlsx; ``--default``
the platform's example) and ``zhifa evaluation verify-draw CAMPAIGN`` (re-run a
campaign's draw from its published inputs: the campaign's number, or the JSON the
portal publishes, ``--file``). Exit status 0 when it matches, 1 when it does not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.core.validation import parse_id
from zhifa.evaluation import draw, sheets
from zhifa.evaluation.campaigns import published_inputs, verify_inputs
from zhifa.evaluation.models import Campaign, CampaignStatus


class Command(BaseCommand):
    help = "Case-file evaluation: import a scoring sheet; verify a published draw."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import-sheet", help="Import a scoring sheet (.json or .xlsx).")
        imp.add_argument("file", nargs="?", help="The sheet file.")
        imp.add_argument("--default", action="store_true", help="The platform's example sheet.")
        ver = sub.add_parser("verify-draw", help="Re-run a published draw and compare.")
        ver.add_argument("campaign", nargs="?", help="The campaign's number (or its ID).")
        ver.add_argument("--file", help="The published inputs (JSON from the portal).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "import-sheet":
            self._import(options)
        else:
            self._verify(options)

    def _import(self, options: dict[str, Any]) -> None:
        try:
            if options["default"]:
                sheet = sheets.ensure_default_sheet()
            elif options.get("file"):
                path = Path(options["file"])
                try:
                    raw = path.read_bytes()
                except OSError as exc:
                    raise CommandError(f"{path}: cannot read ({exc.strerror})") from exc
                sheet = sheets.import_file(path.name, raw)
            else:
                raise CommandError("give a file, or --default")
        except ValidationError as exc:
            lines = [f"  {place}: {'; '.join(messages)}" for place, messages in _errors(exc)]
            raise CommandError("the sheet was not imported:\n" + "\n".join(lines)) from exc
        items = sheet.items.count()
        self.stdout.write(
            f"imported {sheet.code} version {sheet.version} ({items} items, valid from "
            f"{sheet.valid_from}{' to ' + str(sheet.valid_to) if sheet.valid_to else ''})"
        )

    def _verify(self, options: dict[str, Any]) -> None:
        if options.get("file"):
            try:
                document = json.loads(Path(options["file"]).read_text(encoding="utf-8"))
            except OSError as exc:
                raise CommandError(f"{options['file']}: cannot read ({exc.strerror})") from exc
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise CommandError(f"{options['file']}: not JSON ({exc})") from exc
        elif options.get("campaign"):
            key = options["campaign"]
            campaign = Campaign.objects.filter(number=key).first()
            pk = parse_id(key)
            if campaign is None and pk is not None:
                campaign = Campaign.objects.filter(pk=pk).first()
            if campaign is None:
                raise CommandError(f"no campaign numbered {key!r}")
            if campaign.status not in (CampaignStatus.DRAWN, CampaignStatus.RESULTS_PUBLISHED):
                raise CommandError(f"campaign {campaign.number} has not been drawn yet")
            document = published_inputs(campaign)
        else:
            raise CommandError("give a campaign number, or --file")
        try:
            problems = verify_inputs(document)
        except (draw.DrawError, KeyError, TypeError, AttributeError, ValueError) as exc:
            raise CommandError(f"not a published draw: {exc!r}") from exc
        name = document.get("campaign", "?") if isinstance(document, dict) else "?"
        if problems:
            self.stdout.write(f"MISMATCH {name}")
            for problem in problems:
                self.stdout.write(f"  {problem}")
            raise CommandError("the published draw does not match its inputs", returncode=1)
        total = sum(len(r["drawn"]) for r in document["rosters"])
        self.stdout.write(
            f"MATCH {name}: seed {document['seed']}, {len(document['rosters'])} roster(s), "
            f"{total} file(s) drawn"
        )


def _errors(exc: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(exc, "error_dict"):
        return [(k, [str(m) for m in v]) for k, v in exc.message_dict.items()]
    return [("file", [str(m) for m in exc.messages])]
