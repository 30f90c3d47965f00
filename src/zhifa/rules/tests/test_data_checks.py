"""The data checks of the format: party ID check digits and step order; and v1's scope
(kinds other than penalty get the data checks only)."""

from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, audit, to_document


def rules_of(document: dict[str, Any]) -> list[tuple[str, int | None]]:
    return [
        (f["rule"], f["step"]) for f in to_document(audit(CaseFile.from_dict(document)))["findings"]
    ]


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("uscc", "91110108551385082Q", True),
        ("uscc", "91110108551385082A", False),
        ("id_number", "11010519491231002X", True),
        ("id_number", "11010519491231002x", True),
        ("id_number", "110105194912310021", False),
        ("id_number", "1101051949123100", False),
        # Unicode digits are not digits of an ID number (str.isdigit accepts them; the
        # check digit's int() refused ² with a ValueError and read ١ as 1).
        ("id_number", "1101051949123100²X", False),
        ("id_number", "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", False),
    ],
)
def test_party_id_check_digits(
    clean_case: dict[str, Any], field: str, value: str, valid: bool
) -> None:
    clean_case["party"] = {"type": "organisation", "name": "某公司", field: value}
    found = ("DATA-party-id", None) in rules_of(clean_case)
    assert found is not valid


def test_steps_out_of_date_order(clean_case: dict[str, Any]) -> None:
    clean_case["steps"][3]["on"] = "2025-09-01"  # before its predecessor and the registration
    assert ("DATA-step-order", 3) in rules_of(clean_case)


def test_other_kinds_get_the_data_checks_only(clean_case: dict[str, Any]) -> None:
    clean_case["kind"] = "licensing"
    clean_case["agency"]["subject_type"] = "internal_unit"
    clean_case["party"]["uscc"] = "91110108551385082A"
    document = to_document(audit(CaseFile.from_dict(clean_case)))
    assert [f["rule"] for f in document["findings"]] == ["DATA-party-id"]
    assert document["deadlines"] == []
    assert document["amounts"] == {"late_fee": None}
