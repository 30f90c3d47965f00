"""Current administrative divisions (GB/T 2260) read from python-stdnum's data file.

python-stdnum ships the division codes it needs to validate resident ID numbers
(``stdnum/cn/loc.dat``), each name tagged with the years it was in use, e.g.
``[1983-1992]城区,[1993-2004]秀城区,[2005-]南湖区``. We take the name whose period is
still open, so region codes and names are never typed by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from stdnum import numdb

_PERIOD_RE = re.compile(r"^\[(\d{4})?-(\d{4})?\](.+)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None


def current_name(raw: str) -> str | None:
    """The name in use today, or None when the division was abolished."""
    for part in raw.split(","):
        match = _PERIOD_RE.match(part.strip())
        if match is None:
            return part.strip()
        _start, end, name = match.groups()
        if end is None:
            return name.strip()
    return None


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def divisions(prefix: str = "") -> Iterator[Division]:
    """Every current division whose code starts with ``prefix``, parents first.

    The placeholder 市辖区 ("districts under the city") is skipped: it is not a real
    division, so the districts of a municipality hang directly below the province.
    """
    db = numdb.get("cn/loc")
    known: set[str] = set()
    for _len, province_code, _high, _props, counties in db.prefixes:
        for _clen, county_part, _chigh, county_props, _children in counties:
            code = f"{province_code}{county_part}"
            if not code.startswith(prefix) and not (
                # keep the ancestors of the requested prefix
                prefix.startswith(code[:2]) and code in {prefix[:2] + "0000", prefix[:4] + "00"}
            ):
                continue
            name = current_name(county_props.get("county", ""))
            if name is None or name == "市辖区":
                continue
            level = _level(code)
            parent_code = None
            if level == "city":
                parent_code = code[:2] + "0000"
            elif level == "county":
                city = code[:4] + "00"
                parent_code = city if city in known else code[:2] + "0000"
            known.add(code)
            yield Division(code=code, name=name, level=level, parent_code=parent_code)
