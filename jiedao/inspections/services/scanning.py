"""扫码巡检: a scanned label opens the round's form for its point; the form saved is one ``Check`` with a
result per checklist item, each failed item filed as a case through the cases module's intake (channel
网格巡查, the point's place, the photo attached) or linked to the open case of the same point and item.

Checks of role and scope come first and refuse with an audit record; then every field is checked and a
``ValidationError`` names each wrong one; then one transaction writes the check, its results and the cases
with their photos, or nothing. The phone's ``client_id`` makes a form sent twice change nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.audit import record_denied
from jiedao.core.models import AuditAction, User
from jiedao.core.roles import Perm
from jiedao.inspections.models import Check, ChecklistItem, ItemResult, Point, Round
from jiedao.inspections.services.labels import point_for_token

CLIENT_ID = re.compile(r"^[\w\-]{8,40}$")
MAX_NOTE = 200


@dataclass
class ScanForm:
    """What a scan opens: the point, the round it is checked on (and the other rounds of the point the
    scanner may use), the kind's checklist, and the check already saved on this round's current period."""

    point: Point
    round: Round
    rounds: list[Round]
    items: list[ChecklistItem]
    done: Check | None = None


@dataclass
class Submitted:
    check: Check
    created: bool  # False: this form (client_id) was saved before, and nothing changed
    cases_created: list = field(default_factory=list)
    cases_linked: list = field(default_factory=list)


def rounds_for(*, point: Point, user: User) -> list[Round]:
    """The active rounds of ``point`` that ``user`` may check it on: theirs, and those with no assignees."""
    return list(Round.objects.filter(active=True, points=point)
                .filter(Q(assignees=user) | Q(assignees=None)).distinct().order_by("pk"))


def rounds_of(*, user: User) -> list[Round]:
    """The active rounds ``user`` is an assignee of (我的巡检), with their points."""
    return list(Round.objects.filter(active=True, assignees=user).prefetch_related("points").order_by("name"))


def open_scan(*, by: User, token: str, round_id: int | None = None) -> ScanForm:
    """Resolve a scanned label for ``by``: a forged or revoked label is a ``LabelRefused``; a point outside
    their scope, or on none of their rounds, is refused (403, audited)."""
    ensure_perm(by, Perm.DO_INSPECTIONS, message=_("您的角色不能扫码巡检"))
    point = point_for_token(token)
    ensure_in_scope(point, user=by, message=_("该巡检点不在您的负责范围内"))
    rounds = rounds_for(point=point, user=by)
    if not rounds:
        record_denied(actor=by, obj=point, detail={"reason": "no round"})
        raise PermissionDenied(_("该巡检点不在您的巡检计划中"))
    chosen = rounds[0]
    if round_id is not None:
        chosen = next((r for r in rounds if r.pk == round_id), None)
        if chosen is None:
            raise ValidationError({"round": _("该巡检点不在此巡检计划中，或您不是该计划的巡检人")})
    from jiedao.inspections.selectors import period_of

    start, end = period_of(chosen.frequency, timezone.localdate())
    done = Check.objects.filter(round=chosen, point=point, at__date__gte=start, at__date__lte=end) \
        .order_by("-at").first()
    items = list(point.kind.items.filter(active=True).order_by("order", "code"))
    return ScanForm(point=point, round=chosen, rounds=rounds, items=items, done=done)


def submit_check(*, by: User, token: str, client_id: str, results: list[dict], round_id: int | None = None,
                 lat=None, lon=None, at: dt.datetime | None = None) -> Submitted:
    """Save the form of a scanned point. ``results``: one ``{"item": code, "passed": bool, "note": "",
    "photo": upload or None}`` per checklist item of the point's kind. A check far from the point (beyond
    the kind's ``far_metres``) is saved and flagged, not refused."""
    from jiedao.cases.services import validate_photo

    client_id = str(client_id or "").strip()
    if not CLIENT_ID.match(client_id):
        raise ValidationError({"client_id": _("表单编号缺失或格式不正确（8–40 位字母、数字、- 或 _）")})
    existing = Check.objects.filter(client_id=client_id).first()
    if existing is not None:
        return _resent(existing, by=by)
    form = open_scan(by=by, token=token, round_id=round_id)
    point = form.point
    errors: dict[str, list[str]] = {}
    by_code = {item.code: item for item in form.items}
    seen: dict[str, dict] = {}
    for row in results or []:
        code = str((row or {}).get("item", ""))
        if code not in by_code:
            errors.setdefault("items", []).append(
                _("检查项“%(code)s”不属于%(kind)s的检查清单") % {"code": code, "kind": point.kind.name})
        elif code in seen:
            errors.setdefault("items", []).append(_("检查项“%(name)s”重复提交") % {"name": by_code[code].name})
        else:
            seen[code] = row
    missing = [item.name for code, item in by_code.items() if code not in seen]
    if missing and "items" not in errors:
        errors["items"] = [_("请为每个检查项选择合格或不合格：%(names)s") % {"names": "、".join(missing)}]
    photos = {}
    for code, row in seen.items():
        if not isinstance(row.get("passed"), bool):
            errors.setdefault("items", []).append(
                _("检查项“%(name)s”须选择合格或不合格") % {"name": by_code[code].name})
        if len(str(row.get("note") or "")) > MAX_NOTE:
            errors.setdefault("note", []).append(_("说明最多 %(n)s 个字") % {"n": MAX_NOTE})
        if row.get("photo"):
            try:
                photos[code] = validate_photo(row["photo"])
            except ValidationError as exc:
                errors.setdefault("photos", []).extend(exc.messages)
    distance = None
    if (lat is None) != (lon is None):
        errors.setdefault("location", []).append(_("经纬度须同时提供"))
    elif lat is not None:
        from jiedao.cases.services import metres_between
        from jiedao.geo.placement import validate_lonlat

        try:
            lon, lat = validate_lonlat(lon, lat)
            distance = round(metres_between(point.lat, point.lon, lat, lon))
        except ValidationError as exc:
            errors.setdefault("location", []).extend(exc.messages)
    now = timezone.now()
    if at is not None:
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        if at > now + dt.timedelta(minutes=5):
            errors.setdefault("at", []).append(_("扫码时间不能晚于现在"))
        elif at < now - dt.timedelta(days=7):
            errors.setdefault("at", []).append(_("扫码时间早于 7 天前，请当场检查后提交"))
    if errors:
        raise ValidationError(errors)
    try:
        return _write(form, by=by, client_id=client_id, rows=seen, photos=photos, lat=lat, lon=lon,
                      distance=distance, at=at or now)
    except IntegrityError:
        # The same form arrived twice at the same moment: the other request saved it.
        existing = Check.objects.filter(client_id=client_id).first()
        if existing is None:
            raise
        return _resent(existing, by=by)


