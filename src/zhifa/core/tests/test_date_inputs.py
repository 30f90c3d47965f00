"""Every date (and date-time) input of the site renders its value in ISO form under
zh-hans (issue #10): Django's DateInput without a format writes the locale's first
DATE_INPUT_FORMATS, ``2026/12/02``, which Chromium rejects for ``<input type="date">``
— the prefilled certificate and power-item dates showed empty and blocked the submit."""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re

from django import forms
from django.utils import translation

import zhifa

DAY = dt.date(2026, 12, 2)
MOMENT = dt.datetime(2026, 12, 2, 9, 30)


def all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(zhifa.__path__, "zhifa."):
        name = module.name
        if ".tests" in name or ".migrations" in name or "settings" in name:
            continue
        if name.rsplit(".", 1)[-1] in {"forms", "views", "filters", "admin"}:
            importlib.import_module(name)
    found: list[type[forms.BaseForm]] = []
    stack: list[type] = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            stack.append(sub)
            module = sub.__module__
            # The admin's forms use Django's own text widgets (and parse what they show).
            if module.startswith("zhifa.") and not module.endswith((".admin", ".tests")):
                found.append(sub)
    return found


def date_fields() -> list[tuple[str, forms.Field]]:
    fields = []
    for cls in all_form_classes():
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.DateField | forms.DateTimeField):
                fields.append((f"{cls.__module__}.{cls.__qualname__}.{name}", field))
    return fields


def test_every_date_widget_renders_iso_values_under_zh_hans() -> None:
    fields = date_fields()
    assert len(fields) > 30, "the walk must find the site's date fields"
    wrong = []
    with translation.override("zh-hans"):
        for where, field in fields:
            if isinstance(field, forms.DateTimeField):
                html = field.widget.render("x", MOMENT)
                ok = 'type="datetime-local"' in html and 'value="2026-12-02T09:30"' in html
            else:
                html = field.widget.render("x", DAY)
                ok = 'type="date"' in html and 'value="2026-12-02"' in html
            if not ok:
                wrong.append((where, re.sub(r"\s+", " ", html)))
    assert not wrong, wrong
