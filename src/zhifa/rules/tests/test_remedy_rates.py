"""The engine's counts of reconsideration and litigation per organ and year and the
thresholds of JX-court-appearance (JX 五(二); CQ 六(六)): pure Python, no database."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from zhifa.rules.engine import remedy_rates as r
from zhifa.rules.engine.warning_models import BY_KEY

D = dt.date.fromisoformat


def step(index: int, on: str, kind: str, result: str = "pending", **kw) -> r.RemedyStep:
    decided = kw.pop("decided_on", None)
    return r.RemedyStep(index, D(on), kind, result, D(decided) if decided else None, **kw)


def test_a_pending_remedy_is_ended_by_the_next_result_of_its_kind() -> None:
    found = r.proceedings(
        [
            step(7, "2026-02-01", "litigation", "revoked", decided_on="2026-05-01"),
            step(5, "2026-01-10", "litigation", head_appeared=True),
            step(6, "2026-01-12", "reconsideration", "upheld", decided_on="2026-01-30"),
        ]
    )
    assert found == [
        r.Proceeding("litigation", D("2026-01-10"), 5, "revoked", D("2026-05-01"), True, 7),
        r.Proceeding("reconsideration", D("2026-01-12"), 6, "upheld", D("2026-01-30"), None, 6),
    ]


def test_an_unknown_kind_or_result_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="kind"):
        r.proceedings([step(1, "2026-01-01", "appeal")])
    with pytest.raises(ValueError, match="result"):
        r.proceedings([step(1, "2026-01-01", "litigation", "lost")])
    with pytest.raises(ValueError, match="level"):
        r.threshold("village", "某局", "330400", 2026)


def _p(kind: str, filed: str, result: str = "pending", decided: str | None = None, appeared=None):
    return r.Proceeding(kind, D(filed), 0, result, D(decided) if decided else None, appeared)


def test_year_rates_count_what_the_formulas_say() -> None:
    found = [
        _p("reconsideration", "2025-11-01", "upheld", "2026-01-20"),
        _p("reconsideration", "2026-02-01", "changed", "2026-03-01"),
        _p("reconsideration", "2026-03-01", "withdrawn", "2026-03-05"),
        _p("reconsideration", "2026-10-01"),
        _p("litigation", "2026-01-05", "revoked", "2026-06-01", True),
        _p("litigation", "2026-01-06", "upheld", "2026-07-01", False),
        _p("litigation", "2026-01-07", "confirmed_unlawful", "2026-08-01", None),
        _p("litigation", "2026-01-08", "withdrawn", "2026-02-01", None),  # left out
        _p("litigation", "2026-01-09", "withdrawn", "2026-02-02", True),
        _p("litigation", "2025-03-01", "upheld", "2025-09-01", True),  # another year
    ]
    rates = r.year_rates(found, 2026)
    assert (rates.reconsideration.filed, rates.litigation.filed) == (3, 5)
    # decided on the merits in 2026: upheld, changed (reconsideration); revoked, upheld,
    # confirmed unlawful (litigation)
    assert rates.total.decided == 5
    assert rates.total.reversed == 3
    assert rates.total.withdrawn == 3
    assert rates.total.reversal_rate == Fraction(3, 5)
    assert rates.reconsideration.reversal_rate == Fraction(1, 2)
    assert rates.total.pending == 1
    # heard: revoked (yes), upheld (no), unlawful (not recorded), withdrawn with yes
    assert (rates.heard, rates.appeared, rates.unrecorded) == (4, 2, 1)
    assert rates.court_appearance_rate == Fraction(1, 2)
    assert rates.court_appearance_percent == "50.0%"
    assert r.year_rates(found, 2024).total.reversal_rate is None


@pytest.mark.parametrize(
    ("level", "name", "code", "expected"),
    [
        ("city", "嘉兴市市场监督管理局", "330400", ("JX", Fraction(80, 100), None)),
        ("city", "嘉兴市人民政府", "330400", ("JX", Fraction(80, 100), None)),
        ("county", "嘉善县人民政府", "330421", ("JX", Fraction(30, 100), None)),
        ("county", "嘉善县市场监督管理局", "330421", ("JX", Fraction(80, 100), None)),
        ("town", "西塘镇人民政府", "330421", ("JX", Fraction(80, 100), None)),
        ("province", "浙江省市场监督管理局", "330000", None),
        ("county", "南湖区市场监督管理局", "330100", None),  # outside JX's area
        ("county", "渝北区人民政府", "500112", ("CQ", None, 1)),
        ("city", "重庆市市场监督管理局", "500000", ("CQ", None, 1)),
        ("county", "渝北区市场监督管理局", "500112", None),
        ("", "嘉兴市某局", "330400", None),  # level unknown: not judged
    ],
)
def test_the_threshold_per_kind_of_organ(level, name, code, expected) -> None:
    found = r.threshold(level, name, code, 2026)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.source, found.minimum_rate, found.minimum_count) == expected


def test_a_region_that_adopted_jx_is_bound_by_it() -> None:
    assert r.threshold("city", "某市市场监督管理局", "330100", 2026) is None
    adopted = r.threshold("city", "某市市场监督管理局", "330100", 2026, adopted=("JX",))
    assert adopted is not None and adopted.percent == 80


def _heard(appeared: int, total: int) -> list[r.Proceeding]:
    return [
        _p("litigation", "2026-01-01", "upheld", "2026-02-01", i < appeared) for i in range(total)
    ]


def test_below_the_threshold_of_jx() -> None:
    county_government = r.threshold("county", "嘉善县人民政府", "330421", 2026)
    organ = r.threshold("county", "嘉善县市场监督管理局", "330421", 2026)
    assert r.year_rates(_heard(2, 7), 2026, county_government).below  # 28.6% < 30%
    assert not r.year_rates(_heard(3, 10), 2026, county_government).below  # 30%: met
    assert r.year_rates(_heard(3, 4), 2026, organ).below  # 75% < 80%
    assert not r.year_rates(_heard(4, 5), 2026, organ).below  # 80%: met
    assert not r.year_rates([], 2026, organ).below  # not sued: nothing to judge
    assert not r.year_rates(_heard(0, 3), 2026, None).below  # no threshold binds


def test_below_the_threshold_of_cq() -> None:
    cq = r.threshold("county", "渝北区人民政府", "500112", 2026)
    assert r.year_rates(_heard(0, 2), 2026, cq).below
    assert not r.year_rates(_heard(1, 2), 2026, cq).below
    sued = [_p("reconsideration", "2026-03-01")]
    assert r.year_rates(sued, 2026, cq).below  # sued, the head never appeared
    assert not r.year_rates(sued, 2025, cq).below


def test_the_warning_model_names_the_rule_and_citations() -> None:
    model = BY_KEY["court_appearance"]
    assert model.rule_ids == ("JX-court-appearance",)
    assert "五（二）" in model.rules[0][1] and "六（六）" in model.rules[0][1]
    assert model.yellow is not None and model.red is not None
