"""``{% may_import as can_import %}``: whether the page's user may open the import page
(the same check ``views.import_page`` makes), so the catalogue's menu offers 导入 only
to those it would not refuse."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import(context: Any) -> bool:
    from zhifa.catalogue.views import may_import as allowed

    request = context.get("request")
    return request is not None and allowed(request.user)
