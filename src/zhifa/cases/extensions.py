"""What higher apps add to the case pages (docs/adr/0010-app-layers.md: the cases app
imports none of them; they register here from their ``AppConfig.ready``).

- ``work_list_sections``: functions ``(request) -> dict | None`` whose answer is
  rendered above the case list (the work list): ``{"template": …, **context}``;
- ``case_links``: functions ``(user, case) -> list[dict]`` giving links shown on the
  case page (``{"label": …, "url": …}``), e.g. the complaint a case came from;
- ``case_actions``: functions ``(user, case) -> list[dict]`` giving buttons shown on the
  case page, each a form posted with the CSRF token (``{"label": …, "url": …, "id": …}``),
  e.g. the supervisor's "audit this case".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

WorkListSection = Callable[[Any], "dict[str, Any] | None"]
CaseLinks = Callable[[Any, Any], "list[dict[str, Any]]"]

_work_list_sections: list[WorkListSection] = []
_case_links: list[CaseLinks] = []
_case_actions: list[CaseLinks] = []


def register_work_list_section(section: WorkListSection) -> None:
    if section not in _work_list_sections:
        _work_list_sections.append(section)


def register_case_links(links: CaseLinks) -> None:
    if links not in _case_links:
        _case_links.append(links)


def work_list_sections(request: Any) -> list[dict[str, Any]]:
    found = (section(request) for section in _work_list_sections)
    return [s for s in found if s]


def case_links(user: Any, case: Any) -> list[dict[str, Any]]:
    return [link for links in _case_links for link in links(user, case)]


def register_case_actions(actions: CaseLinks) -> None:
    if actions not in _case_actions:
        _case_actions.append(actions)


def case_actions(user: Any, case: Any) -> list[dict[str, Any]]:
    return [action for actions in _case_actions for action in actions(user, case)]
