"""``{{ amount|yuan }}``: an amount of money in yuan as the pages show it —
``¥12,345.00`` in English, ``12,345.00 元`` in Chinese (the msgstr of the msgid
``¥%(amount)s``). ``None`` shows as a dash."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.translation import gettext as _

register = template.Library()


def format_yuan(value: Decimal | float | int | None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    # Translators: an amount of money in yuan; Chinese puts 元 after it.
    return _("¥%(amount)s") % {"amount": f"{amount:,.2f}"}


@register.filter
def yuan(value: Decimal | float | int | None) -> str:
    return format_yuan(value)
