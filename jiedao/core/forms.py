"""What every module's pages share about forms."""

from django import forms
from django.core.exceptions import ValidationError


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
