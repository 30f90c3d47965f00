"""What higher apps add to an accountability matter's page (docs/adr/0010-app-layers.md:
accountability imports none of them; they register here from their ``AppConfig.ready``).

- ``matter_links``: functions ``(user, matter) -> list[dict]`` giving links shown beside
  the matter's ground (``{"label": …, "url": …, "id": …}``), each only for a user who may
  open what it points to, e.g. the evaluated file whose score of 0 opened the matter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MatterLinks = Callable[[Any, Any], "list[dict[str, Any]]"]

_matter_links: list[MatterLinks] = []


def register_matter_links(links: MatterLinks) -> None:
    if links not in _matter_links:
        _matter_links.append(links)


def matter_links(user: Any, matter: Any) -> list[dict[str, Any]]:
    return [link for links in _matter_links for link in links(user, matter)]
