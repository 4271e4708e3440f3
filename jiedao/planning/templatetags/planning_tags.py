from django import template

from jiedao.planning import units
from jiedao.planning.selectors import format_number

register = template.Library()


@register.filter
def num(value) -> str:
    """1.0200 → 1.02, 89716 → 89,716; blank for no value."""
    return format_number(value) if value not in (None, "") else ""


@register.filter
def unit(code: str) -> str:
    """An indicator's or data element's unit in the reader's language (平方米 → m²); blank for none."""
    return units.label(code)


@register.filter
def plain(text: str) -> str:
    """The plan's text marks emphasis with **…**; shown as plain text."""
    return (text or "").replace("**", "")


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def without_prefix(text: str, prefix: str) -> str:
    """A task's text after its lead phrase, which the page shows in bold."""
    text = plain(text)
    return text[len(prefix):] if prefix and text.startswith(prefix) else text
