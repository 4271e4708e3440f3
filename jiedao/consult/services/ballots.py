"""选票: online by the one-time signed code on the letter, booth and paper entered twice by staff, proxies
with their document, and 议事 votes from the meeting. One counted ballot per owner across channels: the
last one cast before closing; every replacement is audited."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.consult.codes import nonce_of
from jiedao.consult.models import Ballot, BallotState, Channel, Consultation, Dwelling, Status, VotingCode
from jiedao.consult.rules import Choice, RuleCode
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction
from jiedao.core.roles import Perm

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"pdf", "jpg", "jpeg", "png"}


class BadCode(Exception):
    """A voting code that cannot vote: ``reason`` is forged, used, revoked, not_open or closed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return {
            "forged": _("这个表决码无效：可能抄错了或被改动过。请扫描征询告知书上的二维码，或到居委会现场投票。"),
            "used": _("这个表决码已经投过票了，每个表决码只能使用一次。如需改变意见，请到居委会现场投票。"),
            "revoked": _("这个表决码已作废，请使用居委会新发的告知书。"),
            "not_open": _("表决尚未开始，请在告知书写明的时间内投票。"),
            "closed": _("表决已经截止，不能再投票。"),
        }[self.reason]


def read_code(*, token: str, at: dt.datetime | None = None) -> VotingCode:
    """The voting code a token names, if it may still vote now; BadCode otherwise. A forged token is refused
    before the database is asked; a registry household code or any other signed token is forged here."""
    nonce = nonce_of(token)
    if nonce is None:
        raise BadCode("forged")
    code = (VotingCode.objects.select_related("dwelling", "dwelling__consultation").filter(nonce=nonce).first())
    if code is None:
        raise BadCode("forged")
    if code.revoked_at is not None:
        raise BadCode("revoked")
    if code.used_at is not None:
        raise BadCode("used")
    c = code.dwelling.consultation
    at = at or timezone.now()
    if c.voting_over(at):
        raise BadCode("closed")
    if c.status != Status.OPEN or at < c.opens_at:
        raise BadCode("not_open")
    return code


def _choice(choice: str) -> str:
    if choice not in Choice.values:
        raise ValidationError({"choice": _("请选择 同意、不同意 或 弃权")})
    return choice


