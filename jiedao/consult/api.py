"""征询与表决 (consultations and votes): electorates from the registry, rules as data (Civil Code art. 278,
旧改 share rounds, 议事), ballots by every channel, the tally, the progress board and 公示. See docs/consult.md.

The JSON API does what the pages do: list and create consultations, correct owners and areas, open and close,
the board, who to visit next, staff ballot entry (double entry) and proxies, 议事 votes, and, without an
account, the owner's vote by the code on the letter and the public notice."""

import base64
import binascii
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from jiedao.consult import selectors, services
from jiedao.consult.models import Consultation, Status
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm
from jiedao.geo.models import Building, Community, Estate, Unit

router = Router(tags=["consult"])


class RatiosOut(Schema):
    area: str
    heads: str


class ConsultationOut(Schema):
    id: int
    title: str
    kind: str
    rule: str
    scope: str
    status: str
    round: int
    previous_id: int | None
    opens_at: dt.datetime
    closes_at: dt.datetime
    sealed: bool
    source: str
    share_of: str
    share_at_least: str
    counting_unit: str
    units: int

    @staticmethod
    def resolve_scope(obj) -> str:
        return obj.scope_label

    @staticmethod
    def resolve_units(obj) -> int:
        return obj.dwellings.count()


class CreateIn(Schema):
    kind: str
    title: str
    rule: str | None = None
    building_id: int | None = None
    unit_id: int | None = None
    estate_id: int | None = None
    household_ids: list[int] | None = None
    members: list[str] | None = None
    community_id: int | None = None
    opens_at: dt.datetime
    closes_at: dt.datetime
    share_of: str | None = None
    share_at_least: str | None = None
    sealed: bool | None = None
    notice_from: dt.date | None = None
    result_notice_until: dt.date | None = None
    round: int = 1
    previous_id: int | None = None
    source: str = ""


def _consultation(request, pk: int) -> Consultation:
    return selectors.get_consultation(user=request.user, pk=pk)


@router.get("/consultations", response=list[ConsultationOut], summary="征询列表（本人数据范围内）")
def consultation_list(request, status: str | None = None):
    return list(selectors.consultation_list(user=request.user, status=status))


@router.post("/consultations", response={201: ConsultationOut}, summary="发起征询（表决单位取自实有人口登记）")
def create(request, body: CreateIn):
    user = request.user
    ensure_perm(user, Perm.RUN_CONSULT)
    place = {}
    if body.building_id:
        place["building"] = get_in_scope(Building.objects.all(), user=user, pk=body.building_id)
    elif body.unit_id:
        place["unit"] = get_in_scope(Unit.objects.select_related("building"), user=user, pk=body.unit_id)
    elif body.estate_id:
        place["estate"] = get_object_or_404(Estate, pk=body.estate_id, subdistrict_id=user.subdistrict_id)
    elif body.household_ids:
        place["households"] = body.household_ids
    elif body.members:
        place["members"] = body.members
        place["community"] = get_in_scope(Community.objects.all(), user=user, pk=body.community_id or 0)
    previous = _consultation(request, body.previous_id) if body.previous_id else None
    c = services.create_consultation(
        subdistrict=user.subdistrict, kind=body.kind, title=body.title, rule=body.rule, opens_at=body.opens_at,
        closes_at=body.closes_at, created_by=user, share_of=body.share_of, share_at_least=body.share_at_least,
        sealed=body.sealed, notice_from=body.notice_from, result_notice_until=body.result_notice_until,
        round=body.round, previous=previous, source=body.source, **place)
    return 201, c


@router.get("/consultations/{pk}", response=ConsultationOut, summary="征询详情")
def detail(request, pk: int):
    return _consultation(request, pk)


@router.get("/consultations/{pk}/outcome", summary="结果：是否通过、参与率与同意率（面积、人数），还差几户")
def outcome(request, pk: int, visit: bool = False):
    return selectors.outcome(_consultation(request, pk), visit=visit).as_json()


@router.get("/consultations/{pk}/board", summary="进度看板：全项目与各楼栋的参与和同意情况")
def board(request, pk: int):
    data = selectors.board(consultation=_consultation(request, pk), user=request.user)
    return {
        "outcome": data["outcome"].as_json(), "pending_entries": data["pending"],
        "mismatched_entries": data["mismatched"], "by_channel": data["by_channel"], "missing": data["missing"],
        "buildings": [{"name": r.name, "heads": r.heads, "voted_heads": r.voted_heads, "area": str(r.area),
                       "voted_area": str(r.voted_area), "participation": r.participation.as_json(),
                       **({} if data["sealed"] else {"agree_heads": r.agree_heads, "agree_area": str(r.agree_area),
                                                     "agreement": r.agreement.as_json()})}
                      for r in data["buildings"]],
    }


@router.get("/consultations/{pk}/visit-next", summary="下一步走访：最少需要争取哪几位业主同意")
def visit_next(request, pk: int):
    result = selectors.outcome(_consultation(request, pk), visit=True)
    return {"needed": result.needed, "exact": result.exact, "sealed": result.sealed,
            "visit_next": result.as_json()["visit_next"]}


class UnitOut(Schema):
    id: int
    label: str
    owner: str
    unsold: bool
    area: str | None
    has_owner: bool
    voted: bool
    choice: str | None


@router.get("/consultations/{pk}/electorate", response=list[UnitOut], summary="表决单位（业主姓名已脱敏）")
def electorate(request, pk: int):
    rows = selectors.electorate_rows(consultation=_consultation(request, pk), user=request.user)
    return [{**r, "area": str(r["area"]) if r["area"] is not None else None} for r in rows]  # dwelling: ignored


