"""The demo's repeat calls are flagged 疑似重复 and, like an operator would, answered: the merged ones
recorded as accepted, a few (another problem of the same kind at the same place) judged 不是重复, the rest
still open; so the KPI page's 疑似重复采纳率 has both kinds of answer to count."""

import datetime as dt
import random

import pytest

from jiedao.cases import services
from jiedao.cases.models import Case, EventKind, Status
from jiedao.demo import cases as demo_cases

NOW = dt.datetime(2026, 11, 23, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Builder:
    def __init__(self, *, scale, seed=7):
        self.rng, self.scale, self.counts, self.lines = random.Random(seed), scale, {}, []


@pytest.fixture
def year(cases_world):
    demo_cases.build(builder=Builder(scale=0.2), subdistrict=cases_world.sub, now=NOW)
    return cases_world


def test_merged_repeats_are_accepted_flags_and_a_few_are_judged_not_duplicates(year):
    merged = Case.objects.filter(duplicate_of__isnull=False)
    assert merged.exists() and not merged.exclude(duplicate_accepted=True).exists()
    for case in merged:
        event = case.events.get(kind=EventKind.MERGED)
        assert case.duplicate_decided_at == event.at and case.possible_duplicate_of_id == case.duplicate_of_id
    rejected = Case.objects.filter(duplicate_accepted=False)
    assert 0 < rejected.count() < merged.count() / 3
    for case in rejected:
        event = case.events.get(kind=EventKind.NOT_DUPLICATE)
        assert case.possible_duplicate_of_id is None and case.duplicate_decided_at == event.at
        assert event.note in demo_cases.NOT_DUPLICATE_NOTES and event.from_status == event.to_status == Status.NEW
        candidate = Case.objects.get(number=event.data["candidate"])
        # Another problem of the same kind at the same place, told in words of its own.
        assert candidate.building_id == case.building_id and case.category_id in (None, candidate.category_id)
        assert "之前反映过" not in case.description and case.description != candidate.description
        assert case.version == case.events.exclude(kind__in=(EventKind.CREATED, EventKind.OVERDUE)).count()
    # Some flags are still waiting for an answer.
    assert Case.objects.filter(possible_duplicate_of__isnull=False, duplicate_accepted__isnull=True).exists()


def test_the_acceptance_figure_counts_both_answers(year):
    months = [dt.date(2025, 11, 1), dt.date(2025, 12, 1), *(dt.date(2026, m, 1) for m in range(1, 12))]  # the year
    figures = services.duplicate_acceptance(user=year.operator, months=months)
    accepted = sum(f["accepted"] for f in figures)
    rejected = sum(f["rejected"] for f in figures)
    assert accepted == Case.objects.filter(duplicate_accepted=True).count()
    assert rejected == Case.objects.filter(duplicate_accepted=False).count() > 0
    assert 50 < 100 * accepted / (accepted + rejected) < 100
    assert any(f["rate"] is not None and f["rate"] < 100 for f in figures)
