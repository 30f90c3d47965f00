"""Local sources (地方规范性文件) and the areas they bind, read from
``rules/data/local_sources.toml`` (docs/adr/0004-local-policies.md).

A city's or province's normative document binds only the organs of its area. A rule
whose only basis is a local source applies to a case when the agency's ``region_code``
lies in the source's area on the date judged, or when the case file's
``settings.local_policies`` names the source (the region adopted it).
"""

import datetime as dt
import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

LOCAL_SOURCES_FILE = Path(__file__).resolve().parent.parent / "data" / "local_sources.toml"


@dataclass(frozen=True)
class LocalSource:
    code: str
    title: str
    issuer: str
    region: str
    #: (since, prefixes), sorted by date; ``since`` None = undated (any date)
    areas: tuple[tuple[dt.date | None, tuple[str, ...]], ...]

    def first_date(self) -> dt.date | None:
        return self.areas[0][0] if self.areas else None

    def area_on(self, on: dt.date) -> tuple[str, ...] | None:
        """The region-code prefixes of the area on ``on`` (None: not yet in force)."""
        current: tuple[str, ...] | None = None
        for since, prefixes in self.areas:
            if since is not None and since > on:
                break
            current = prefixes
        return current

    def in_force(self, on: dt.date) -> bool:
        return self.area_on(on) is not None

    def covers(self, region_code: str, on: dt.date) -> bool:
        area = self.area_on(on)
        return bool(area) and any(region_code.startswith(p) for p in area or ())


def load_local_sources(path: Path = LOCAL_SOURCES_FILE) -> dict[str, LocalSource]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    out: dict[str, LocalSource] = {}
    for code, spec in raw.items():
        areas = [
            (
                (None if key == "undated" else dt.date.fromisoformat(str(key))),
                tuple(str(p) for p in prefixes),
            )
            for key, prefixes in dict(spec["areas"]).items()
        ]
        areas.sort(key=lambda a: a[0] or dt.date.min)
        out[code] = LocalSource(
            code=code,
            title=str(spec["title"]),
            issuer=str(spec["issuer"]),
            region=str(spec["region"]),
            areas=tuple(areas),
        )
    return out


_SOURCES: dict[str, LocalSource] | None = None


def local_sources() -> dict[str, LocalSource]:
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = load_local_sources()
    return _SOURCES


def applicable(
    codes: tuple[str, ...], region_code: str, adopted: tuple[str, ...], on: dt.date
) -> list[str]:
    """Of ``codes``, the local sources that bind a case on ``on``: in force then, and the
    agency lies in the area or the region adopted the source (``adopted``)."""
    if may_bind(region_code, adopted).isdisjoint(codes):
        return []  # none of them binds the case on any day
    return list(_applicable(codes, region_code, adopted, on))


@functools.lru_cache(maxsize=65536)
def _applicable(
    codes: tuple[str, ...], region_code: str, adopted: tuple[str, ...], on: dt.date
) -> tuple[str, ...]:
    """``applicable``, remembered (the sources are read once per process)."""
    table = local_sources()
    out = []
    for code in codes:
        source = table.get(code)
        if source is None or not source.in_force(on):
            continue
        if code in adopted or source.covers(region_code, on):
            out.append(code)
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def may_bind(region_code: str, adopted: tuple[str, ...]) -> frozenset[str]:
    """The local sources that can bind a case of ``region_code`` with ``adopted`` on some
    date (``applicable`` gives a subset of them on any day): adopted, or with the region
    in one of the areas the source ever had. A rule whose only basis is none of them
    yields nothing for the case, and the audit does not run it."""
    out = set()
    for code, source in local_sources().items():
        if not source.areas:
            continue
        if code in adopted or any(
            region_code.startswith(p) for _since, prefixes in source.areas for p in prefixes
        ):
            out.add(code)
    return frozenset(out)
