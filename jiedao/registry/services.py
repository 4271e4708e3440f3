"""Writes of the registry (实有人口). Every function checks role and scope, runs in one transaction,
recomputes care colours of what it touched and writes the audit log (never with personal data in it)."""

import datetime as dt
import secrets

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.core.validators import birth_date_from_id, sex_from_id, validate_mobile, validate_resident_id
from jiedao.geo.models import Building
from jiedao.registry import colours
from jiedao.registry.models import Household, HouseholdCode, Residence, Resident, ResidentExport, ResidentTag, Tag

REVEALABLE = {"id_number": Perm.REVEAL_ID_NUMBER, "phone": Perm.REVEAL_PHONE}
CODE_SALT = "jiedao.registry.household-code"


def _can_edit(user: User, obj) -> None:
    ensure_perm(user, Perm.EDIT_REGISTRY)
    ensure_in_scope(obj, user=user)


def _clean_room(room: str) -> str:
    room = (room or "").strip().removesuffix("室")
    if not room or len(room) > 10 or not room.replace("-", "").isalnum():
        raise ValidationError({"room": _("室号应为 1–10 位数字或字母，例如 301")})
    return room


@audit.records_refusals
def register_household(*, building: Building, room: str, by: User) -> Household:
    """登记新户 at a dwelling of a building within the worker's scope."""
    _can_edit(by, building)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        room = _clean_room(room)
        if Household.objects.filter(building=building, room=room).exists():
            raise ValidationError({"room": _("%(address)s%(room)s室已登记") % {"address": building, "room": room}})
        household = Household.objects.create(
            subdistrict_id=building.subdistrict_id, building=building, room=room, code=f"{building.code}R{room}",
            unit=building.units.order_by("number").first(),
        )
        audit.record(actor=by, action=AuditAction.CREATE, obj=household)
        return household


def _current_head(household: Household, *, exclude: Resident | None = None) -> Resident | None:
    qs = household.residents.current().filter(relation=Resident.Relation.HEAD)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.first()


@audit.records_refusals
def add_resident(
    *, household: Household, by: User, name: str, id_number: str, phone: str = "",
    relation: str = Resident.Relation.HEAD, residence_status: str = Resident.ResidenceStatus.BOTH,
    moved_in_on: dt.date | None = None, tags: list[str] | None = None,
) -> Resident:
    """登记居民 into a household: validates the ID number and phone, keeps one head per household."""
    _can_edit(by, household)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        errors: dict[str, str] = {}
        name = (name or "").strip()
        if not name or len(name) > 40:
            errors["name"] = _("姓名不能为空，最多 40 个字")
        try:
            id_number = validate_resident_id(id_number)
        except ValidationError as exc:
            errors["id_number"] = exc.messages[0]
        if phone:
            try:
                phone = validate_mobile(phone)
            except ValidationError as exc:
                errors["phone"] = exc.messages[0]
        if relation not in Resident.Relation.values:
            errors["relation"] = _("与户主关系无效")
        if residence_status not in Resident.ResidenceStatus.values:
            errors["residence_status"] = _("人户状态无效")
        if errors:
            raise ValidationError(errors)
        from jiedao.core.crypto import lookup_value

        if Resident.objects.current().filter(**lookup_value(Resident, "id_number", id_number)).exists():
            raise ValidationError({"id_number": _("该身份证号已登记为现住居民；如需换户，请先在原户办理迁出")})
        if relation == Resident.Relation.HEAD and _current_head(household):
            raise ValidationError({"relation": _("该户已有户主；请选择其他关系或先变更户主")})
        if relation != Resident.Relation.HEAD and not _current_head(household):
            raise ValidationError({"relation": _("该户还没有户主：第一位登记的居民应为户主")})
        moved_in_on = moved_in_on or timezone.localdate()
        resident = Resident.objects.create(
            subdistrict_id=household.subdistrict_id, household=household, name=name, id_number=id_number,
            phone=phone, sex=sex_from_id(id_number), birth_date=birth_date_from_id(id_number), relation=relation,
            residence_status=residence_status, moved_in_on=moved_in_on,
        )
        Residence.objects.create(resident=resident, household=household, moved_in_on=moved_in_on, recorded_by=by)
        for code in tags or []:
            _link_tag(resident, _entered_tag(code), by=by)
        colours.recompute(household_ids=[household.pk])
        audit.record(actor=by, action=AuditAction.CREATE, obj=resident, detail={"household": household.pk})
        return resident


