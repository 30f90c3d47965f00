"""DISC-redaction in the engine: every pattern of personal information in every field of
the public summary is found and named (never its value), and a clean summary passes."""

from __future__ import annotations

import datetime as dt

import pytest
from stdnum.cn import ric

from zhifa.rules.engine.publication import (
    SUMMARY_FIELDS,
    DecisionFacts,
    mask_name,
    public_summary,
    redaction_leaks,
)


def valid_id(body: str = "33040219850307123") -> str:
    return body + ric.calc_check_digit(body + "0")  # takes the full number


ID = valid_id()
FACTS = DecisionFacts(
    number="嘉市监罚〔2026〕12号",
    party_type="individual",
    party_name="王小明",
    party_uscc="",
    violation="生产经营不符合食品安全标准的食品",
    facts="当事人在其经营场所销售过期食品。",
    basis="《中华人民共和国食品安全法》第一百二十四条第一款",
    penalties=("罚款人民币150,000元",),
    organ="嘉兴市市场监督管理局",
    decided_on=dt.date(2026, 3, 27),
    id_numbers=(ID,),
    addresses=("嘉兴市南湖区解放路某小区",),
    individuals=("王小明", "李秀英"),
)

#: Each kind of personal information, as it may be typed.
PATTERNS = {
    "id_number": [
        ID,
        ID[:6] + " " + ID[6:14] + " " + ID[14:],  # with spaces
        "".join(chr(ord(c) + 0xFEE0) for c in ID),  # full-width digits
        valid_id("11010519491231002"),  # another person's
        "330402850307123",  # the 15-digit first-generation form
        "33040219850307123" + ("0" if ID[-1] != "0" else "1"),  # a wrong check digit
        ID[:-1] + "X" if ID[-1] != "X" else ID[:-1] + "1",
    ],
    "phone": [
        "13812345678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "0573-82123456",
        "电话：8212345",
    ],
    "bank_card": ["6222021234567890128"],  # Luhn-valid, 19 digits
    "email": ["wang.xm@example.com", "wxm＠example.cn"],
    "address": [
        "嘉兴市南湖区解放路123号",
        "幸福村3组",
        "5幢2单元301室",
        "嘉兴市南湖区解放路某小区",
    ],
    "name": ["王小明", "李秀英", "王 小 明"],
}


def test_the_test_ids_are_valid() -> None:
    assert ric.is_valid(ID) and ric.is_valid(valid_id("11010519491231002"))


def test_a_clean_summary_passes_and_masks_the_individual() -> None:
    summary = public_summary(FACTS)
    assert summary["party"] == "王某某" and summary["party_uscc"] == ""
    assert redaction_leaks(summary, FACTS) == []
    assert ID not in "".join(summary.values())


@pytest.mark.parametrize("field", SUMMARY_FIELDS)
@pytest.mark.parametrize(
    ("kind", "value"), [(k, v) for k, values in PATTERNS.items() for v in values]
)
def test_every_pattern_in_every_field_is_refused_naming_the_field(
    field: str, kind: str, value: str
) -> None:
    summary = public_summary(FACTS)
    summary[field] = f"{summary[field]}（{value}）"
    leaks = redaction_leaks(summary, FACTS)
    assert (field, kind) in [(x.field, x.kind) for x in leaks]
    for leak in leaks:
        assert value not in leak.message.zh and value not in leak.message.en
        assert field in leak.message.zh


def test_an_organisation_shows_its_name_and_credit_code() -> None:
    facts = DecisionFacts(
        **{
            **FACTS.__dict__,
            "party_type": "organisation",
            "party_name": "嘉兴市王小明餐饮有限公司",
            "party_uscc": "91110108551385082Q",
            "id_numbers": (),
            "individuals": ("王小明",),
        }
    )
    summary = public_summary(facts)
    assert summary["party"] == "嘉兴市王小明餐饮有限公司"
    assert summary["party_uscc"] == "91110108551385082Q"
    assert redaction_leaks(summary, facts) == []
    # ... but the person behind it is not named elsewhere.
    summary["facts"] = "法定代表人王小明承认……"
    assert [(x.field, x.kind) for x in redaction_leaks(summary, facts)] == [("facts", "name")]


@pytest.mark.parametrize(
    ("name", "masked"),
    [("张伟", "张某某"), ("欧阳娜娜", "欧阳某某"), ("欧阳", "欧某某"), ("John Smith", "某某")],
)
def test_names_are_masked(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_amounts_dates_and_numbers_are_not_taken_for_personal_data() -> None:
    summary = public_summary(FACTS)
    summary["facts"] = "2026年3月1日起销售，货值金额12,345.50元，违法所得10000000元，共120件。"
    assert redaction_leaks(summary, FACTS) == []
