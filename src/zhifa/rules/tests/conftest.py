import copy
import json
from pathlib import Path
from typing import Any

import pytest

LEGAL_TESTS = Path(__file__).resolve().parent.parent / "legal_tests"


def legal_case_files() -> list[Path]:
    return sorted(p for p in LEGAL_TESTS.glob("*.json") if not p.name.endswith(".expected.json"))


@pytest.fixture
def clean_case() -> dict[str, Any]:
    """The general-procedure case that keeps every rule it touches (a fresh copy)."""
    data = json.loads((LEGAL_TESTS / "general_clean_national_day.json").read_text("utf-8"))
    return copy.deepcopy(data)
