"""The limits of a case file (issue 13, item 1): more than ``MAX_STEPS`` steps or
``MAX_BYTES`` bytes is refused clearly everywhere (API 413, ``zhifa audit`` exit 2,
``zhifa cases import`` one line), and a file at the cap audits quickly."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine import CaseFileTooLarge
from zhifa.rules.engine.limits import MAX_BYTES, MAX_STEPS
from zhifa.rules.engine.validation import load_case_file, validate_document

from .conftest import LEGAL_TESTS

#: the legal test whose audit is the slowest per step
SLOWEST = "law_in_engine_breaks"


def _document(stem: str = SLOWEST) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LEGAL_TESTS / f"{stem}.json").read_text("utf-8"))
    return data


def repeated(steps: int, stem: str = SLOWEST) -> bytes:
    """The legal test ``stem`` with its steps repeated to ``steps``."""
    document = _document(stem)
    base = document["steps"]
    document["steps"] = (base * (steps // len(base) + 1))[:steps]
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def hundred_thousand_steps() -> bytes:
    """100,000 short steps: under the byte limit, far over the steps limit."""
    document = _document()
    document["steps"] = [{"step": "paid", "on": "2026-05-01"}] * 100_000
    text = json.dumps(document, ensure_ascii=False).encode("utf-8")
    assert len(text) < MAX_BYTES
    return text


def test_the_engine_refuses_more_steps_than_the_cap() -> None:
    with pytest.raises(CaseFileTooLarge) as caught:
        load_case_file(hundred_thousand_steps())
    assert [str(e) for e in caught.value.errors] == [
        f"$.steps: at most {MAX_STEPS} steps (got 100000)"
    ]
    with pytest.raises(CaseFileTooLarge):
        validate_document(json.loads(repeated(MAX_STEPS + 1)))
    load_case_file(repeated(MAX_STEPS))  # at the cap: accepted


def test_the_engine_refuses_more_bytes_than_the_cap() -> None:
    document = _document()
    document["party"]["name"] = "x" * MAX_BYTES
    with pytest.raises(CaseFileTooLarge) as caught:
        load_case_file(json.dumps(document))
    assert caught.value.errors[0].path == "$"
    assert caught.value.errors[0].message.startswith(f"at most {MAX_BYTES} bytes (got ")


@pytest.mark.django_db
def test_the_api_answers_413_naming_the_field(officer_a: User) -> None:
    client = client_for(officer_a)
    response = client.post(
        "/api/v1/audit?lang=en", data=hundred_thousand_steps(), content_type="application/json"
    )
    assert response.status_code == 413
    body = response.json()
    assert (body["status"], body["code"]) == (413, "too_large")
    assert body["errors"] == [
        {"path": "$.steps", "message": f"步骤不得超过 {MAX_STEPS} 个（实为 100000 个）"}
    ]
    over_bytes = b" " * (MAX_BYTES + 1) + repeated(10)
    response = client.post("/api/v1/audit", data=over_bytes, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["errors"][0]["path"] == "$"


@pytest.mark.django_db
def test_the_audit_command_refuses_it_with_exit_2(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "huge.json"
    path.write_bytes(hundred_thousand_steps())
    with pytest.raises(SystemExit) as exit_:
        call_command("audit", str(path))
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"$.steps: at most {MAX_STEPS} steps (got 100000)" in err
    assert "Traceback" not in err


@pytest.mark.django_db
def test_cases_import_refuses_it_in_one_line(
    tmp_path: Path, organ_a: EnforcementSubject, officer_a: User, capsys: Any
) -> None:
    (tmp_path / "huge.json").write_bytes(hundred_thousand_steps())
    (tmp_path / "long.json").write_bytes(repeated(MAX_STEPS + 1, "summary_clean"))
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "cases", "import", str(tmp_path), "--organ", str(organ_a.pk), "--user", "officer_a"
        )
    assert exit_.value.code == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == f"huge.json: error: at most {MAX_STEPS} steps (got 100000)"
    assert lines[1] == f"long.json: error: at most {MAX_STEPS} steps (got {MAX_STEPS + 1})"
    assert lines[2] == "cases import: 0 imported, 0 unchanged, 2 error(s)"


@pytest.mark.django_db
def test_a_file_at_the_cap_audits_in_under_2_seconds(officer_a: User) -> None:
    """Through the API (parse, validate, audit, render). The engine needs about 0.05 s
    for this on a 2-core machine; 2 s leaves room for a loaded one."""
    client = client_for(officer_a)
    for stem in (SLOWEST, "walk_breaks", "deferral_court_breaks"):
        body = repeated(MAX_STEPS, stem)
        start = time.process_time()  # this process's CPU: other jobs on the machine don't count
        response = client.post("/api/v1/audit", data=body, content_type="application/json")
        seconds = time.process_time() - start
        assert response.status_code == 200, response.content[:300]
        assert response.json()["findings"]
        assert seconds < 2.0, (stem, seconds)
