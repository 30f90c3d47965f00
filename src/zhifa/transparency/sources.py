"""The sources whose objects are logged, and how to recompute a leaf from the database.

An app registers its source once (in ``AppConfig.ready``)::

    register_source("disclosure.publication", publication_leaf,
                    object_ids=published_ids, is_public=leaf_is_public)

- ``recompute(object_id)``: the canonical leaf bytes of the object as the database
  holds it now, or ``None`` when the object is gone. ``verify-publication`` compares it
  with the object's latest logged leaf.
- ``object_ids()`` (optional): every object that should be logged, so that an object
  published but never logged is found too.
- ``is_public(object_id)`` (optional): whether the leaf may still be shown to the
  public (a withdrawn publication's content is not); the proof is offered either way,
  with the leaf's hash only when it may not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

SOURCE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")


@dataclass(frozen=True)
class Source:
    name: str
    recompute: Callable[[str], bytes | None]
    object_ids: Callable[[], Iterable[str]] | None = None
    is_public: Callable[[str], bool] | None = None


_sources: dict[str, Source] = {}


def register_source(
    name: str,
    recompute: Callable[[str], bytes | None],
    *,
    object_ids: Callable[[], Iterable[str]] | None = None,
    is_public: Callable[[str], bool] | None = None,
) -> None:
    if not isinstance(name, str) or not SOURCE_RE.match(name) or len(name) > 64:
        raise ValueError(f"Invalid source name {name!r}: use dotted lower-case, e.g. app.model")
    _sources[name] = Source(name, recompute, object_ids, is_public)


def unregister_source(name: str) -> None:
    _sources.pop(name, None)


def get_source(name: str) -> Source | None:
    return _sources.get(name)


def source_names() -> list[str]:
    return sorted(_sources)
