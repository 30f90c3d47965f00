"""Deeply nested JSON is an invalid case file (exit 2 / 400), never a crash."""

import subprocess
import sys

import pytest

from zhifa.core.testing import client_for
from zhifa.rules.engine import InvalidCaseFile, load_document

DEEP_OBJECT = '{"agency":' * 100_000 + "1" + "}" * 100_000
DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
MODERATE = '{"format": "zhifa-casefile/1", "x": ' + "[" * 500 + "]" * 500 + "}"


@pytest.mark.parametrize("text", [DEEP_OBJECT, DEEP_ARRAY, MODERATE])
def test_engine_refuses_deep_nesting(text):
    with pytest.raises(InvalidCaseFile) as exc:
        load_document(text)
    assert exc.value.errors[0].path == "$" and "nested" in exc.value.errors[0].message


@pytest.mark.django_db
def test_api_and_page_answer_400(reviewer_a):
    client = client_for(reviewer_a)
    api = client.post("/api/v1/audit", DEEP_OBJECT, content_type="application/json")
    assert api.status_code == 400 and api.json()["errors"][0]["path"] == "$"
    page = client.post("/rules/audit/", {"text": DEEP_ARRAY})
    assert page.status_code == 400 and "嵌套超过 32 层" in page.content.decode()


def test_cli_exits_2(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(DEEP_OBJECT)
    result = subprocess.run(
        [sys.executable, "-m", "zhifa.cli", "audit", str(path)],
        capture_output=True,
        text=True,
        env={"ZHIFA_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "nested more than" in result.stderr
