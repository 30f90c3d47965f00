"""``zhifa records verify-export`` on files that are not exports (issue 13, item 4):
a clear message and exit 1, never a traceback; a missing file is "not found", not
tampering."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from .test_export import verify_export


def test_a_missing_file_is_not_found(tmp_path: Path) -> None:
    code, text = verify_export(tmp_path / "nowhere.zip")
    assert code == 1
    assert "not found" in text and "TAMPERED" not in text


def test_a_folder_is_not_an_export(tmp_path: Path) -> None:
    code, text = verify_export(tmp_path)
    assert code == 1 and "not a file" in text and "TAMPERED" not in text


@pytest.mark.parametrize(
    "manifest",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"format": ' * 50_000 + "1" + "}" * 50_000,
        "[]",
        '"zhifa"',
        '{"format": "zhifa-records-export/1", "entries": 5, "chains": "x"}',
    ],
    ids=["deep-list", "deep-object", "list", "string", "wrong-types"],
)
def test_a_malformed_manifest_is_a_clear_error(tmp_path: Path, manifest: str) -> None:
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", manifest)
    code, text = verify_export(path)
    assert code == 1 and "manifest.json" in text, text[:300]
    assert "Traceback" not in text and len(text) < 2000
