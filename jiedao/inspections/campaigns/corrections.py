"""更正打卡记录: the 居委 head corrects a household's record of one day (the wrong household ticked, or
"not correct" recorded for a day sorted correctly). The record takes the new value or goes; the old one,
who recorded it, who corrected it and why are kept (``SortingCorrection``); the count and the rewards
follow from the records (``rewards.settle``), the ledger only gaining entries."""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.audit import record, records_refusals
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm
from jiedao.inspections.campaigns.rewards import lock_enrolments, settle
from jiedao.inspections.models import CorrectionKind, Enrolment, PointsEntry, SortingCorrection, SortingRecord

REASON_REQUIRED = gettext_lazy("请填写更正原因（至少 2 个字），如“误点了隔壁户”")

# The value each kind leaves on the record (None: the record is removed).
_NEW_VALUE = {CorrectionKind.CORRECT: True, CorrectionKind.INCORRECT: False, CorrectionKind.REMOVE: None}


@dataclass
class CorrectionResult:
    """What a correction did: the history row (None when the record already was as asked, e.g. the form
    sent twice), the rewards paid and the rewards taken back."""

    correction: SortingCorrection | None = None
    granted: list[PointsEntry] = field(default_factory=list)
    reversed: list[PointsEntry] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.correction is not None


def ensure_may_correct(user, enrolment: Enrolment) -> None:
    """Refuse (403, audited) anyone but those who manage the campaign within whose scope the household is."""
    ensure_perm(user, Perm.MANAGE_INSPECTIONS, obj=enrolment, message=_("只有居委负责人或街道管理人员可以更正打卡记录"))
    ensure_in_scope(enrolment, user=user)


@records_refusals
def correct_day(*, by, enrolment: Enrolment, day: dt.date, kind: str, reason: str) -> CorrectionResult:
    """更正: set one household's record of ``day`` to correct or not correct, or remove it (``kind``), with
    the ``reason`` (required). Those who manage the campaign (the 居委 head, the operator) may, within
    their scope, for days up to today, until the campaign's end plus its ``correction_days``. A record
    already as asked changes nothing; a day without a record is recorded on the record page, not here."""
    ensure_may_correct(by, enrolment)
    campaign = enrolment.campaign
    today = timezone.localdate()
    reason = " ".join((reason or "").split())
    errors = {}
    if kind not in CorrectionKind.values:
        errors["kind"] = _("更正方式无效：应为 correct、incorrect 或 remove")
    if len(reason) < 2:
        errors["reason"] = str(REASON_REQUIRED)
    deadline = campaign.correctable_until()
    if day > today:
        errors["day"] = _("不能更正今天之后的日期（%(d)s）") % {"d": day}
    elif deadline is not None and today > deadline:
        errors["day"] = _("活动已于 %(end)s 结束，更正期 %(n)s 天已过，记录不能再更正") % {
            "end": campaign.ends_on, "n": campaign.correction_days}
    if errors:
        raise ValidationError(errors)
    wanted = _NEW_VALUE[kind]
    with transaction.atomic():
        lock_enrolments([enrolment.pk])
        current = SortingRecord.objects.filter(enrolment=enrolment, day=day).first()
        if current is None:
            if wanted is None:
                return CorrectionResult()  # already removed
            raise ValidationError(
                {"day": _("%(d)s 没有打卡记录，无需更正；未记录的日子请在打卡记录页登记") % {"d": day}})
        if current.correct == wanted:
            return CorrectionResult()
        correction = SortingCorrection.objects.create(
            subdistrict_id=enrolment.subdistrict_id, enrolment=enrolment, day=day, kind=kind,
            was_correct=current.correct, recorded_by_id=current.recorded_by_id, recorded_at=current.recorded_at,
            reason=reason[:200], corrected_by=by)
        record_id = current.pk
        if wanted is None:
            current.delete()
        else:
            current.correct = wanted
            current.save(update_fields=["correct"])
        settled = settle(campaign=campaign, enrolments=[enrolment], by=by, today=today, correction=correction)
        record(actor=by, action=AuditAction.DELETE if wanted is None else AuditAction.UPDATE,
               object_type=SortingRecord._meta.label_lower, object_id=str(record_id),
               field="correct", reason=reason, subdistrict_id=enrolment.subdistrict_id,
               detail={"correction": correction.pk, "enrolment": enrolment.pk, "day": day.isoformat(),
                       "from": correction.was_correct, "to": wanted,
                       "granted": [e.run_end.isoformat() for e in settled.granted],
                       "reversed": [e.run_end.isoformat() for e in settled.reversed]})
    return CorrectionResult(correction=correction, granted=settled.granted, reversed=settled.reversed)
