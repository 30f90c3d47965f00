"""DISC-redaction against an adversary's typing (issue #15 hardening): an ID number
whose final X is typed apart, landlines in spaced groups, numbers written in Chinese
numerals (一三八…, 壹叁捌…, 幺), addresses with Chinese numerals, and personal numbers
typed into an organisation's name or in place of its credit code. Each is found in
every field of the summary; ordinary Chinese text with numerals still passes."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from zhifa.disclosure.tests.test_redaction_engine import FACTS
from zhifa.rules.engine.publication import (
    SUMMARY_FIELDS,
    DecisionFacts,
    public_summary,
    redaction_leaks,
)


def _with_x() -> str:
    """A valid ID number whose check character is X, not the party's."""
    for seq in range(1000):
        body = f"11010519491231{seq:03d}"
        if ric.calc_check_digit(body + "0") == "X":
            return body + "X"
    raise AssertionError("no X check digit")


ID_X = _with_x()
CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")

PATTERNS = {
    "id_number": [
        ID_X[:-1] + " X",
        ID_X[:-1] + "-x",
        f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:17]} X",
        ID_X.translate(CHINESE),
        ID_X[:-1].translate(str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")) + "X",
    ],
    "phone": [
        "0573 8212 3456",
        "0573-8212-3456",
        "(0573) 8212 3456",
        "010-6512 3456",
        "一三八一二三四五六七八",
        "幺三八 幺二三四 五六七八",
        "〇五七三－八二一二三四五六",
    ],
    "address": ["解放路一二三号", "解放路一百二十三号", "三幢二单元三〇一室"],
}


@pytest.mark.parametrize("field", SUMMARY_FIELDS)
@pytest.mark.parametrize(
    ("kind", "value"), [(k, v) for k, values in PATTERNS.items() for v in values]
)
def test_every_bypass_in_every_field_is_refused(field: str, kind: str, value: str) -> None:
    summary = public_summary(FACTS)
    summary[field] = f"{summary[field]}（{value}）"
    leaks = redaction_leaks(summary, FACTS)
    assert (field, kind) in [(x.field, x.kind) for x in leaks]
    for leak in leaks:
        assert value not in leak.message.zh and value not in leak.message.en


def _organisation(name: str, code: str) -> DecisionFacts:
    return DecisionFacts(
        **{
            **FACTS.__dict__,
            "party_type": "organisation",
            "party_name": name,
            "party_uscc": code,
            "id_numbers": (),
            "individuals": (),
        }
    )


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("嘉兴市南湖区小明便利店（经营者电话13812345678）", "phone"),
        (f"小明便利店（经营者{ID_X}）", "id_number"),
        ("小明便利店 wang.xm@example.com", "email"),
    ],
)
def test_an_organisations_name_does_not_carry_a_personal_number(name: str, kind: str) -> None:
    facts = _organisation(name, "91110108551385082Q")
    leaks = redaction_leaks(public_summary(facts), facts)
    assert ("party", kind) in [(x.field, x.kind) for x in leaks]


def test_an_id_number_typed_as_the_credit_code_is_not_shown() -> None:
    facts = _organisation("嘉兴市某某餐饮有限公司", ID_X)
    leaks = redaction_leaks(public_summary(facts), facts)
    assert ("party_uscc", "id_number") in [(x.field, x.kind) for x in leaks]
    # A valid credit code and a name holding a place still pass.
    facts = _organisation("嘉兴市解放路123号餐饮有限公司", "91110108551385082Q")
    assert redaction_leaks(public_summary(facts), facts) == []


def test_chinese_numerals_in_ordinary_text_pass() -> None:
    summary = public_summary(FACTS)
    summary["facts"] = (
        "当事人于二〇二六年三月一日至三月二十七日销售过期食品一百二十件，货值金额"
        "壹万贰仟叁佰肆拾伍元，违法所得一千元，系第一次违法，共涉及一二三批次。"
    )
    summary["basis"] = "《中华人民共和国食品安全法》第一百二十四条第一款第一项"
    summary["penalty"] = "罚款人民币壹拾伍万元整；没收违法所得一千元"
    assert redaction_leaks(summary, FACTS) == []