EDITABLE = ("name", "phone", "relation", "residence_status")


@audit.records_refusals
def update_resident(*, resident: Resident, by: User, **changes) -> Resident:
    """Change a current resident's name, phone, relation or 人户状态; a household always keeps one head."""
    _can_edit(by, resident)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise ValidationError(_("不能修改这些字段：%(fields)s") % {"fields": "、".join(sorted(unknown))})
        if resident.moved_out_on:
            raise ValidationError(_("已迁出的居民不能修改"))
        if changes.get("phone"):
            try:
                changes["phone"] = validate_mobile(changes["phone"])
            except ValidationError as exc:
                raise ValidationError({"phone": exc.messages[0]}) from exc
        relation = changes.get("relation", resident.relation)
        if relation not in Resident.Relation.values:
            raise ValidationError({"relation": _("与户主关系无效")})
        if changes.get("residence_status", resident.residence_status) not in Resident.ResidenceStatus.values:
            raise ValidationError({"residence_status": _("人户状态无效")})
        if resident.relation == Resident.Relation.HEAD and relation != Resident.Relation.HEAD:
            raise ValidationError({"relation": _("这样修改后该户将没有户主：请先把另一位居民设为户主")})
        if relation == Resident.Relation.HEAD and resident.relation != Resident.Relation.HEAD:
            if _current_head(resident.household, exclude=resident):
                raise ValidationError({"relation": _("该户已有户主；请用“设为户主”变更")})
        if "name" in changes and not (changes["name"] or "").strip():
            raise ValidationError({"name": _("姓名不能为空")})
        changed = [f for f in EDITABLE if f in changes and changes[f] != getattr(resident, f)]
        for field in changed:
            setattr(resident, field, changes[field])
        if changed:
            resident.save()
            audit.record(actor=by, action=AuditAction.UPDATE, obj=resident, detail={"fields": changed})
        return resident


@audit.records_refusals
def set_head(*, resident: Resident, by: User, former_head_relation: str = Resident.Relation.SPOUSE) -> Resident:
    """变更户主: ``resident`` becomes head; the former head takes ``former_head_relation``."""
    _can_edit(by, resident)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        if resident.moved_out_on:
            raise ValidationError(_("已迁出的居民不能设为户主"))
        if former_head_relation == Resident.Relation.HEAD or former_head_relation not in Resident.Relation.values:
            raise ValidationError({"former_head_relation": _("原户主的新关系无效")})
        former = _current_head(resident.household, exclude=resident)
        if former is not None:
            former.relation = former_head_relation
            former.save(update_fields=["relation"])
        resident.relation = Resident.Relation.HEAD
        resident.save(update_fields=["relation"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=resident, detail={"fields": ["relation"], "head": True})
        return resident


@audit.records_refusals
def move_out(*, resident: Resident, by: User, on: dt.date | None = None, note: str = "") -> Resident:
    """迁出: closes the current stay; history is kept. A head leaving others behind must hand over first."""
    _can_edit(by, resident)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        if resident.moved_out_on:
            raise ValidationError(_("该居民已迁出"))
        on = on or timezone.localdate()
        if resident.moved_in_on and on < resident.moved_in_on:
            raise ValidationError({"on": _("迁出日期不能早于迁入日期")})
        others = resident.household.residents.current().exclude(pk=resident.pk)
        if resident.relation == Resident.Relation.HEAD and others.exists():
            raise ValidationError(_("户主迁出前，请先把留在户内的另一位居民设为户主"))
        resident.moved_out_on = on
        resident.save(update_fields=["moved_out_on"])
        Residence.objects.filter(resident=resident, moved_out_on__isnull=True).update(moved_out_on=on, note=note[:200])
        colours.recompute(household_ids=[resident.household_id])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=resident, detail={"moved_out_on": on.isoformat()})
        return resident


