"""Defects found by the 2026 legal review, each pinned by a case built from the clean
case (嘉兴, 330400) the way the reviewer's probes were: remedy periods before 2024 and
when the decision does not state them, the "cannot judge" warning, penalty severity
(APL-45), partial payments (APL-67/72), the acting officer of a summary decision
(APL-42), the lawful seizure period (ACL-25), local sources bound to their area, and
the citations of ACL-35/ACL-54."""

import copy
import datetime as dt
from typing import Any

import pytest

from zhifa.rules.engine import CaseFile, InvalidCaseFile, audit, to_document, validate_document
from zhifa.rules.engine.local import local_sources

D = dt.date.fromisoformat
ELEMENTS = [
    "party",
    "facts_evidence",
    "type_basis",
    "performance",
    "remedies",
    "organ_date",
    "seal",
]
CANNOT_JUDGE = "无法判断本规则"


def S(step: str, on: str, **fields: Any) -> dict[str, Any]:
    return {"step": step, "on": on, **fields}


def run(data: dict[str, Any], as_of: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    data.pop("legal_test", None)
    validate_document(data)
    return to_document(audit(CaseFile.from_dict(data), D(as_of)))


def findings(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in document["findings"] if f["rule"] == rule]


def deadlines(document: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [d for d in document["deadlines"] if d["rule"] == rule]


def fine_case(
    base: dict[str, Any],
    year: int,
    *,
    elements: list[str] = ELEMENTS,
    intended: list[dict[str, Any]] | None = None,
    decided: list[dict[str, Any]] | None = None,
    tail: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A 5,000-yuan fine case: registered 03-01, decided and served 03-20 of ``year``."""
    y = str(year)
    data = copy.deepcopy(base)
    for officer in data["officers"]:
        if officer.get("certificate"):
            officer["certificate"]["valid_from"] = "2010-01-01"
    data["violation"].update(occurred_on=f"{y}-02-20", discovered_on=f"{y}-02-28")
    data["basis"].update(fine_min=None)
    data.pop("benchmark")
    fine = [{"type": "fine", "amount": 5000}]
    data["steps"] = [
        S("registered", f"{y}-03-01", by=["o1", "o2"]),
        S("investigation", f"{y}-03-01", officers=["o1", "o2"], certificates_shown=True,
          evidence=["documentary", "on_site_record"]),
        S("prior_notice", f"{y}-03-10", written=True, served_on=f"{y}-03-10",
          intended=intended or fine, hearing_right_notified=False),
        S("legal_review", f"{y}-03-15", reviewer="r1", result="passed"),
        S("decision", f"{y}-03-20", outcome="penalty", penalties=decided or fine,
          approved_by="h1", elements=elements, cites_full_name_and_article=True),
        S("served", f"{y}-03-20", method="on_the_spot", signed_by="recipient"),
        *(tail or []),
    ]  # fmt: skip
    return data


# 1. ACL-53 before 2024; a missing parameter is said, never silenced --------------------


def test_court_deadline_for_a_decision_served_in_2023(clean_case: dict[str, Any]) -> None:
    """ARL 1999 第九条: 60 days (to 2023-05-19); ALitL 46: 6 months to Wed 2023-09-20;
    ACL 53: 3 months after that, Wed 2023-12-20. (Before the fix: dropped silently.)"""
    tail = [S("demand", "2023-05-04", served_on="2023-05-04"), S("court_application", "2023-10-09")]
    document = run(fine_case(clean_case, 2023, tail=tail), "2023-12-01")
    assert deadlines(document, "ACL-53-court-deadline") == [
        {"rule": "ACL-53-court-deadline", "from": "2023-09-20", "due": "2023-12-20",
         "status": "met", "note": None}
    ]  # fmt: skip
    assert not any(CANNOT_JUDGE in f["message"] for f in document["findings"])


def test_litigation_period_was_three_months_before_2015_05_01(
    clean_case: dict[str, Any],
) -> None:
    """ALitL 1989 第三十九条: served Thu 2014-03-20, 3 months end Fri 06-20 (60 days for
    reconsideration end 05-19); ACL 53: 3 months more end Sat 09-20, so Mon 09-22."""
    tail = [S("demand", "2014-07-01", served_on="2014-07-01")]
    document = run(fine_case(clean_case, 2014, tail=tail), "2014-08-01")
    [deadline] = deadlines(document, "ACL-53-court-deadline")
    assert (deadline["from"], deadline["due"], deadline["status"]) == (
        "2014-06-20",
        "2014-09-22",
        "open",
    )


def test_an_in_force_rule_without_its_number_gives_a_warning(clean_case: dict[str, Any]) -> None:
    """No remedies stated, served 2023: the one-year limit of ARL 2023 第二十条第三款 is not
    yet in force and the engine holds no earlier rule: ACL-53 says it cannot judge."""
    elements = [e for e in ELEMENTS if e != "remedies"]
    tail = [S("demand", "2023-05-04", served_on="2023-05-04")]
    document = run(fine_case(clean_case, 2023, elements=elements, tail=tail), "2023-12-01")
    assert deadlines(document, "ACL-53-court-deadline") == []
    [warning] = findings(document, "ACL-53-court-deadline")
    assert warning["severity"] == "warning" and warning["step"] is None
    assert CANNOT_JUDGE in warning["message"]
    assert "reconsideration_untold_max_years" in warning["message"]
    english = to_document(
        audit(CaseFile.from_dict(fine_case(clean_case, 2023, elements=elements, tail=tail)),
              D("2023-12-01")),
        "en",
    )  # fmt: skip
    assert "cannot judge this rule" in findings(english, "ACL-53-court-deadline")[0]["message"]


def test_a_rule_not_yet_in_force_stays_silent(clean_case: dict[str, Any]) -> None:
    """A 2020 case: the APL 2021 rules were not in force; no "cannot judge" noise."""
    document = run(fine_case(clean_case, 2020), "2020-12-01")
    assert not any(CANNOT_JUDGE in f["message"] for f in document["findings"])


# 4. remedies not stated: at most one year ----------------------------------------------


def test_remedies_not_stated_extend_the_periods_to_one_year(clean_case: dict[str, Any]) -> None:
    """ARL 2023 第二十条第三款, 法释〔2018〕1号 第六十四条: served Thu 2025-03-20, one year
    ends Fri 2026-03-20; ACL 53: 3 months more end Sat 06-20, so Mon 2026-06-22."""
    elements = [e for e in ELEMENTS if e != "remedies"]
    tail = [S("demand", "2025-08-01", served_on="2025-08-01"), S("court_application", "2025-08-25")]
    document = run(fine_case(clean_case, 2025, elements=elements, tail=tail), "2025-09-01")
    [deadline] = deadlines(document, "ACL-53-court-deadline")
    assert (deadline["from"], deadline["due"]) == ("2026-03-20", "2026-06-22")
    # ACL-53-court-too-early (was a warning of ACL-53-court-deadline): refused.
    [early] = findings(document, "ACL-53-court-too-early")
    assert early["severity"] == "error"
    assert "2026-03-20" in early["message"]
    stated = run(fine_case(clean_case, 2025, tail=tail), "2025-09-01")
    [deadline] = deadlines(stated, "ACL-53-court-deadline")
    assert (deadline["from"], deadline["due"]) == ("2025-09-22", "2025-12-22")


# 2. APL-45: severity by APL 9 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("intended", "decided", "severity"),
    [
        ([{"type": "fine", "amount": 5000}], [{"type": "warning"}], None),
        ([{"type": "fine", "amount": 5000}, {"type": "confiscation", "amount": 100}],
         [{"type": "warning"}], None),
        ([{"type": "fine", "amount": 5000}], [{"type": "fine", "amount": 8000}], "error"),
        ([{"type": "fine", "amount": 5000}],
         [{"type": "fine", "amount": 5000}, {"type": "revoke_permit"}], "error"),
        ([{"type": "suspend_permit"}], [{"type": "lower_qualification"}], "warning"),
        ([{"type": "confiscation", "amount": 100}],
         [{"type": "confiscation", "amount": 100}, {"type": "fine", "amount": 10}], "warning"),
        ([{"type": "revoke_permit"}], [{"type": "suspend_business"}], None),
    ],
)  # fmt: skip
def test_heavier_is_judged_by_the_order_of_apl_9(
    clean_case: dict[str, Any],
    intended: list[dict[str, Any]],
    decided: list[dict[str, Any]],
    severity: str | None,
) -> None:
    data = fine_case(clean_case, 2025, intended=intended, decided=decided)
    data["basis"]["penalty_types"] = sorted({p["type"] for p in intended + decided})
    found = findings(run(data, "2025-04-01"), "APL-45-no-heavier")
    assert [f["severity"] for f in found] == ([] if severity is None else [severity])


# 5. partial payment ---------------------------------------------------------------------


def test_a_partial_payment_is_not_payment_in_full(clean_case: dict[str, Any]) -> None:
    """100 of 5,000 paid on time: overdue (due Sat 04-04 → Tue 04-07 after Qingming, since
    04-04..04-06 2026 are holidays); the late fee runs on: 3% x 5000 x 85 days > 5000."""
    tail = [S("paid", "2026-03-25", amount=100)]
    document = run(fine_case(clean_case, 2026, tail=tail), "2026-07-01")
    [deadline] = deadlines(document, "APL-67-payment")
    assert (deadline["due"], deadline["status"]) == ("2026-04-07", "overdue")
    [warning] = findings(document, "APL-67-payment")
    assert warning["severity"] == "warning" and "5000" in warning["message"]
    assert document["amounts"]["late_fee"] == 5000


def test_payments_add_up(clean_case: dict[str, Any]) -> None:
    on_time = [S("paid", "2026-03-25", amount=2000), S("paid", "2026-04-07", amount=3000)]
    document = run(fine_case(clean_case, 2026, tail=on_time), "2026-07-01")
    assert deadlines(document, "APL-67-payment")[0]["status"] == "met"
    assert findings(document, "APL-67-payment") == []
    assert document["amounts"]["late_fee"] == 0
    late = [S("paid", "2026-03-25", amount=2000), S("paid", "2026-04-10", amount=3000)]
    document = run(fine_case(clean_case, 2026, tail=late), "2026-07-01")
    assert deadlines(document, "APL-67-payment")[0]["status"] == "missed"
    assert document["amounts"]["late_fee"] == 450  # 5000 x 3% x 3 days (04-08..04-10)


# 6. summary procedure: the acting officer's certificate --------------------------------


def test_the_acting_officer_of_a_summary_decision_needs_a_certificate(
    clean_case: dict[str, Any],
) -> None:
    data = fine_case(clean_case, 2025)
    data["procedure"] = "summary"
    data["steps"] = [
        S("prior_notice", "2025-07-15", written=False, served_on="2025-07-15",
          intended=[{"type": "fine", "amount": 100}], hearing_right_notified=False),
        S("decision", "2025-07-15", outcome="penalty", penalties=[{"type": "fine", "amount": 100}],
          approved_by="h1"),
        S("served", "2025-07-15", method="on_the_spot", signed_by="recipient"),
        S("registered", "2025-07-16", by=["o1"]),
    ]  # fmt: skip
    [found] = findings(run(data, "2025-08-01"), "APL-42-qualified")
    assert found["step"] == 1 and "刘洋" in found["message"]
    data["steps"][1]["approved_by"] = "o1"
    assert findings(run(data, "2025-08-01"), "APL-42-qualified") == []


# 7. ACL-25: the lawful period -----------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "extensions", "due"),
    [
        (30, [{"days": 30}], "2025-04-02"),  # unapproved: 03-03 + 30 = Wed 04-02
        (40, [], "2025-04-02"),  # 40 declared: 30 count
        (30, [{"days": 30, "approved_by": "h1"}], "2025-05-06"),  # 60: Fri 05-02 holiday → 05-06
        (30, [{"days": 40, "approved_by": "h1"}, {"days": 20, "approved_by": "h1"}], "2025-05-06"),
        (30, [{"days": 10}, {"days": 20, "approved_by": "h1"}], "2025-04-22"),  # 03-03 + 50
    ],
)
def test_the_seizure_due_date_counts_only_the_lawful_period(
    clean_case: dict[str, Any], days: int, extensions: list[dict[str, Any]], due: str
) -> None:
    data = copy.deepcopy(clean_case)
    data["steps"] = [
        S("registered", "2025-03-03", by=["o1", "o2"]),
        S("seizure", "2025-03-03", days=days, approved_by="h1"),
        *[S("seizure_extended", "2025-03-31", **e) for e in extensions],
        S("seizure_ended", "2025-06-30"),
    ]
    [deadline] = deadlines(run(data, "2025-07-01"), "ACL-25-seizure")
    assert deadline["due"] == due


# 3. local sources bind their area --------------------------------------------------------


def test_local_sources_are_dated_data_with_areas() -> None:
    sources = local_sources()
    assert set(sources) == {"JX", "JX2", "NA", "CQ", "JL"}
    assert sources["JX"].covers("330421", D("2025-01-01"))
    assert not sources["JX"].covers("330100", D("2025-01-01"))
    assert sources["CQ"].covers("500103", D("2025-01-01"))
    assert not sources["CQ"].covers("500103", D("2005-12-31"))
    assert sources["NA"].covers("350583", D("2021-08-12"))
    assert not sources["NA"].covers("350583", D("2021-08-11"))
    assert not sources["NA"].covers("350500", D("2025-01-01"))
    assert sources["JL"].covers("220102", D("2025-01-01"))


def test_a_local_rule_applies_where_adopted(clean_case: dict[str, Any]) -> None:
    """CQ-vulnerable in 嘉兴: not applied, unless the region adopted CQ."""
    data = fine_case(clean_case, 2025)
    data["party"] = {"type": "individual", "name": "周某", "vulnerable": True}
    data["violation"].update(first_offence=True, harm="minor", corrected_promptly=True)
    assert findings(run(data, "2025-07-01"), "CQ-vulnerable") == []
    data["settings"] = {"local_policies": ["CQ"]}
    [found] = findings(run(data, "2025-07-01"), "CQ-vulnerable")
    assert found["citation"].startswith("《重庆市人民政府")


def test_evidence_beyond_statement_by_region(clean_case: dict[str, Any]) -> None:
    data = fine_case(clean_case, 2025)
    data["steps"][1]["evidence"] = ["party_statement"]
    [found] = findings(run(data, "2025-07-01"), "JX-evidence-beyond-statement")
    assert found["citation"].startswith("《嘉兴市人民政府")
    data["agency"]["region_code"] = "500103"
    assert findings(run(data, "2025-07-01"), "JX-evidence-beyond-statement") == []
    data["settings"] = {"local_policies": ["JX"]}
    assert len(findings(run(data, "2025-07-01"), "JX-evidence-beyond-statement")) == 1


def test_power_list_error_in_jilin_warning_elsewhere(clean_case: dict[str, Any]) -> None:
    data = fine_case(clean_case, 2025)
    data["power"] = "220102-CF-0001"
    data["agency"]["region_code"] = "220102"
    [found] = findings(run(data, "2025-07-01"), "APL-power-scope")
    assert found["severity"] == "error" and found["citation"].startswith("《吉林省")
    data["agency"]["region_code"] = "110105"
    [found] = findings(run(data, "2025-07-01"), "APL-power-scope")
    assert found["severity"] == "warning"
    assert found["citation"] == "《中华人民共和国行政处罚法》第三十八条"


def test_review_of_every_decision_binds_in_jiaxing_only(clean_case: dict[str, Any]) -> None:
    data = fine_case(clean_case, 2025)
    data["steps"] = [s for s in data["steps"] if s["step"] != "legal_review"]
    [found] = findings(run(data, "2025-07-01"), "APL-58-legal-review")
    assert "四（一）" in found["citation"]
    data["agency"]["region_code"] = "110105"
    assert findings(run(data, "2025-07-01"), "APL-58-legal-review") == []
    data["settings"] = {"review_all_decisions": True}
    assert len(findings(run(data, "2025-07-01"), "APL-58-legal-review")) == 1


def test_local_policies_must_name_known_sources(clean_case: dict[str, Any]) -> None:
    data = copy.deepcopy(clean_case)
    data["settings"] = {"local_policies": ["SH"]}
    with pytest.raises(InvalidCaseFile):
        validate_document(data)


# citations ---------------------------------------------------------------------------------


def test_court_application_citations(clean_case: dict[str, Any]) -> None:
    tail = [S("court_application", "2025-12-01")]
    [found] = findings(run(fine_case(clean_case, 2025, tail=tail), "2025-12-15"), "ACL-35-demand")
    assert found["citation"] == "《中华人民共和国行政强制法》第三十五条、第五十四条"
    tail = [S("demand", "2025-12-01", served_on="2025-12-01"), S("court_application", "2025-12-05")]
    document = run(fine_case(clean_case, 2025, tail=tail), "2025-12-15")
    [found] = findings(document, "ACL-54-court-application")
    assert found["citation"] == "《中华人民共和国行政强制法》第五十四条、第六十九条"
