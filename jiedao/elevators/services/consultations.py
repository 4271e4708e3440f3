"""Reads of the project's vote in ``consult``: its consultation, outcome and page."""

from django.urls import NoReverseMatch, reverse

from jiedao.consult import selectors as consult_selectors
from jiedao.consult.models import Consultation
from jiedao.elevators.models import Project


def consultation_of(project: Project) -> Consultation | None:
    if project.consultation_id is None:
        return None
    return Consultation.objects.filter(pk=project.consultation_id).first()


def vote_outcome(project: Project):
    """The consultation's outcome (``consult.selectors.outcome``: ``passed``, ``closed``, ``participation``,
    ``agreement``, ``needed``), or None before the vote was started."""
    c = consultation_of(project)
    return None if c is None else consult_selectors.outcome(c, visit=False)


def consultation_url(project: Project) -> str:
    """The consultation's page in consult (its board, electorate and ballots), "" when there is none."""
    if project.consultation_id is None:
        return ""
    for name in ("consult:consultation", "consult:detail", "consult:board"):
        try:
            return reverse(name, args=[project.consultation_id])
        except NoReverseMatch:
            continue
    return ""