def _resent(existing: Check, *, by: User) -> Submitted:
    if existing.by_id != by.pk:
        raise ValidationError({"client_id": _("表单编号已被他人使用，请刷新页面后重新填写")})
    return Submitted(check=existing, created=False)


def _write(form: ScanForm, *, by: User, client_id: str, rows: dict[str, dict], photos: dict, lat, lon,
           distance: int | None, at: dt.datetime) -> Submitted:
    from jiedao.cases.models import OPEN_STATUSES, Channel
    from jiedao.cases.services import intake
    from jiedao.cases.services.photos import atomic as photos_atomic

    point, rnd = form.point, form.round
    failed = [item for item in form.items if rows[item.code]["passed"] is False]
    outcome = Submitted(check=None, created=True)  # type: ignore[arg-type]
    with photos_atomic():
        check = Check.objects.create(
            subdistrict_id=point.subdistrict_id, round=rnd, point=point, community_id=point.community_id,
            grid_id=point.grid_id, tier=rnd.tier, by=by, client_id=client_id, at=at, lat=lat, lon=lon,
            distance_m=distance, far=distance is not None and distance > point.kind.far_metres, failed=len(failed))
        open_cases = dict(ItemResult.objects.filter(
            point=point, item__in=failed, passed=False, case__status__in=OPEN_STATUSES)
            .order_by("item_id", "-pk").values_list("item_id", "case_id")) if failed else {}
        results = []
        for item in form.items:
            row = rows[item.code]
            note = str(row.get("note") or "").strip()
            result = ItemResult(check_record=check, item=item, point=point, passed=row["passed"], note=note)
            if not result.passed:
                if item.pk in open_cases:
                    result.case_id = open_cases[item.pk]
                    outcome.cases_linked.append(result.case_id)
                else:
                    description = _("%(kind)s巡检发现：%(item)s。点位 %(code)s %(name)s") % {
                        "kind": point.kind.name, "item": item.name, "code": point.code, "name": point.name}
                    if note:
                        description += f"。{note}"
                    case = intake(
                        subdistrict=point.subdistrict, channel=Channel.PATROL, description=description, by=by,
                        address=point.address or point.name, lat=point.lat, lon=point.lon,
                        category=item.category_code, external_id=f"QR{check.pk}-{item.pk}", reported_at=at,
                        photos=[photos[item.code]] if item.code in photos else [],
                        data={"inspection_point": point.code, "inspection_item": item.code, "check": check.pk},
                    ).case
                    result.case, result.case_created = case, True
                    outcome.cases_created.append(case.pk)
            results.append(result)
        ItemResult.objects.bulk_create(results)
        audit.record(actor=by, action=AuditAction.CREATE, obj=check,
                     detail={"point": point.code, "failed": len(failed), "far": check.far})
    outcome.check = check
    return outcome
