"""APL-36-old-law: conduct that ended before 2021-07-15 keeps the two years of the former
APL (2017, Art. 29), by APL 37; APL-36-limitation judges later conduct only."""

import copy
import datetime as dt
import json
from typing import Any

from zhifa.rules.engine import CaseFile, audit

from .conftest import LEGAL_TESTS

BASE: dict[str, Any] = json.loads(
    (LEGAL_TESTS / "old_law_limitation_breaks.json").read_text("utf-8")
)


def _findings(**violation: Any) -> dict[str, list[str]]:
    doc = copy.deepcopy(BASE)
    doc["violation"].update(violation)
    result = audit(CaseFile.from_dict(doc), dt.date(2022, 8, 1))
    out: dict[str, list[str]] = {}
    for f in result.findings:
        out.setdefault(f.rule, []).append(f.citation or "")
    return out


def test_old_conduct_without_the_five_year_case_is_judged_once_by_the_old_law() -> None:
    found = _findings(life_health_or_finance_with_harm=False)
    assert set(found) == {"APL-36-old-law"}


def test_old_conduct_discovered_in_time_is_kept() -> None:
    assert _findings(discovered_on="2022-02-28") == {}


def test_the_day_the_conduct_ended_decides_which_law() -> None:
    # Conduct continuing until 2021-07-15 falls under the 2021 law: five years.
    assert _findings(ended_on="2021-07-15", discovered_on="2023-08-01") == {}
    # Ended the day before: the former two years, so discovered too late.
    found = _findings(ended_on="2021-07-14", discovered_on="2023-08-01")
    assert set(found) == {"APL-36-old-law"}


def test_new_conduct_is_still_judged_by_apl_36() -> None:
    found = _findings(
        occurred_on="2021-08-01",
        discovered_on="2023-08-02",
        life_health_or_finance_with_harm=False,
    )
    assert set(found) == {"APL-36-limitation"}


def test_a_decision_before_2021_cites_the_former_article_only() -> None:
    doc = copy.deepcopy(BASE)
    doc["violation"].update(occurred_on="2017-03-01", discovered_on="2019-06-01")
    for step in doc["steps"]:
        step["on"] = step["on"].replace("2022-", "2019-")
        if "served_on" in step:
            step["served_on"] = step["served_on"].replace("2022-", "2019-")
    result = audit(CaseFile.from_dict(doc), dt.date(2019, 8, 1))
    old = [f for f in result.findings if f.rule == "APL-36-old-law"]
    assert [f.citation for f in old] == ["《中华人民共和国行政处罚法》（2017年修正）第二十九条"]
