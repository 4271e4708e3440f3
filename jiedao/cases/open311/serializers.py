"""GeoReport v2's two wire formats and its W3C datetimes.

Both formats are built from the same plain dicts and lists: JSON as is, XML by the small serializer below.
No maintained Python library writes GeoReport's XML (its list elements are named per list: <services> holds
<service>s, <service_requests> holds <request>s …), so the mapping from list to item name is spelled out
here, from the spec's examples (http://wiki.open311.org/GeoReport_v2/).
"""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}

# The element name of each item of a list, by the list's own element name.
ITEM_ELEMENT = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}

# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines): a description
# typed into a phone can hold them, and one would make the whole document ill-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ET.SubElement(element, key), item)
    elif isinstance(value, (list, tuple)):
        tag = ITEM_ELEMENT[element.tag]
        for item in value:
            _fill(ET.SubElement(element, tag), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("", str(value))


def to_xml(root: str, value) -> bytes:
    """``value`` (a list or a dict) as a GeoReport XML document under ``<root>``."""
    element = ET.Element(root)
    _fill(element, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="unicode").encode()


def render(value, *, fmt: str, root: str, status: int = 200) -> HttpResponse:
    """One response in the requested format; ``root`` names the XML document element."""
    if fmt == "xml":
        body = to_xml(root, value)
    else:
        body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    return HttpResponse(body, status=status, content_type=FORMATS[fmt])


def error_list(status: int, messages: list[str]) -> list[dict]:
    """The spec's error format: a list of {code, description}; our code is the HTTP status."""
    return [{"code": status, "description": message} for message in messages]


# ------------------------------------------------------------------------------------------ W3C datetimes


def w3c(value: dt.datetime | None) -> str | None:
    """A W3C datetime with the local offset, e.g. 2026-11-23T10:15:00+08:00."""
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the dates a query may name

# W3C-DTF (https://www.w3.org/TR/NOTE-datetime) as GeoReport uses it: a complete date, or a complete date
# and time (seconds and fractions optional) with its time zone designator.
_W3C = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<time>\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?P<tz>Z|[+-]\d{2}:\d{2}))?"
)


def parse_w3c(value: str, *, field: str) -> tuple[dt.datetime, bool]:
    """Parse a W3C date or datetime; returns (aware datetime, whether only a date was given).

    A date alone means local midnight. A '+' in an offset that arrived unencoded in a query string has
    become a space; it is put back, since no other reading of "…T10:00:00 08:00" exists.
    """
    text = re.sub(r" (\d{2}:\d{2})$", r"+\1", (value or "").strip())
    match = _W3C.fullmatch(text)
    problem = _("%(field)s 不是 W3C 格式的日期时间（例如 2026-11-23T10:15:00+08:00）：%(value)s") % {
        "field": field, "value": value[:40]}
    if match is None:
        raise ValidationError({field: problem})
    if not FIRST_YEAR <= int(match["date"][:4]) <= LAST_YEAR:
        # Far years overflow the range arithmetic and the time zone conversion; no case is dated there.
        raise ValidationError({field: _("%(field)s 须在 %(first)s 年至 %(last)s 年之间：%(value)s") % {
            "field": field, "first": FIRST_YEAR, "last": LAST_YEAR, "value": value[:40]}})
    try:
        if match["time"] is None:
            day = dt.date.fromisoformat(match["date"])
            return timezone.make_aware(dt.datetime.combine(day, dt.time())), True
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")), False
    except ValueError:
        raise ValidationError({field: problem}) from None