def _entered_tag(code_or_name: str) -> Tag:
    tag = Tag.objects.filter(code=code_or_name).first() or Tag.objects.filter(name=code_or_name).first()
    if tag is None:
        raise ValidationError({"tag": _("未知标签：%(tag)s") % {"tag": code_or_name}})
    if tag.kind == Tag.Kind.DERIVED:
        raise ValidationError(
            {"tag": _("“%(tag)s”由系统根据出生日期和同住人数自动判定，不能手工添加") % {"tag": tag.name}}
        )
    return tag


def _link_tag(resident: Resident, tag: Tag, *, by: User, note: str = "") -> bool:
    _link, created = ResidentTag.objects.get_or_create(
        resident=resident, tag=tag, defaults={"added_by": by, "note": note[:200]}
    )
    return created


@audit.records_refusals
def add_tag(*, resident: Resident, tag: str, by: User, note: str = "") -> bool:
    """打标签 (entered tags only); recolours the household. Returns False if it was already there."""
    _can_edit(by, resident)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        tag_obj = _entered_tag(tag)
        created = _link_tag(resident, tag_obj, by=by, note=note)
        if created:
            colours.recompute(household_ids=[resident.household_id])
            audit.record(actor=by, action=AuditAction.UPDATE, obj=resident, detail={"tag_added": tag_obj.code})
        return created


@audit.records_refusals
def remove_tag(*, resident: Resident, tag: str, by: User) -> bool:
    _can_edit(by, resident)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        tag_obj = _entered_tag(tag)
        deleted, _ = ResidentTag.objects.filter(resident=resident, tag=tag_obj).delete()
        if deleted:
            colours.recompute(household_ids=[resident.household_id])
            audit.record(actor=by, action=AuditAction.UPDATE, obj=resident, detail={"tag_removed": tag_obj.code})
        return bool(deleted)


@audit.records_refusals
def reveal(*, resident: Resident, field: str, by: User, reason: str) -> str:
    """查看明文: the plain ID number or phone, for a role allowed to see it, with a recorded reason."""
    if field not in REVEALABLE:
        raise ValidationError({"field": _("只能查看身份证号或手机号")})
    ensure_perm(by, REVEALABLE[field])
    ensure_in_scope(resident, user=by)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError({"reason": _("请填写查看事由（至少 2 个字）")})
    audit.record(actor=by, action=AuditAction.REVEAL, obj=resident, field=field, reason=reason)
    return getattr(resident, field)


