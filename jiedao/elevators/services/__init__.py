"""Writes of the elevators app (加装电梯): surveys, projects and their pipeline, quotes, the vote."""

from jiedao.elevators.services.consultations import consultation_of, consultation_url, vote_outcome
from jiedao.elevators.services.projects import (
    add_document,
    advance_project,
    create_project,
    make_quote,
    raise_blocker,
    record_review,
    resolve_blocker,
    stage_refusal,
)
from jiedao.elevators.services.surveys import save_survey
from jiedao.elevators.services.votes import link_vote, open_vote, start_vote

__all__ = [
    "add_document", "advance_project", "consultation_of", "consultation_url", "create_project", "link_vote",
    "make_quote", "open_vote", "raise_blocker", "record_review", "resolve_blocker", "save_survey", "stage_refusal",
    "start_vote", "vote_outcome",
]
