"""Template filters of the registry pages."""

from django import template

from jiedao.registry import colours

register = template.Library()


@register.filter
def care_reason(reason: str) -> str:
    """分色依据 in the reader's language: "红: 独居 + 高龄" → "Red: Living alone + Aged 80+"."""
    return colours.shown_reason(reason)
