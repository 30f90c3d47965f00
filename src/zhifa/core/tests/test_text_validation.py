"""One text validation for forms, API schemas and imports (issue 13, item 4): NUL,
control characters other than tab and newline, and lone surrogates are refused with a
message saying what and where."""

from __future__ import annotations

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from zhifa.catalogue.forms import ArticleForm, LawForm
from zhifa.core.forms import Form
from zhifa.core.validation import (
    text_problem,
    text_problems,
    typed_text_problem,
    validate_text,
    validate_typed_text,
)
from zhifa.registry.forms import SubjectDetailsForm

GOOD = ["", "张伟", "第一条\n第二条\t（一）", "行1\r\n行2", "emoji 😀", "ｆｕｌｌ　ｗｉｄｔｈ"]
BAD = {
    "a\x00b": "NUL",
    "a\x07b": "U+0007",
    "\x1b[31m": "U+001B",
    "a\x7f": "U+007F",
    "a\x85b": "U+0085",
    "\ud800": "U+D800",
    "尾\udfff": "U+DFFF",
}


@pytest.mark.parametrize("value", GOOD)
def test_text_is_text(value: str) -> None:
    assert text_problem(value) is None
    validate_text(value)


@pytest.mark.parametrize(("value", "named"), BAD.items())
def test_what_is_not_text_is_named(value: str, named: str) -> None:
    problem = text_problem(value)
    assert problem is not None and named in problem
    with pytest.raises(ValidationError):
        validate_text(value)


def test_nested_values_name_where() -> None:
    assert text_problems({"a": ["ok", "x\x00"], "b\x01": "y"}) == [
        (("a", 1), text_problem("x\x00")),
        (("b\x01",), text_problem("b\x01")),
    ]


class _Sample(Form):
    name = forms.CharField()
    note = forms.CharField(required=False, widget=forms.Textarea)


@pytest.mark.parametrize("value", list(BAD))
def test_a_site_form_refuses_it_at_the_field(value: str) -> None:
    form = _Sample({"name": value, "note": "第一行\r\n第二行"})
    assert not form.is_valid()
    assert list(form.errors) == ["name"]
    assert len(form.errors["name"]) == 1  # one message, not Django's NUL message as well


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (ArticleForm, {"number": "第一条", "ordinal": 0, "text": "条\x0b文"}, "text"),
        (
            LawForm,
            {"name": "法\x00", "level": "law", "issuing_body": "x", "valid_from": "2021-01-01"},
            "name",
        ),
        (SubjectDetailsForm, {"contact_address": "嘉兴\x1b"}, "contact_address"),
    ],
)
def test_the_apps_forms_refuse_it(form_class, data, field) -> None:  # type: ignore[no-untyped-def]
    form = form_class(data)
    assert not form.is_valid()
    assert field in form.errors


# --- text typed from outside: no bidirectional controls (issue #16 follow-up) -----------

BIDI = [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


@pytest.mark.parametrize("char", BIDI)
def test_typed_text_refuses_every_bidirectional_control(char: str) -> None:
    value = f"罚款{char}100元"
    assert text_problem(value) is None  # text that only moves through is not refused
    with translation.override("en"):
        problem = typed_text_problem(value)
    assert problem is not None and f"U+{ord(char):04X}" in problem and "position 3" in problem
    with translation.override("zh-hans"):
        assert "第 3 个字符" in str(typed_text_problem(value))
    with pytest.raises(ValidationError):
        validate_typed_text(value)


@pytest.mark.parametrize(("value", "named"), BAD.items())
def test_typed_text_refuses_what_text_refuses(value: str, named: str) -> None:
    problem = typed_text_problem(value)
    assert problem is not None and named in problem


@pytest.mark.parametrize("value", [*GOOD, "👩\u200d💻 zero-width joiner", "ئۇيغۇرچە 维吾尔文"])
def test_typed_text_keeps_text(value: str) -> None:
    assert typed_text_problem(value) is None
