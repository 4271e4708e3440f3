"""What every module's pages share about forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def apply_errors(form: forms.Form, exc: ValidationError, *, aliases: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError next to the form fields it names (the rest above the form).
    ``aliases`` maps a service's field name to the form's, where they differ."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, messages in exc.message_dict.items():
        field = aliases.get(field, field)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class QuickSelect(forms.Select):
    """A ``<select>`` that renders its options in Python instead of one template include per option.

    Written by hand because Django renders every option through ``select_option.html``. A filter bar
    with a hundred grids, thirty 居委 and forty categories spends most of a list page's rendering there.
    The markup is the same as Django's (tests/test_forms.py compares the two): the same attributes,
    ``selected`` options and optgroups.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join("", '<option value="{}"{}>{}</option>',
                                    ((str(o["value"]), _attrs(o["attrs"]), o["label"]) for o in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html('<select name="{}"{}>{}</select>', widget["name"], _attrs(widget["attrs"]),
                           mark_safe("".join(groups)))  # each group escaped by format_html above


def _attrs(attrs: dict) -> str:
    """HTML attributes as django/forms/widgets/attrs.html writes them: in order, ``True`` as a bare name,
    ``False`` left out."""
    return mark_safe("".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items() if value is not False
    ))
