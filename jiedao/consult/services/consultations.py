"""发起、开启与结束征询, and the electorate's owners and areas (with a documented reason, audited)."""

import datetime as dt
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.consult.models import Ballot, BallotState, Consultation, CountingUnit, Dwelling, Kind, Status, VotingCode
from jiedao.consult.rules import DEVELOPER_KEY, Rule, RuleCode, RuleError, ShareOf, parse_area
from jiedao.consult.selectors import missing_data
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.crypto import blind_index
from jiedao.core.models import AuditAction, Subdistrict
from jiedao.core.roles import Perm
from jiedao.geo.models import Building, Estate, Unit
from jiedao.registry.models import Household

# Matters whose agreement stays sealed until closing unless the caller says otherwise (an election).
SEALED_KINDS = {Kind.COMMITTEE}
DEFAULT_RULE = {
    Kind.ELEVATOR: RuleCode.SPECIAL_278, Kind.FUND: RuleCode.SPECIAL_278, Kind.COMPLETE: RuleCode.SPECIAL_278,
    Kind.COMMITTEE: RuleCode.ORDINARY_278, Kind.RULES: RuleCode.ORDINARY_278, Kind.RENEWAL: RuleCode.SHARE,
    Kind.DELIBERATION: RuleCode.MAJORITY,
}


def owner_key_for(*, label: str, name: str, document: str, unsold: bool) -> str:
    """The key that makes one head of one owner: the developer's key for unsold dwellings, else an HMAC of
    the owner's document number (so all of one buyer's dwellings share it), else of name and dwelling (a
    head per dwelling); empty while the owner is missing."""
    if unsold:
        return DEVELOPER_KEY
    if document.strip():
        return blind_index(document, purpose="consult.owner")
    if name.strip():
        return blind_index(f"{name}\x00{label}", purpose="consult.owner-of-dwelling")
    return ""


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写更正依据（至少 2 个字），如“产证复印件核对”")})
    return reason


def _check_rule(rule: str, share_of: str | None, share_at_least) -> Rule:
    try:
        return Rule.of(rule, share_of=share_of, at_least=share_at_least)
    except RuleError as exc:
        raise ValidationError({"rule": str(exc)}) from None


def _households(*, subdistrict: Subdistrict, households=None, building=None, unit=None, estate=None):
    if households is not None:
        ids = [h.pk if isinstance(h, Household) else int(h) for h in households]
        qs = Household.objects.filter(pk__in=ids)
    elif unit is not None:
        unit = unit if isinstance(unit, Unit) else Unit.objects.get(pk=unit)
        qs = Household.objects.filter(unit=unit)
    elif building is not None:
        qs = Household.objects.filter(building=building)
    elif estate is not None:
        qs = Household.objects.filter(building__estate=estate)
    else:
        raise ValidationError({"households": _("请指定征询范围：单元、楼栋、小区或一组住户")})
    rows = list(qs.filter(subdistrict=subdistrict).select_related("building", "unit", "building__community")
                .order_by("building__code", "unit__number", "room"))
    if not rows:
        raise ValidationError({"households": _("征询范围内没有登记的住户")})
    return rows


def _scope_label(rows, *, building, unit, estate) -> str:
    if unit is not None:
        unit = unit if isinstance(unit, Unit) else Unit.objects.get(pk=unit)
        return str(unit)
    if building is not None:
        return building.address
    if estate is not None:
        return estate.name
    buildings = {h.building_id: h.building for h in rows}
    if len(buildings) == 1:
        return next(iter(buildings.values())).address
    return _("%(n)s 栋楼的 %(h)s 户") % {"n": len(buildings), "h": len(rows)}


def _label(h: Household, many_buildings: bool) -> str:
    label = f"{h.unit.number}-{h.room}" if h.unit_id else h.room
    return f"{h.building.number}号{label}" if many_buildings else label


