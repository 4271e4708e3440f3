"""Cleaning a complaint text before it is classified, and normalising it into the model's features' input."""

import html
import re
import unicodedata

from django.utils.html import strip_tags

# Script and style elements are dropped with their content: `<script>alert(1)</script>` says nothing about
# the complaint, and strip_tags alone would keep "alert(1)".
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
# Punctuation and symbols carry no category; they become one space so n-grams do not bridge clauses.
_PUNCT = re.compile(r"[^\w\s]+|_+")


def clean(text: str | None) -> str:
    """The plain text of a complaint: HTML tags and entities removed, whitespace collapsed, trimmed."""
    text = str(text or "").replace("\x00", "")
    if "<" in text:
        text = strip_tags(_SCRIPT.sub(" ", text))
    if "&" in text:
        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """The form the vectoriser sees: full-width folded to half-width (NFKC), lower case, every run of digits
    as one ``0`` (house numbers and dates are noise), punctuation as spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()
