"""Legal tests as data: every case file in legal_tests/ audited through the real
``zhifa audit`` command gives, byte for byte, its .expected.json (written by reasoning
from the law; each file's ``legal_test.about`` says how the dates were counted)."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.rules.engine import RULES

from .conftest import LEGAL_TESTS, legal_case_files

CASES = legal_case_files()
CATALOGUE_IDS = {
    line.strip()
    for line in (LEGAL_TESTS.parent / "data" / "catalogue_ids.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
}


def run_audit(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("audit", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_audit_gives_the_expected_findings_and_deadlines(path: Path) -> None:
    expected = path.with_name(path.stem + ".expected.json").read_text("utf-8")
    assert run_audit(path) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_every_rule_in_the_output_is_in_the_catalogue(path: Path) -> None:
    document = json.loads(run_audit(path))
    rules = {f["rule"] for f in document["findings"]} | {d["rule"] for d in document["deadlines"]}
    assert rules <= CATALOGUE_IDS


def _broken(expected: dict[str, Any]) -> set[str]:
    """The rules an expected findings document shows broken: a finding, a deadline
    missed or overdue, a late fee above zero."""
    broken = {f["rule"] for f in expected["findings"]}
    broken |= {d["rule"] for d in expected["deadlines"] if d["status"] in ("missed", "overdue")}
    if (expected["amounts"]["late_fee"] or 0) > 0:
        broken.add("APL-72-late-fee")
    return broken


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_the_case_breaks_and_keeps_what_it_says(path: Path) -> None:
    case = json.loads(path.read_text("utf-8"))["legal_test"]
    expected = json.loads(path.with_name(path.stem + ".expected.json").read_text("utf-8"))
    broken = _broken(expected)
    assert set(case["breaks"]) <= broken, "a rule the case should break is not broken"
    assert not set(case["keeps"]) & broken, "a rule the case should keep is broken"
    assert broken <= set(case["breaks"]), "the case breaks a rule it does not list"


def test_every_rule_is_broken_by_one_case_and_kept_by_another() -> None:
    keeps: set[str] = set()
    breaks: set[str] = set()
    for path in CASES:
        case = json.loads(path.read_text("utf-8"))["legal_test"]
        keeps |= set(case["keeps"])
        breaks |= set(case["breaks"])
    assert set(RULES) - keeps == set()
    # Rules that only compute dates other rules judge: nothing of their own to break.
    # REMEDY-periods (used by ACL-53); CPL-95-public-notice (the day service by public
    # notice takes effect, for APL-67, APL-72, REMEDY-periods, ACL-53, ACL-35-demand-timing);
    # APL-72-deferral-court (the start of ACL-53-court-deadline after a deferral). Their
    # legal tests (public_notice_*, deferral_court_*) show the dates they give, met and missed.
    assert set(RULES) - breaks == {
        "REMEDY-periods",
        "CPL-95-public-notice",
        "APL-72-deferral-court",
    }


@pytest.mark.django_db
def test_the_same_file_gives_byte_identical_output_twice() -> None:
    path = LEGAL_TESTS / "spring_festival_notice_breaks.json"
    assert run_audit(path) == run_audit(path)


@pytest.mark.django_db
def test_english_messages_with_lang_en() -> None:
    path = LEGAL_TESTS / "spring_festival_notice_breaks.json"
    english = json.loads(run_audit(path, "--lang", "en"))
    chinese = json.loads(run_audit(path))
    assert [f["rule"] for f in english["findings"]] == [f["rule"] for f in chinese["findings"]]
    assert all(f["message"].isascii() for f in english["findings"])
    assert english["deadlines"] == chinese["deadlines"]
    note = json.loads(run_audit(LEGAL_TESTS / "year_without_schedule.json", "--lang", "en"))
    notes = [d["note"] for d in note["deadlines"] if d["note"]]
    assert "No official holiday schedule is loaded for 2027" in notes[0]


@pytest.mark.django_db
def test_as_of_option_overrides_the_file() -> None:
    path = LEGAL_TESTS / "personnel_entrustment_breaks.json"
    later = json.loads(run_audit(path, "--as-of", "2026-04-14"))
    assert later["as_of"] == "2026-04-14"
    service = [d for d in later["deadlines"] if d["rule"] == "APL-61-service"]
    assert service[0]["due"] == "2026-04-13"
    assert service[0]["status"] == "overdue"
