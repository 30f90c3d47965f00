"""Helpers for services that record what changed: JSON-able field values and the
difference between a model's fields before and after a change.

Values are reduced to what canonical JSON holds: a related object becomes its primary
key, a file its stored name, dates, decimals, text, numbers and booleans stay as they
are. Fields named in ``SECRET_FIELDS`` (the national ID number) never appear with their
value: a change to one is recorded as ``true`` under ``<field>_changed``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

#: Fields whose value is never written to the record (personal data, PIPL).
SECRET_FIELDS = frozenset({"id_number"})


def json_value(value: Any) -> Any:
    """``value`` in a form canonical JSON can hold."""
    if value is None or isinstance(value, bool | int | str | Decimal | dt.date):
        return value
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, float):
        return value
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-able values of ``fields`` of ``obj`` (foreign keys as their ID)."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            values[name] = getattr(obj, field.attname)
        else:
            values[name] = json_value(getattr(obj, name))
    return values


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """``{field: {"old": …, "new": …}}`` for every field whose value changed; a secret
    field changes as ``{"<field>_changed": true}`` without its values."""
    changes: dict[str, Any] = {}
    for name, new in after.items():
        old = before.get(name)
        if old == new:
            continue
        if name in SECRET_FIELDS:
            changes[f"{name}_changed"] = True
        else:
            changes[name] = {"old": old, "new": new}
    return changes


def public(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the secret fields (for the payload of a created object)."""
    return {k: v for k, v in values.items() if k not in SECRET_FIELDS}