@audit.records_refusals
def create_consultation(
    *, subdistrict: Subdistrict, kind: str, title: str, opens_at: dt.datetime, closes_at: dt.datetime,
    created_by, rule: str | None = None, households: Iterable | None = None, building: Building | None = None,
    unit: Unit | int | None = None, estate: Estate | None = None, members: Iterable[str] | None = None,
    community=None, share_of: str | None = None, share_at_least=None, counting_unit: str | None = None,
    sealed: bool | None = None, notice_from: dt.date | None = None, result_notice_until: dt.date | None = None,
    round: int = 1, previous: Consultation | None = None, source: str = "",
) -> Consultation:
    """发起征询: a draft consultation whose electorate is built from the registry (one unit per household of
    the ``households`` / ``unit`` / ``building`` / ``estate``; or, for 议事, the named ``members`` of the
    ``community``). Owners and areas may still be missing: ``open_consultation`` refuses until they are in."""
    ensure_perm(created_by, Perm.RUN_CONSULT, message=_("只有居委负责人可以发起征询"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("未知的征询类型“%(k)s”") % {"k": kind}})
    rule = rule or DEFAULT_RULE[kind]
    checked = _check_rule(rule, share_of, share_at_least)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("请填写征询事项")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("截止时间必须晚于开始时间")})
    if members is not None:
        names = [" ".join(str(m).split()) for m in members if str(m).strip()]
        if not names or community is None:
            raise ValidationError({"members": _("议事表决请列出成员并指定居委会")})
        rows, place = [], community
    else:
        rows = _households(subdistrict=subdistrict, households=households, building=building, unit=unit,
                           estate=estate)
        place = rows[0].building
    ensure_in_scope(place, user=created_by, message=_("征询范围不在您的数据范围内"))
    if members is None:
        buildings = {h.building_id for h in rows}
        for b in Building.objects.filter(pk__in=buildings - {rows[0].building_id}):
            ensure_in_scope(b, user=created_by, message=_("征询范围不在您的数据范围内"))
    if previous is not None and previous.subdistrict_id != subdistrict.pk:
        raise ValidationError({"previous": _("上一轮征询不属于本街道")})
    with transaction.atomic():
        only_building = rows[0].building if rows and len({h.building_id for h in rows}) == 1 else None
        c = Consultation.objects.create(
            subdistrict=subdistrict, community=community if members is not None else rows[0].building.community,
            building=building or only_building, kind=kind, rule=rule, title=title,
            scope_label=(_("%(c)s 议事成员") % {"c": community.name}) if members is not None
            else _scope_label(rows, building=building, unit=unit, estate=estate),
            share_of=checked.share_of if rule == RuleCode.SHARE else ShareOf.HEADS,
            share_at_least=f"{checked.at_least.numerator}/{checked.at_least.denominator}"
            if rule == RuleCode.SHARE else "",
            counting_unit=counting_unit or (CountingUnit.MEMBER if members is not None else
                                            CountingUnit.HOUSEHOLD if rule == RuleCode.SHARE
                                            else CountingUnit.DWELLING),
            sealed=(kind in SEALED_KINDS) if sealed is None else sealed, opens_at=opens_at, closes_at=closes_at,
            notice_from=notice_from, result_notice_until=result_notice_until, round=round, previous=previous,
            source=source, created_by=created_by)
        if members is not None:
            dwellings = [Dwelling(consultation=c, subdistrict=subdistrict, community=community, label=name[:40],
                                  owner_name=name, owner_key=owner_key_for(label=name, name=name, document="",
                                                                           unsold=False))
                         for name in dict.fromkeys(names)]
        else:
            many = len({h.building_id for h in rows}) > 1
            dwellings = [Dwelling(consultation=c, subdistrict=subdistrict, community=h.building.community,
                                  building=h.building, household=h, label=_label(h, many)) for h in rows]
        Dwelling.objects.bulk_create(dwellings, batch_size=500)
        audit.record(actor=created_by, action=AuditAction.CREATE, obj=c,
                     detail={"rule": rule, "units": len(dwellings), "source": source})
    return c