# ----------------------------------------------------------------------------- 一户一码
class InvalidCode(Exception):
    """A scanned household code that is forged, unknown or revoked; ``reason`` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def sign_token(raw: str) -> str:
    return signing.Signer(salt=CODE_SALT).sign(raw)


@audit.records_refusals
def issue_code(*, household: Household, by: User) -> HouseholdCode:
    """签发户码: a new opaque signed token; any earlier code of the household stops working."""
    _can_edit(by, household)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        active = HouseholdCode.objects.filter(household=household, revoked_at__isnull=True)
        active.update(revoked_at=timezone.now())
        token = sign_token(secrets.token_urlsafe(9))
        code = HouseholdCode.objects.create(household=household, token=token, issued_by=by)
        audit.record(actor=by, action=AuditAction.CREATE, obj=code, subdistrict_id=household.subdistrict_id)
        return code


@audit.records_refusals
def revoke_code(*, household: Household, by: User) -> int:
    _can_edit(by, household)
    with transaction.atomic():  # after the access check, so a refusal's audit record stays
        active = HouseholdCode.objects.filter(household=household, revoked_at__isnull=True)
        count = active.update(revoked_at=timezone.now())
        if count:
            audit.record(actor=by, action=AuditAction.UPDATE, obj=household, detail={"codes_revoked": count})
        return count


def ensure_codes(*, households, by: User) -> dict[int, HouseholdCode]:
    """The current code of each household, issuing one where there is none (for printing sheets)."""
    households = list(households)
    current = {
        c.household_id: c
        for c in HouseholdCode.objects.filter(household__in=households, revoked_at__isnull=True)
    }
    for household in households:
        if household.pk not in current:
            current[household.pk] = issue_code(household=household, by=by)
    return current


@audit.records_refusals
def hand_out_codes(*, households, by: User, medium: str) -> dict[int, HouseholdCode]:
    """打印 / 下载户码: the current code of each household (issued where there is none), for a worker who
    may edit them all; one audit record says how many codes left the platform and how (``medium``: the
    building's sheet, or one household's PNG or SVG)."""
    households = list(households)
    ensure_perm(by, Perm.EDIT_REGISTRY)
    for building in Building.objects.filter(pk__in={h.building_id for h in households}):
        ensure_in_scope(building, user=by)  # a household's scope is its building's
    codes = ensure_codes(households=households, by=by)
    one = households[0] if len(households) == 1 else None
    audit.record(actor=by, action=AuditAction.EXPORT, obj=one, object_type="registry.householdcode",
                 object_id=str(one.pk) if one else "",
                 subdistrict_id=households[0].subdistrict_id if households else None,
                 detail={"medium": medium, "households": len(households),
                         "buildings": sorted({h.building_id for h in households})})
    return codes


def resolve_code(*, token: str) -> Household:
    """The household of a scanned token, or InvalidCode("forged" | "unknown" | "revoked")."""
    try:
        signing.Signer(salt=CODE_SALT).unsign(token)
    except signing.BadSignature as exc:
        raise InvalidCode("forged") from exc
    code = HouseholdCode.objects.select_related("household").filter(token=token).first()
    if code is None:
        raise InvalidCode("unknown")
    if code.revoked_at is not None:
        raise InvalidCode("revoked")
    return code.household


def export_xlsx(*, residents, by: User, filters: dict | None = None) -> bytes:
    """导出 residents (already scoped by the caller's selector) as XLSX, masked, and audited."""
    from jiedao.registry.spreadsheets import export_residents

    ensure_perm(by, Perm.EXPORT_REGISTRY)
    data = export_residents(residents)
    audit.record(actor=by, action=AuditAction.EXPORT, object_type="registry.resident",
                 detail={"rows": residents.count(), "filters": {k: v for k, v in (filters or {}).items() if v}})
    return data


def start_export(*, filters: dict, by: User) -> ResidentExport:
    """后台导出: record the request and enqueue the task that writes the file (``registry.exports``), for a
    role allowed to export; the search runs in the task, within the requester's scope."""
    from jiedao.registry.selectors import resident_search
    from jiedao.registry.tasks import export_residents

    ensure_perm(by, Perm.EXPORT_REGISTRY)
    total = resident_search(user=by, filters=filters).count()  # a filter that does not parse fails here
    with transaction.atomic():  # the worker sees the request and its task together
        export = ResidentExport.objects.create(requested_by=by, subdistrict_id=by.subdistrict_id, filters=filters,
                                               rows_total=total)
        export.task_id = str(export_residents.enqueue(export_id=export.pk).id)
        export.save(update_fields=["task_id"])
    return export


def open_by_code(*, token: str, by: User) -> Household:
    """扫码: the household behind a scanned code, for a worker allowed to see it (audited either way).

    Raises InvalidCode for forged, unknown or revoked codes and PermissionDenied outside role or scope.
    """
    try:
        household = resolve_code(token=token)
    except InvalidCode as exc:
        audit.record(actor=by, action=AuditAction.DENIED, object_type="registry.householdcode",
                     detail={"qr": exc.reason})
        raise
    ensure_perm(by, Perm.VIEW_REGISTRY)
    ensure_in_scope(household, user=by)
    audit.record(actor=by, action=AuditAction.VIEW, obj=household, detail={"via": "qr"})
    return household
