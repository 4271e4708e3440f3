"""What the visits pages share: the note with the assessment's phrases marked, and answers for the page's
own scripts (JSON when the request asks for it)."""

from django.http import JsonResponse

from jiedao.visits.models import Visit


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def json_errors(exc, status: int = 400) -> JsonResponse:
    """A ValidationError as the API's error shape: {"detail", "errors": [{"field", "message"}]}."""
    if hasattr(exc, "error_dict"):
        errors = [{"field": field, "message": message} for field, messages in exc.message_dict.items()
                  for message in messages]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    return JsonResponse({"detail": errors[0]["message"] if errors else "", "errors": errors}, status=status)


def marked_note(visit: Visit) -> list[tuple[str, bool]]:
    """The note as (text, is evidence) pieces: every phrase the assessment quoted is marked where it occurs,
    so the template highlights them without building HTML."""
    note = visit.note or ""
    spans: list[tuple[int, int]] = []
    for phrase in sorted(set(visit.evidence), key=len, reverse=True):
        if not phrase:
            continue
        start = note.find(phrase)
        while start != -1:
            end = start + len(phrase)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = note.find(phrase, end)
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start > at:
            pieces.append((note[at:start], False))
        pieces.append((note[start:end], True))
        at = end
    if at < len(note):
        pieces.append((note[at:], False))
    return pieces