def _count(ballot: Ballot, *, actor) -> Ballot:
    """Make ``ballot`` counted and keep one counted ballot for its owner: the last cast (ties: the later
    entry). The ones it replaces, or that replace it, are kept as REPLACED; every replacement is audited."""
    rivals = list(Ballot.objects.select_for_update().filter(
        consultation_id=ballot.consultation_id, owner_key=ballot.owner_key, state=BallotState.COUNTED)
        .exclude(pk=ballot.pk))
    ballot.state = BallotState.COUNTED
    for rival in rivals:
        newer, older = (ballot, rival) if (ballot.cast_at, ballot.pk) >= (rival.cast_at, rival.pk) else (rival, ballot)
        older.state = BallotState.REPLACED
        if older is rival:
            rival.save(update_fields=["state"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=older, detail={
            "consultation": ballot.consultation_id, "replaced_by": newer.pk, "replaced": older.pk,
            "before": {"choice": older.choice, "channel": older.channel, "cast_at": older.cast_at.isoformat()},
            "after": {"choice": newer.choice, "channel": newer.channel, "cast_at": newer.cast_at.isoformat()}})
    ballot.save()
    return ballot


def _new_ballot(d: Dwelling, **kwargs) -> Ballot:
    return Ballot(consultation_id=d.consultation_id, subdistrict_id=d.subdistrict_id, community_id=d.community_id,
                  building_id=d.building_id, dwelling=d, owner_key=d.owner_key, **kwargs)


@audit.records_refusals
def cast_online(*, token: str, choice: str) -> Ballot:
    """线上投票 by the code on the letter: counted at once (the code proves the letter reached the owner);
    the code is used up (a conditional update, so two phones with one letter cannot both vote)."""
    code = read_code(token=token)
    choice = _choice(choice)
    now = timezone.now()
    with transaction.atomic():
        if not VotingCode.objects.filter(pk=code.pk, used_at__isnull=True).update(used_at=now):
            raise BadCode("used")
        ballot = _new_ballot(code.dwelling, choice=choice, channel=Channel.ONLINE, state=BallotState.COUNTED,
                             cast_at=now, code=code)
        ballot.save()
        _count(ballot, actor="业主（线上）")
        audit.record(actor="业主（线上）", action=AuditAction.CREATE, obj=ballot,
                     detail={"consultation": ballot.consultation_id, "channel": Channel.ONLINE})
    return ballot


def _ballot_staff(consultation: Consultation, by) -> None:
    ensure_perm(by, Perm.BALLOT_CONSULT, obj=consultation, message=_("您的角色不能录入或复核选票"))
    ensure_in_scope(consultation, user=by)


@audit.records_refusals
def enter_ballot(*, dwelling: Dwelling, choice: str, channel: str, by, cast_at: dt.datetime | None = None,
                 proxy_name: str = "", proxy_document=None, note: str = "") -> Ballot:
    """现场 / 纸质 / 委托 票的第一次录入: kept PENDING until a second staff member enters it the same way
    (``confirm_ballot``). A proxy needs the proxy's name and the signed 委托书 (PDF or image)."""
    consultation = dwelling.consultation
    _ballot_staff(consultation, by)
    choice = _choice(choice)
    if channel not in (Channel.BOOTH, Channel.PAPER, Channel.PROXY):
        raise ValidationError({"channel": _("工作人员录入的选票渠道应为 现场投票、纸质票 或 委托投票")})
    cast_at = cast_at or timezone.now()
    if consultation.status != Status.OPEN or cast_at < consultation.opens_at:
        raise ValidationError(_("表决尚未开始，不能录入选票"))
    if cast_at >= consultation.closes_at:
        raise ValidationError({"cast_at": _("投票时间在截止时间之后，这张票不能计入")})
    if cast_at > timezone.now():
        raise ValidationError({"cast_at": _("投票时间不能晚于现在")})
    if not dwelling.owner_key:
        raise ValidationError(_("%(u)s 尚未登记业主，不能录入选票") % {"u": dwelling.label})
    proxy_name = " ".join((proxy_name or "").split())
    if channel == Channel.PROXY:
        errors = {}
        if len(proxy_name) < 2:
            errors["proxy_name"] = _("委托投票请填写受托人姓名")
        if not proxy_document:
            errors["proxy_document"] = _("委托投票请上传业主签名的委托书（PDF 或照片）")
        else:
            ext = proxy_document.name.rsplit(".", 1)[-1].lower() if "." in proxy_document.name else ""
            if ext not in DOCUMENT_TYPES:
                errors["proxy_document"] = _("委托书请上传 PDF、JPG 或 PNG 文件")
            elif proxy_document.size > MAX_DOCUMENT_BYTES:
                errors["proxy_document"] = _("委托书文件不能超过 10 MB")
        if errors:
            raise ValidationError(errors)
    with transaction.atomic():
        ballot = _new_ballot(dwelling, choice=choice, channel=channel, state=BallotState.PENDING, cast_at=cast_at,
                             entered_by=by, proxy_name=proxy_name if channel == Channel.PROXY else "",
                             note=(note or "")[:200])
        if channel == Channel.PROXY:
            ballot.proxy_document = proxy_document
        ballot.save()
        audit.record(actor=by, action=AuditAction.CREATE, obj=ballot,
                     detail={"consultation": consultation.pk, "channel": channel, "entry": 1})
    return ballot


@audit.records_refusals
def confirm_ballot(*, ballot: Ballot, choice: str, by) -> Ballot:
    """复核录入: a second staff member enters the same paper ballot without seeing the first entry. The same
    choice counts it; a different one flags it MISMATCH, not counted, until the paper is checked and entered
    again."""
    consultation = ballot.consultation
    _ballot_staff(consultation, by)
    choice = _choice(choice)
    if ballot.state != BallotState.PENDING:
        raise ValidationError(_("这张票已复核过（%(s)s）") % {"s": ballot.get_state_display()})
    if ballot.entered_by_id == by.pk:
        raise ValidationError(_("复核须由另一位工作人员完成，录入人不能复核自己录入的票"))
    if consultation.status == Status.CLOSED:
        raise ValidationError(_("征询已结束，不能再复核选票"))
    with transaction.atomic():
        ballot.confirmed_by, ballot.confirmed_choice = by, choice
        if choice == ballot.choice:
            _count(ballot, actor=by)
        else:
            ballot.state = BallotState.MISMATCH
            ballot.save()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=ballot,
                     detail={"consultation": consultation.pk, "entry": 2, "state": ballot.state})
    return ballot


@audit.records_refusals
def record_meeting(*, consultation: Consultation, by, votes: dict[str, str], record: str,
                   cast_at: dt.datetime | None = None) -> int:
    """议事表决: the members' votes as the meeting recorded them (label → choice), with the meeting's record;
    counted at once, the record being the evidence. Returns the number of votes."""
    ensure_perm(by, Perm.RUN_CONSULT, obj=consultation, message=_("只有居委负责人可以录入议事表决"))
    ensure_in_scope(consultation, user=by)
    if consultation.rule != RuleCode.MAJORITY:
        raise ValidationError(_("只有议事表决可以按会议记录录入"))
    record = (record or "").strip()
    if len(record) < 10:
        raise ValidationError({"record": _("请填写会议记录（时间、到会成员、议题、表决情况，至少 10 个字）")})
    cast_at = cast_at or timezone.now()
    if consultation.status != Status.OPEN or not (consultation.opens_at <= cast_at < consultation.closes_at):
        raise ValidationError(_("会议时间不在表决期内"))
    members = {d.label: d for d in consultation.dwellings.all()}
    unknown = [label for label in votes if label not in members]
    if unknown:
        raise ValidationError({"votes": _("不是本次议事的成员：%(n)s") % {"n": "、".join(unknown)}})
    with transaction.atomic():
        for label, choice in votes.items():
            ballot = _new_ballot(members[label], choice=_choice(choice), channel=Channel.MEETING,
                                 state=BallotState.COUNTED, cast_at=cast_at, entered_by=by)
            ballot.save()
            _count(ballot, actor=by)
        consultation.meeting_record = record
        consultation.save(update_fields=["meeting_record"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=consultation, detail={"meeting_votes": len(votes)})
    return len(votes)
