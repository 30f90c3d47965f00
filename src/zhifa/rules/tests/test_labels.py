"""Every deadline the rules engine can emit has a name on the pages."""

from __future__ import annotations

from django.utils import translation

from zhifa.rules import engine  # noqa: F401 (registers the rule units)
from zhifa.rules.engine.catalogue import RULES
from zhifa.rules.labels import DEADLINE_LABELS, deadline_label


def test_every_deadline_rule_has_a_label() -> None:
    deadlines = {rule_id for rule_id, rule in RULES.items() if rule.kind == "deadline"}
    assert "REG-decision" in deadlines
    assert deadlines - set(DEADLINE_LABELS) == set()
    assert set(DEADLINE_LABELS) - deadlines == set()  # no label for a rule that is gone
    for rule_id in deadlines:
        with translation.override("en"):
            english = deadline_label(rule_id)
        with translation.override("zh-hans"):
            chinese = deadline_label(rule_id)
        assert english != rule_id and chinese != english, (rule_id, english, chinese)
