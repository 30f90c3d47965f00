"""Case-file exchange: import is idempotent and whole or nothing; auditing a stored case
and auditing its export give the same findings (every legal test of the engine)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.cases.casefile import case_file, export_document
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.services import import_document
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import CaseFile, audit, to_document, validate_document

LEGAL_TESTS = Path(__file__).resolve().parents[2] / "rules" / "legal_tests"
PENALTY_FILES = sorted(
    p
    for p in LEGAL_TESTS.glob("*.json")
    if not p.name.endswith(".expected.json")
    and json.loads(p.read_text("utf-8")).get("kind") == "penalty"
)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _findings(case: CaseFile, as_of: dt.date) -> dict[str, Any]:
    return to_document(audit(case, as_of, database_calendar()))


@pytest.mark.parametrize("path", PENALTY_FILES, ids=[p.stem for p in PENALTY_FILES])
def test_a_stored_case_and_its_export_audit_the_same(
    path: Path, organ_a: EnforcementSubject, officer_a: User, time_machine: Any
) -> None:
    document = _load(path)
    as_of = dt.date.fromisoformat(document["as_of"])
    # Imported on the day it is audited: an import refuses dates after today, and some
    # legal test files lie in a year still to come.
    time_machine.move_to(dt.datetime.combine(as_of, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai")))
    case = import_document(document, organ_a, actor=officer_a).case
    exported = export_document(case, as_of)
    validate_document(exported)
    original = _findings(CaseFile.from_dict(document), as_of)
    assert _findings(case_file(case, as_of), as_of) == original
    assert _findings(CaseFile.from_dict(exported), as_of) == original


def test_import_is_idempotent(organ_a: EnforcementSubject, officer_a: User) -> None:
    document = _load(LEGAL_TESTS / "general_clean_national_day.json")
    first = import_document(document, organ_a, actor=officer_a)
    entries = Entry.objects.count()
    second = import_document(document, organ_a, actor=officer_a)
    assert first.created and not second.created and first.case.pk == second.case.pk
    assert Case.objects.count() == 1 and Entry.objects.count() == entries
    changed = dict(document, party=dict(document["party"], name="另一家公司"))
    with pytest.raises(ValidationError) as refused:
        import_document(changed, organ_a, actor=officer_a)
    assert refused.value.code == "duplicate"


def test_an_invalid_document_imports_nothing(organ_a: EnforcementSubject, officer_a: User) -> None:
    document = _load(LEGAL_TESTS / "general_clean_national_day.json")
    document["steps"][3]["on"] = "2025-13-01"
    with pytest.raises(ValidationError) as refused:
        import_document(document, organ_a, actor=officer_a)
    assert "steps[3].on" in refused.value.messages[0] or "steps/3/on" in refused.value.messages[0]
    assert Case.objects.count() == CaseStep.objects.count() == 0


def test_the_import_and_export_commands(
    tmp_path: Path, organ_a: EnforcementSubject, officer_a: User, capsys: Any
) -> None:
    good = _load(LEGAL_TESTS / "summary_clean.json")
    (tmp_path / "a.json").write_text(json.dumps(good, ensure_ascii=False), "utf-8")
    (tmp_path / "b.json").write_text("{not json", "utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "cases", "import", str(tmp_path), "--organ", str(organ_a.pk), "--user", "officer_a"
        )
    assert exit_.value.code == 1
    out = capsys.readouterr().out
    assert "a.json: imported" in out and "b.json: error" in out
    assert "1 imported, 0 unchanged, 1 error(s)" in out
    (tmp_path / "b.json").unlink()
    call_command(
        "cases", "import", str(tmp_path), "--organ", str(organ_a.pk), "--user", "officer_a"
    )
    assert "a.json: unchanged" in capsys.readouterr().out
    call_command("cases", "export", good["case_id"], "--as-of", good["as_of"])
    exported = json.loads(capsys.readouterr().out)
    assert exported["case_id"] == good["case_id"] and exported["steps"] == good["steps"]
