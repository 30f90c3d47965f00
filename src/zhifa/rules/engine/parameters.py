"""Dated parameters (OpenFisca style): every number a rule uses, keyed by the date it
takes effect, read from ``rules/data/parameters.toml``.

``Parameters.value(name, on)`` answers "as it stood on date ``on``". Overrides (the case
file's ``settings``; later, regional/departmental values from the database) replace the
default of a parameter that names a ``setting``; parameters fixed by law cannot be
overridden.
"""

import datetime as dt
import tomllib
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import ClassVar

PARAMETERS_FILE = Path(__file__).resolve().parent.parent / "data" / "parameters.toml"

Value = int | float | bool


class ParameterError(LookupError):
    """A parameter has no value on the date a rule asks for (or does not exist).
    ``name`` and ``on`` say which; the audit turns it into a "cannot judge" warning
    when the rule itself is in force on ``on``."""

    def __init__(self, message: str, name: str = "", on: dt.date | None = None) -> None:
        super().__init__(message)
        self.name = name
        self.on = on


_since = itemgetter(0)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: str
    setting: str | None
    values: tuple[tuple[dt.date, Value | None], ...]  # sorted by date; None = repealed
    #: ``at`` by date, remembered (the values never change once loaded)
    _at: dict[dt.date, Value] = field(default_factory=dict, compare=False, repr=False)
    #: (set in __post_init__, not a field) the last version: its date and value
    _current: ClassVar[tuple[dt.date, Value | None]]

    def __post_init__(self) -> None:
        # The version in force from its date on (the last), as (since, value): a day on or
        # after ``since`` takes its value without a look-up (nearly every day asked).
        current = self.values[-1] if self.values else (dt.date.max, None)
        object.__setattr__(self, "_current", current)

    def at(self, on: dt.date) -> Value:
        since, latest = self._current
        if latest is not None and on >= since:
            return latest  # what _find gives: the last version is in force
        found = self._at.get(on)
        if found is None:
            found = self._at[on] = self._find(on)
        return found

    def _find(self, on: dt.date) -> Value:
        at = bisect_right(self.values, on, key=_since)  # the versions in force by ``on``
        current = self.values[at - 1][1] if at else None
        if current is None:
            raise ParameterError(
                f"parameter {self.name} has no value on {on.isoformat()}", self.name, on
            )
        return current

    def describe(self) -> str:
        return f"{self.description} ({self.reference})"

    def first_date(self) -> dt.date:
        return self.values[0][0]


def load_parameters(path: Path = PARAMETERS_FILE) -> dict[str, Parameter]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, Parameter] = {}
    for name, spec in raw.items():
        values = sorted((dt.date.fromisoformat(str(k)), v) for k, v in dict(spec["values"]).items())
        out[name] = Parameter(
            name=name,
            description=str(spec["description"]),
            unit=str(spec["unit"]),
            reference=str(spec["reference"]),
            setting=spec.get("setting"),
            values=tuple(values),
        )
    return out


_DEFAULTS: dict[str, Parameter] | None = None


def default_parameters() -> dict[str, Parameter]:
    global _DEFAULTS
    if _DEFAULTS is None:
        _DEFAULTS = load_parameters()
    return _DEFAULTS


#: (since, value) of the version in force from its date on, by parameter (those in
#: force today): ``Parameters``' look-up of a day on or after ``since`` (nearly every
#: day asked), by table (the default table's, kept)
_Current = dict[str, tuple[dt.date, Value]]
_DEFAULT_CURRENT: _Current | None = None


def _current_of(table: Mapping[str, Parameter]) -> _Current:
    out: _Current = {}
    for name, param in table.items():
        since, value = param._current
        if value is not None:  # None: repealed
            out[name] = (since, value)
    return out


def current_values(table: Mapping[str, Parameter], overrides: Mapping[str, Value]) -> _Current:
    """The current versions of the parameters of ``table`` that ``overrides`` does not
    replace (by their ``setting``), by name."""
    global _DEFAULT_CURRENT
    if table is _DEFAULTS:
        if _DEFAULT_CURRENT is None:
            _DEFAULT_CURRENT = _current_of(table)
        current = _DEFAULT_CURRENT
    else:
        current = _current_of(table)
    if not overrides:
        return current
    return {name: found for name, found in current.items() if table[name].setting not in overrides}


class Parameters:
    """The parameters as they apply to one case: defaults plus overrides by setting key
    (e.g. ``{"decision_days": 60, "hearing_fine_threshold.individual": 5000}``)."""

    def __init__(
        self,
        overrides: Mapping[str, Value] | None = None,
        table: Mapping[str, Parameter] | None = None,
    ) -> None:
        self._table = default_parameters() if table is None else table
        self._overrides = dict(overrides or {})
        self._current = current_values(self._table, self._overrides)

    def value(self, name: str, on: dt.date) -> Value:
        param = self._table.get(name)
        if param is None:
            raise ParameterError(f"unknown parameter {name}", name, on)
        if param.setting is not None and param.setting in self._overrides:
            return self._overrides[param.setting]
        return param.at(on)

    def reference(self, name: str) -> str:
        """The legal reference of a parameter (for messages), or "" when unknown."""
        param = self._table.get(name)
        return "" if param is None else param.reference

    # ``number``, ``integer`` and ``flag`` are ``value`` converted; a day on or after the
    # current version's date (nearly every day asked) takes its value at once (the units
    # ask for a dozen numbers per audit).

    def number(self, name: str, on: dt.date) -> float:
        current = self._current.get(name)
        if current is not None and on >= current[0]:
            return float(current[1])
        return float(self.value(name, on))

    def integer(self, name: str, on: dt.date) -> int:
        current = self._current.get(name)
        if current is not None and on >= current[0]:
            return int(current[1])
        return int(self.value(name, on))

    def flag(self, name: str, on: dt.date) -> bool:
        current = self._current.get(name)
        if current is not None and on >= current[0]:
            return bool(current[1])
        return bool(self.value(name, on))
