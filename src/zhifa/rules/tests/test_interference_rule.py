"""NA-interference (legal-rules.md §7) is a rule of the record kind: not a unit of the
case audit (the case-file format has no field for it), declared with its citation and
its sentence in both languages for the pages that keep the records."""

from __future__ import annotations

from zhifa.rules.engine import RULES
from zhifa.rules.engine.interference import INTERFERENCE, INTERNAL_SOURCES, RULE_ID, RULE_TEXT

from .test_catalogue import CITATION
from .test_legal_cases import CATALOGUE_IDS


def test_the_rule_is_in_the_catalogue_with_its_citation() -> None:
    assert RULE_ID == INTERFERENCE.id == "NA-interference"
    assert RULE_ID in CATALOGUE_IDS
    assert RULE_ID not in RULES  # not judged from a case file
    assert INTERFERENCE.kind == "record"
    assert CITATION.match(INTERFERENCE.citation)
    # NA item 33 and JL part 七, as legal-rules.md cites them.
    assert "南政办内传〔2021〕36号）第33条" in INTERFERENCE.citation
    assert "吉政办发〔2016〕91号）七" in INTERFERENCE.citation


def test_the_sentence_in_both_languages() -> None:
    assert "干预、插手案件办理" in RULE_TEXT.get("zh")
    assert "internal personnel" in RULE_TEXT.get("en")
    assert {"internal_leader", "internal_staff"} == INTERNAL_SOURCES