def _editable(consultation: Consultation, by) -> None:
    ensure_perm(by, Perm.RUN_CONSULT, obj=consultation, message=_("只有居委负责人可以更正业主与面积"))
    ensure_in_scope(consultation, user=by)
    if consultation.status == Status.CLOSED:
        raise ValidationError(_("征询已结束，业主与面积不能再更正"))


def _apply(d: Dwelling, *, owner_name=None, owner_document=None, unsold=None, area=None) -> dict:
    """Set what is given on ``d``; return what changed (field → [before, after], personal data as
    ``"changed"`` only, since the audit log must not carry it)."""
    changes = {}
    if area is not None and area != "":
        try:
            value = parse_area(area)
        except RuleError as exc:
            raise ValidationError({"area": str(exc)}) from None
        if value == 0 or value >= 10**8:
            raise ValidationError({"area": _("面积 %(a)s 不合理：请填写产证上的专有部分面积（m²）") % {"a": area}})
        value = value.quantize(Decimal("0.01"))
        if d.area != value:
            changes["area"] = [str(d.area) if d.area is not None else None, str(value)]
            d.area = value
    if unsold is not None and bool(unsold) != d.unsold:
        changes["unsold"] = [d.unsold, bool(unsold)]
        d.unsold = bool(unsold)
    for field, value in (("owner_name", owner_name), ("owner_document", owner_document)):
        if value is not None:
            value = " ".join(str(value).split())
            if value != (getattr(d, field) or ""):
                changes[field] = "changed"
                setattr(d, field, value)
    key = owner_key_for(label=d.label, name=d.owner_name or "", document=d.owner_document or "", unsold=d.unsold)
    if key != d.owner_key:
        changes["owner_key"] = "changed"
        d.owner_key = key
    return changes


@audit.records_refusals
def correct_dwelling(*, dwelling: Dwelling, by, reason: str, owner_name: str | None = None,
                     owner_document: str | None = None, unsold: bool | None = None, area=None) -> dict:
    """更正业主或面积: sets what is given, with the documented ``reason`` (audited, personal data not
    logged). An owner who changes keeps their earlier ballot only if it was theirs: ballots follow the
    owner key, so a new owner's dwelling starts as not voted."""
    consultation = dwelling.consultation
    _editable(consultation, by)
    reason = _reason(reason)
    with transaction.atomic():
        changes = _apply(dwelling, owner_name=owner_name, owner_document=owner_document, unsold=unsold, area=area)
        if changes:
            dwelling.save()
            audit.record(actor=by, action=AuditAction.UPDATE, obj=dwelling, reason=reason,
                         detail={"consultation": consultation.pk, "changes": changes})
    return changes


OWNER_FIELDS = ("owner_name", "owner_document", "owner_key", "unsold", "area")


def _write_owners(dwellings: list[Dwelling]) -> None:
    """One parameterised UPDATE executed for many units (``executemany``): bulk_update's CASE over hundreds
    of encrypted values costs more to build than the statements cost to run. Values go through each field's
    own preparation, so names and documents are encrypted as on save."""
    if not dwellings:
        return
    fields = [Dwelling._meta.get_field(name) for name in OWNER_FIELDS]
    qn = connection.ops.quote_name
    sql = (f"UPDATE {qn(Dwelling._meta.db_table)} SET {', '.join(f'{qn(f.column)} = %s' for f in fields)} "
           f"WHERE {qn('id')} = %s")
    rows = [[f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields] + [d.pk] for d in dwellings]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@audit.records_refusals
def fill_electorate(*, consultation: Consultation, by, entries: Iterable[dict], reason: str) -> int:
    """登记业主与面积 for many units at once (from a 产证 list or the developer's sales list). Each entry
    names its unit by ``label`` or ``household`` (id) and gives any of ``owner_name``, ``owner_document``,
    ``unsold``, ``area``. One audit record for the batch; returns the number of units changed."""
    _editable(consultation, by)
    reason = _reason(reason)
    units = list(consultation.dwellings.all())
    by_label = {d.label: d for d in units}
    by_household = {d.household_id: d for d in units if d.household_id}
    changed, errors = [], []
    for entry in entries:
        d = by_household.get(entry.get("household")) if entry.get("household") else by_label.get(entry.get("label"))
        if d is None:
            errors.append(_("表决范围内没有“%(u)s”") % {"u": entry.get("label") or entry.get("household")})
            continue
        try:
            if _apply(d, **{k: entry.get(k) for k in ("owner_name", "owner_document", "unsold", "area")}):
                changed.append(d)
        except ValidationError as exc:
            errors.append(f"{d.label}：{'；'.join(exc.messages)}")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _write_owners(changed)
        audit.record(actor=by, action=AuditAction.UPDATE, obj=consultation, reason=reason,
                     detail={"units_changed": len(changed)})
    return len(changed)


