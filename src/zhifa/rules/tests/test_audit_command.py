"""``zhifa audit``: exit 0 with the findings on stdout when the file was read; exit 2
with the JSON path of the offending field on stderr, and nothing on stdout, otherwise."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from .conftest import LEGAL_TESTS


def audit(path: Path | str, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("audit", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.json"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (lambda d: d.pop("format"), "$.format", "required field is missing"),
        (lambda d: d.update(format="zhifa-casefile/2"), "$.format", "zhifa-casefile/1"),
        (lambda d: d["steps"][3].update(on="2025-02-30"), "$.steps[3].on", "real calendar date"),
        (lambda d: d["steps"][3].update(on="2025/09/10"), "$.steps[3].on", "YYYY-MM-DD"),
        (
            lambda d: d["steps"][10]["penalties"][0].update(amount="150000"),
            "$.steps[10].penalties[0].amount",
            "expected number, got string",
        ),
        (lambda d: d["basis"].update(fine_max="500000"), "$.basis.fine_max", "expected number"),
        (lambda d: d["party"].update(type="person"), "$.party.type", "expected one of"),
        (lambda d: d["steps"][7].pop("host"), "$.steps[7].host", "required field is missing"),
        (lambda d: d["steps"][0].update(step="opened"), "$.steps[0].step", "expected one of"),
        (lambda d: d.update(steps={}), "$.steps", "expected array, got object"),
        (
            lambda d: d["agency"].update(subject_type="entrusted"),
            "$.agency.entrustment",
            "required field is missing",
        ),
    ],
)
def test_invalid_file_exits_2_naming_the_field(
    tmp_path: Path, clean_case: dict[str, Any], change: Any, path: str, expected: str
) -> None:
    change(clean_case)
    code, out, err = audit(write(tmp_path, json.dumps(clean_case, ensure_ascii=False)))
    assert code == 2
    assert out == ""
    assert f"{path}: " in err
    line = next(line for line in err.splitlines() if f"{path}: " in line)
    assert expected in line


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["{not json", "", "[1, 2", '{"format": NaN}', "\ud800"])
def test_invalid_json_exits_2(tmp_path: Path, text: str) -> None:
    path = tmp_path / "case.json"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    code, out, err = audit(path)
    assert (code, out) == (2, "")
    assert "$: not valid JSON" in err


@pytest.mark.django_db
def test_a_document_that_is_not_an_object(tmp_path: Path) -> None:
    code, out, err = audit(write(tmp_path, "[]"))
    assert (code, out) == (2, "")
    assert "$: expected object, got array" in err


@pytest.mark.django_db
def test_missing_file_and_bad_as_of(tmp_path: Path) -> None:
    code, out, err = audit(tmp_path / "nope.json")
    assert (code, out) == (2, "")
    assert "cannot read" in err
    code, out, err = audit(LEGAL_TESTS / "summary_clean.json", "--as-of", "2025-13-01")
    assert (code, out) == (2, "")
    assert "--as-of" in err


@pytest.mark.django_db
def test_unknown_optional_fields_are_ignored(tmp_path: Path, clean_case: dict[str, Any]) -> None:
    clean_case["x_vendor"] = {"anything": [1, 2]}
    clean_case["steps"][0]["x_note"] = "ignored"
    code, out, _ = audit(write(tmp_path, json.dumps(clean_case, ensure_ascii=False)))
    expected = (LEGAL_TESTS / "general_clean_national_day.expected.json").read_text("utf-8")
    assert (code, out) == (0, expected)


@pytest.mark.django_db
def test_dash_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    data = (LEGAL_TESTS / "summary_breaks.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, _ = audit("-")
    assert code == 0
    assert out == (LEGAL_TESTS / "summary_breaks.expected.json").read_text("utf-8")


def test_the_console_script_end_to_end(tmp_path: Path) -> None:
    """The real ``zhifa audit -`` in a subprocess: stdin in, stdout out, exit codes."""
    zhifa = Path(sys.executable).with_name("zhifa")
    env = {"DJANGO_SETTINGS_MODULE": "zhifa.settings.test", "ZHIFA_VAR_DIR": str(tmp_path)}
    env["PATH"] = str(zhifa.parent)
    good = (LEGAL_TESTS / "year_without_schedule.json").read_bytes()
    done = subprocess.run(
        [str(zhifa), "audit", "-"], input=good, capture_output=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == (LEGAL_TESTS / "year_without_schedule.expected.json").read_bytes()
    bad = subprocess.run(
        [str(zhifa), "audit", "-"],
        input=b'{"format": 1}',
        capture_output=True,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert bad.stdout == b""
    assert b"$.format: expected" in bad.stderr
    assert b"Traceback" not in bad.stderr