class CorrectIn(Schema):
    reason: str
    owner_name: str | None = None
    owner_document: str | None = None
    unsold: bool | None = None
    area: str | None = None


@router.patch("/consultations/{pk}/electorate/{unit_id}", summary="更正业主或面积（须写明依据，留痕）")
def correct(request, pk: int, unit_id: int, body: CorrectIn):
    c = _consultation(request, pk)
    d = selectors.get_dwelling(user=request.user, consultation=c, pk=unit_id)
    changes = services.correct_dwelling(dwelling=d, by=request.user, **body.dict())
    return {"changed": sorted(changes)}


@router.post("/consultations/{pk}/open", response=ConsultationOut, summary="开启征询（业主或面积缺失时拒绝并列出）")
def open_(request, pk: int):
    return services.open_consultation(_consultation(request, pk), by=request.user)


class CloseIn(Schema):
    meeting_record: str | None = None


@router.post("/consultations/{pk}/close", summary="结束征询，固定结果")
def close(request, pk: int, body: CloseIn):
    c = services.close_consultation(_consultation(request, pk), by=request.user, meeting_record=body.meeting_record)
    return c.result


class BallotIn(Schema):
    unit_id: int
    choice: str
    channel: str
    cast_at: dt.datetime | None = None
    proxy_name: str = ""
    proxy_document_name: str = ""
    proxy_document_base64: str = ""
    note: str = ""


class EntryOut(Schema):
    id: int
    unit: str
    channel: str
    state: str
    cast_at: dt.datetime
    entered_by: str

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.dwelling.label

    @staticmethod
    def resolve_entered_by(obj) -> str:
        return obj.entered_by.display_name if obj.entered_by_id else ""


@router.post("/consultations/{pk}/ballots", response={201: EntryOut},
             summary="录入现场票、纸质票或委托票（第一次录入，待另一位工作人员复核）")
def enter(request, pk: int, body: BallotIn):
    c = _consultation(request, pk)
    d = selectors.get_dwelling(user=request.user, consultation=c, pk=body.unit_id)
    document = None
    if body.proxy_document_base64:
        try:
            raw = base64.b64decode(body.proxy_document_base64, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({"proxy_document": _("委托书不是有效的 base64")}) from None
        document = ContentFile(raw, name=body.proxy_document_name or "proxy.pdf")
    ballot = services.enter_ballot(dwelling=d, choice=body.choice, channel=body.channel, by=request.user,
                                   cast_at=body.cast_at, proxy_name=body.proxy_name, proxy_document=document,
                                   note=body.note)
    return 201, ballot


@router.get("/consultations/{pk}/entries", response=list[EntryOut],
            summary="待复核与不一致的录入（不显示第一次录入的意见）")
def entries(request, pk: int):
    return list(selectors.pending_entries(consultation=_consultation(request, pk), user=request.user))


class ConfirmIn(Schema):
    choice: str


@router.post("/consultations/{pk}/ballots/{ballot_id}/confirm", response=EntryOut,
             summary="复核录入：与第一次录入一致则计入，不一致则标记、不计入")
def confirm(request, pk: int, ballot_id: int, body: ConfirmIn):
    c = _consultation(request, pk)
    ballot = selectors.get_ballot(user=request.user, consultation=c, pk=ballot_id)
    return services.confirm_ballot(ballot=ballot, choice=body.choice, by=request.user)


class MeetingIn(Schema):
    votes: dict[str, str]
    record: str


@router.post("/consultations/{pk}/meeting", summary="议事表决：按会议记录录入成员表决")
def meeting(request, pk: int, body: MeetingIn):
    n = services.record_meeting(consultation=_consultation(request, pk), by=request.user, votes=body.votes,
                                record=body.record)
    return {"votes": n}


# ------------------------------------------------------------------------------ residents, no account

class CodeOut(Schema):
    consultation: str
    scope: str
    unit: str
    closes_at: dt.datetime


def _code(token: str):
    try:
        return services.read_code(token=token)
    except services.BadCode as exc:
        raise ValidationError({"token": exc.message}, code=exc.reason) from None


@router.get("/vote/{token}", response=CodeOut, auth=None, summary="业主表决码（无需登录）")
def vote_code(request, token: str):
    code = _code(token)
    d = code.dwelling
    return {"consultation": d.consultation.title, "scope": d.consultation.scope_label, "unit": d.label,
            "closes_at": d.consultation.closes_at}


class VoteIn(Schema):
    choice: str


@router.post("/vote/{token}", auth=None, summary="业主线上表决：同意 / 不同意 / 弃权（每个码一次）")
def vote(request, token: str, body: VoteIn):
    try:
        services.cast_online(token=token, choice=body.choice)
    except services.BadCode as exc:
        raise ValidationError({"token": exc.message}, code=exc.reason) from None
    return {"ok": True}


@router.get("/notice/{pk}", auth=None, summary="公示（无需登录，不含个人信息）")
def notice(request, pk: int):
    c = get_object_or_404(Consultation.objects.exclude(status=Status.DRAFT, notice_from__isnull=True), pk=pk)
    data = selectors.public_notice(c)
    if data is None:
        raise Http404
    result = data["outcome"]
    return {"title": c.title, "scope": c.scope_label, "rule": c.get_rule_display(), "phase": data["phase"],
            "opens_at": c.opens_at, "closes_at": c.closes_at,
            "outcome": result.as_json() if result and data["phase"] == "after" else None,
            "participation": result.participation.as_json() if result else None}