SIGNING_NONCE_BYTES = 12


def meeting_record_needed() -> str:
    return _("议事表决请填写会议记录（时间、到会成员、议题、表决情况，至少 10 个字）")


@audit.records_refusals
def open_consultation(consultation: Consultation, *, by) -> Consultation:
    """开启征询: refused while any owner or area is missing (the error lists which); issues one voting code
    per unit for the letters."""
    ensure_perm(by, Perm.RUN_CONSULT, obj=consultation, message=_("只有居委负责人可以开启征询"))
    ensure_in_scope(consultation, user=by)
    if consultation.status != Status.DRAFT:
        raise ValidationError(_("只有筹备中的征询可以开启（当前：%(s)s）") % {"s": consultation.get_status_display()})
    lacking = missing_data(consultation)
    if lacking:
        shown = "；".join(lacking[:20]) + (_(" 等 %(n)s 处") % {"n": len(lacking)} if len(lacking) > 20 else "")
        raise ValidationError(_("还有 %(n)s 个表决单位信息不全，不能开启征询：%(list)s") % {"n": len(lacking),
                                                                                         "list": shown},
                              code="missing")
    if consultation.closes_at <= timezone.now():
        raise ValidationError({"closes_at": _("截止时间已过，请先修改截止时间")})
    with transaction.atomic():
        dwellings = list(consultation.dwellings.values_list("pk", flat=True))
        VotingCode.objects.bulk_create(
            [VotingCode(dwelling_id=pk, nonce=secrets.token_urlsafe(SIGNING_NONCE_BYTES)) for pk in dwellings],
            batch_size=500)
        consultation.status, consultation.opened_at = Status.OPEN, timezone.now()
        consultation.save(update_fields=["status", "opened_at"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=consultation,
                     detail={"status": Status.OPEN, "codes_issued": len(dwellings)})
    return consultation


@audit.records_refusals
def close_consultation(consultation: Consultation, *, by, meeting_record: str | None = None) -> Consultation:
    """结束征询: the result is fixed (and kept on the row); entries still waiting for their second entry or
    flagged as mismatched stay uncounted. A 议事 vote needs its meeting record."""
    from jiedao.consult.selectors import outcome

    ensure_perm(by, Perm.RUN_CONSULT, obj=consultation, message=_("只有居委负责人可以结束征询"))
    ensure_in_scope(consultation, user=by)
    if consultation.status != Status.OPEN:
        raise ValidationError(_("只有表决中的征询可以结束（当前：%(s)s）") % {"s": consultation.get_status_display()})
    if meeting_record is not None:
        consultation.meeting_record = meeting_record.strip()
    if consultation.rule == RuleCode.MAJORITY and len(consultation.meeting_record) < 10:
        raise ValidationError({"meeting_record": meeting_record_needed()})
    with transaction.atomic():
        consultation.status, consultation.closed_at = Status.CLOSED, timezone.now()
        result = outcome(consultation, visit=False).as_json()
        consultation.result = result
        consultation.save(update_fields=["status", "closed_at", "result", "meeting_record"])
        uncounted = Ballot.objects.filter(consultation=consultation,
                                          state__in=[BallotState.PENDING, BallotState.MISMATCH]).count()
        audit.record(actor=by, action=AuditAction.UPDATE, obj=consultation,
                     detail={"status": Status.CLOSED, "passed": result["passed"], "uncounted_entries": uncounted})
    return consultation
