"""``zhifa cases import`` on broken files (issue 13, item 4): each is one ``error``
line naming the file and what is wrong, the good files are imported, a summary is
printed, the exit status is 1, and there is never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.registry.models import EnforcementSubject

LEGAL_TESTS = Path(__file__).resolve().parents[2] / "rules" / "legal_tests"


def _good() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((LEGAL_TESTS / "summary_clean.json").read_text("utf-8"))
    return data


def _write(folder: Path, name: str, document: Any) -> None:
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    (folder / name).write_text(text, "utf-8")


def test_broken_files_are_one_line_each(
    tmp_path: Path, organ_a: EnforcementSubject, officer_a: User, capsys: Any
) -> None:
    good = _good()
    _write(tmp_path, "00-good.json", good)
    text = json.dumps(good, ensure_ascii=False)
    _write(tmp_path, "nan.json", text.replace('"fine_max": 200', '"fine_max": NaN'))
    _write(tmp_path, "huge.json", text.replace('"fine_max": 200', '"fine_max": 1e400'))
    _write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    _write(tmp_path, "deep-object.json", '{"a":' * 100_000 + "1" + "}" * 100_000)
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "broken-link.json").symlink_to(tmp_path / "missing-target")
    _write(tmp_path, "long-id.json", {**good, "case_id": "嘉" * 129})
    _write(
        tmp_path,
        "nul-name.json",
        {**good, "case_id": "x-1", "party": {**good["party"], "name": "钱\x00某"}},
    )
    _write(tmp_path, "latin1.json", "")
    (tmp_path / "latin1.json").write_bytes(b'{"case_id": "\xff"}')
    with pytest.raises(SystemExit) as exit_:
        call_command(
            "cases", "import", str(tmp_path), "--organ", str(organ_a.pk), "--user", "officer_a"
        )
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.out.strip().splitlines()
    broken = [
        "broken-link.json",
        "deep-object.json",
        "deep.json",
        "folder.json",
        "huge.json",
        "latin1.json",
        "long-id.json",
        "nan.json",
        "nul-name.json",
    ]
    assert lines[0].startswith("00-good.json: imported")
    for name in broken:
        (line,) = [x for x in lines if x.startswith(f"{name}: ")]
        assert line.startswith(f"{name}: error: ") and len(line) > len(name) + 12, line
    assert "long-id.json: error: " in captured.out and "case_id" in captured.out
    assert lines[-1] == f"cases import: 1 imported, 0 unchanged, {len(broken)} error(s)"
    assert Case.objects.count() == 1
