"""The 21 天 rewards kept in step with the records (积分随记录重算).

A household's rewards in a campaign are a function of its records (``streaks.count_runs``): one per completed
run, named by the run's last day. ``settle`` appends what the ledger lacks to match it, never changing an
entry: a run earned and not paid gets its reward (the first time a ``REWARD``, after a reversal an ``ADJUST``
that pays it again); a run paid and no longer earned gets an ``ADJUST`` that takes the points back. Records
change a run only when an earlier day changes: a correction (更正), or a day recorded late (补录).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jiedao.inspections.campaigns.streaks import count_runs
from jiedao.inspections.models import Campaign, Enrolment, LedgerKind, PointsEntry, SortingCorrection, SortingRecord


@dataclass
class Settlement:
    """The entries ``settle`` appended: rewards paid (``granted``) and rewards taken back (``reversed``)."""

    granted: list[PointsEntry] = field(default_factory=list)
    reversed: list[PointsEntry] = field(default_factory=list)


def lock_enrolments(ids) -> None:
    """Serialise the writes to these households' records and rewards (in id order, so two forms never wait
    on each other). PostgreSQL; SQLite serialises writers anyway."""
    list(Enrolment.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk").values_list("pk", flat=True))


def settle(*, campaign: Campaign, enrolments: list[Enrolment], by, today: dt.date,
           correction: SortingCorrection | None = None) -> Settlement:
    """Append the ledger entries that bring each enrolled household's rewards in line with its records up
    to ``today`` (or the campaign's end). Call inside the transaction that changed the records, after
    ``lock_enrolments``. Entries are linked to ``correction`` when one caused them."""
    done = Settlement()
    if not enrolments:
        return done
    until = min(today, campaign.ends_on) if campaign.ends_on else today
    records: dict[int, dict[dt.date, bool]] = defaultdict(dict)
    for pk, day, correct in SortingRecord.objects.filter(enrolment__in=[e.pk for e in enrolments]) \
            .values_list("enrolment_id", "day", "correct"):
        records[pk][day] = correct
    # household → run_end → [points of each entry, whether a REWARD entry exists, adjustments so far]
    paid: dict[int, dict[dt.date, list]] = defaultdict(lambda: defaultdict(lambda: [0, False, 0]))
    for household_id, run_end, kind, points in PointsEntry.objects.filter(
            campaign=campaign, household_id__in=[e.household_id for e in enrolments], run_end__isnull=False,
            kind__in=(LedgerKind.REWARD, LedgerKind.ADJUST)).values_list("household_id", "run_end", "kind", "points"):
        run = paid[household_id][run_end]
        run[0] += points
        run[1] = run[1] or kind == LedgerKind.REWARD
        run[2] += kind == LedgerKind.ADJUST
    for e in enrolments:
        earned = count_runs(records[e.pk], start=e.joined_on, until=until, streak_days=campaign.streak_days,
                            missed_rule=campaign.missed_rule).completed
        runs = paid[e.household_id]
        for end in sorted(runs):
            net, _rewarded, adjustments = runs[end]
            if net > 0 and end not in earned:
                done.reversed += _append(campaign, e, by=by, correction=correction, kind=LedgerKind.ADJUST,
                                         points=-net, run_end=end, revision=adjustments + 1,
                                         note=_("撤销 %(d)s 止的连续打卡奖励：记录改动后不再连续") % {"d": end})
        for end in earned:
            net, rewarded, adjustments = runs[end] if end in runs else (0, False, 0)
            if net > 0:
                continue
            if not rewarded:
                done.granted += _append(campaign, e, by=by, correction=correction, kind=LedgerKind.REWARD,
                                        points=campaign.reward_points, run_end=end, revision=None,
                                        note=_("连续 %(n)s 天分类正确") % {"n": campaign.streak_days})
            else:
                done.granted += _append(campaign, e, by=by, correction=correction, kind=LedgerKind.ADJUST,
                                        points=campaign.reward_points, run_end=end, revision=adjustments + 1,
                                        note=_("补发 %(d)s 止的连续打卡奖励：记录改动后重新满足") % {"d": end})
    return done


def _append(campaign: Campaign, enrolment: Enrolment, *, by, correction, kind: str, points: int,
            run_end: dt.date, revision: int | None, note: str) -> list[PointsEntry]:
    """One entry, or none when another transaction has just appended it (the ledger's constraints keep a
    run to one reward and each of its adjustments to one entry)."""
    try:
        with transaction.atomic():
            return [PointsEntry.objects.create(
                subdistrict_id=campaign.subdistrict_id, household_id=enrolment.household_id, campaign=campaign,
                kind=kind, points=points, run_end=run_end, revision=revision, correction=correction, by=by,
                note=note[:100])]
    except IntegrityError:
        return []
