"""完成任务: check in at a household (scan its 一户一码) and submit the visit, idempotently; 问题处置: the
problems found become cases through the cases module's intake on the 走访发现 channel.

The check-in is signed into the visit form (``CheckIn.token``): the time is the server's at the scan and
the household the scanned one, whatever the phone sends later, and the form can wait in the phone's
offline queue for days. A form sent again with the same ``client_id`` returns the visit stored the first
time and changes nothing.
"""

import datetime as dt
import json
import logging
import re
import secrets
import uuid
from dataclasses import dataclass, field

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope, ensure_perm
from jiedao.core.models import AuditAction, AuditLog, User
from jiedao.core.roles import Perm
from jiedao.registry.models import Household, Resident
from jiedao.visits.models import (
    OTHERS_MET,
    CheckInVia,
    ChecklistItem,
    FeedbackCode,
    Outcome,
    TaskEvent,
    TaskEventKind,
    TaskKind,
    TaskStatus,
    Visit,
    VisitPhoto,
    VisitSettings,
    VisitTask,
)
from jiedao.visits.services.problems import file_problem

logger = logging.getLogger("jiedao.visits")

CHECK_IN_SALT = "jiedao.visits.check-in"
CHECK_IN_MAX_AGE = dt.timedelta(days=7)  # a form kept offline longer is scanned again
SCANNED_RECENTLY = dt.timedelta(minutes=15)  # a file opened this soon after scanning its code counts as a scan
MAX_NOTE = 2000
MAX_PHOTOS = 6
MAX_PROBLEMS = 3
ANSWERS = ("ok", "problem", "na")  # 正常 / 有问题 / 未查看


@dataclass(frozen=True)
class CheckIn:
    """签到: who checked in where and when, and the signed token the visit form carries."""

    household: Household
    at: dt.datetime
    via: str
    token: str


def _sign(household: Household, by: User, at: dt.datetime, via: str) -> CheckIn:
    token = signing.dumps({"h": household.pk, "u": by.pk, "t": at.timestamp(), "v": via}, salt=CHECK_IN_SALT,
                          compress=True)
    return CheckIn(household, at, via, token)


def check_in_by_code(*, token: str, by: User) -> CheckIn:
    """扫码签到: the household behind a scanned 户码 (the registry resolves and audits it; a revoked or forged
    code raises ``registry.services.InvalidCode``, a household outside the worker's scope PermissionDenied,
    audited)."""
    from jiedao.registry import services as registry_services

    ensure_perm(by, Perm.DO_VISITS, message=_("您的角色不能入户走访"))
    household = registry_services.open_by_code(token=token, by=by)
    return _sign(household, by, timezone.now(), CheckInVia.QR)


def check_in_from_file(*, household: Household, by: User) -> CheckIn:
    """开始走访 from the household file: a scan if the worker scanned this household's code within the last
    15 minutes (the phone's camera opens the file), otherwise a check-in without a scan, which the 居委 head
    sees flagged."""
    ensure_perm(by, Perm.DO_VISITS, message=_("您的角色不能入户走访"))
    ensure_in_scope(household, user=by)
    now = timezone.now()
    scanned = AuditLog.objects.filter(
        actor=by, action=AuditAction.VIEW, object_type="registry.household", object_id=str(household.pk),
        created_at__gte=now - SCANNED_RECENTLY, detail__via="qr",
    ).exists()
    return _sign(household, by, now, CheckInVia.QR if scanned else CheckInVia.FILE)


def read_check_in(*, token: str, by: User) -> CheckIn:
    """The check-in a visit form carries, for the worker who made it; a ValidationError otherwise."""
    try:
        data = signing.loads(token or "", salt=CHECK_IN_SALT)
    except signing.BadSignature:
        raise ValidationError({"check_in": _("签到信息无效，请重新扫描户码")}) from None
    at = dt.datetime.fromtimestamp(data["t"], tz=dt.UTC)
    if timezone.now() - at > CHECK_IN_MAX_AGE:
        raise ValidationError({"check_in": _("签到已超过 7 天，请重新扫码后再填写")})
    if data.get("u") != by.pk:
        raise ValidationError({"check_in": _("这张走访表是其他社工签到的，请自己扫码签到")})
    household = Household.objects.select_related("building").filter(pk=data.get("h")).first()
    if household is None:
        raise ValidationError({"check_in": _("签到的户已不存在")})
    return CheckIn(household, at, data.get("v", CheckInVia.QR), token)


# ----------------------------------------------------------------------------------------- submission

@dataclass
class Problem:
    """A problem to file as a case: what it is, and its category code if the worker chose one."""

    description: str
    category: str = ""


@dataclass
class VisitForm:
    """What a visit form sends (the page or the API); checked whole by ``submit_visit``."""

    check_in: str
    client_id: str
    note: str
    outcome: str = Outcome.MET
    answers: dict[str, str] = field(default_factory=dict)
    met_residents: list[int] = field(default_factory=list)
    met_others: list[str] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    photos: list = field(default_factory=list)  # uploaded files
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Submitted:
    visit: Visit
    created: bool  # False: the same client_id was stored before, nothing changed


def _clean_client_id(value: str) -> str:
    try:
        return str(uuid.UUID(str(value or "")))
    except ValueError:
        raise ValidationError({"client_id": _("走访表编号无效，请刷新页面后重新填写")}) from None


def _clean_note(note: str) -> str:
    note = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", str(note or "")).strip()
    if not note:
        raise ValidationError({"note": _("请填写走访记录：见到了谁、看到了什么、有什么困难或需要")})
    if len(note) > MAX_NOTE:
        raise ValidationError({"note": _("走访记录太长：最多 %(n)s 个字") % {"n": MAX_NOTE}})
    return note


def _checked(form: VisitForm, check_in: CheckIn) -> dict:
    """Every field of the form checked at once: a ValidationError naming each wrong one."""
    from jiedao.cases import services as case_services
    from jiedao.geo.placement import validate_lonlat

    errors: dict[str, list[str]] = {}

    def check(name, fn):
        try:
            return fn()
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
            return None

    out: dict = {"note": check("note", lambda: _clean_note(form.note))}
    if form.outcome not in Outcome.values:
        errors.setdefault("outcome", []).append(_("走访结果无效"))
    items = set(ChecklistItem.objects.filter(active=True).values_list("code", flat=True))
    answers = {}
    for code, value in (form.answers or {}).items():
        if code not in items or value not in ANSWERS:
            errors.setdefault("answers", []).append(_("清单项或选项无效：%(code)s") % {"code": str(code)[:30]})
        elif value != "na":
            answers[code] = value
    out["answers"] = answers
    members = set(Resident.objects.filter(household=check_in.household, moved_out_on__isnull=True)
                  .values_list("pk", flat=True))
    met = []
    for pk in form.met_residents or []:
        if not isinstance(pk, int) or pk not in members:
            errors.setdefault("met_residents", []).append(_("见到的居民须是该户登记在册的居民"))
            break
        met.append(pk)
    out["met_residents"] = sorted(set(met))
    others = [o for o in (form.met_others or []) if o in OTHERS_MET]
    if len(others) != len(form.met_others or []):
        errors.setdefault("met_others", []).append(_("见到的其他人选项无效"))
    out["met_others"] = sorted(set(others))
    out["lat"] = out["lon"] = out["accuracy_m"] = None
    if (form.lat is None) != (form.lon is None):
        errors.setdefault("location", []).append(_("经纬度须同时提供"))
    elif form.lat is not None:
        pair = check("location", lambda: validate_lonlat(form.lon, form.lat))
        if pair:
            out["lon"], out["lat"] = pair
            try:
                accuracy = float(form.accuracy_m) if form.accuracy_m is not None else None
            except (TypeError, ValueError):
                accuracy = None
            out["accuracy_m"] = accuracy if accuracy is not None and 0 <= accuracy < 100_000 else None
    if len(form.photos or []) > MAX_PHOTOS:
        errors.setdefault("photos", []).append(_("照片最多 %(n)s 张") % {"n": MAX_PHOTOS})
        out["photos"] = []
    else:
        out["photos"] = [p for p in (check("photos", lambda u=u: case_services.validate_photo(u))
                                     for u in form.photos or []) if p is not None]
    if len(form.problems or []) > MAX_PROBLEMS:
        errors.setdefault("problems", []).append(_("一次最多上报 %(n)s 个问题") % {"n": MAX_PROBLEMS})
    problems = []
    for problem in (form.problems or [])[:MAX_PROBLEMS]:
        text = check("problems", lambda p=problem: case_services.clean_text(
            p.description, field="problems", limit=case_services.MAX_TEXT))
        if text is not None and len(text) < 5:
            errors.setdefault("problems", []).append(_("请把发现的问题写清楚（至少 5 个字）"))
        elif text is not None:
            category = problem.category or ""
            if category:
                check("problems", lambda c=category: case_services.category_by_code(c, field="problems"))
            problems.append(Problem(text, category))
    out["problems"] = problems
    if errors:
        raise ValidationError(errors)
    return out


def submit_visit(*, form: VisitForm, by: User) -> Submitted:
    """提交走访: store the visit (check-in, who was met, checklist, note, photos), complete the household's
    open tasks that have begun, issue the resident's feedback code, file each problem as a case (走访发现,
    linked to the household and the visit), then assess the note (``evaluation.assess_visit``; a failure
    there leaves the visit pending, assessed later by the periodic job).

    Idempotent by ``form.client_id``: the same form again returns the first visit (``created`` False)."""
    ensure_perm(by, Perm.DO_VISITS, message=_("您的角色不能入户走访"))
    client_id = _clean_client_id(form.client_id)
    existing = Visit.objects.filter(worker=by, client_id=client_id).first()
    if existing is not None:
        return Submitted(existing, False)
    check_in = read_check_in(token=form.check_in, by=by)
    household = check_in.household
    ensure_in_scope(household, user=by)
    if form.problems:
        ensure_perm(by, Perm.REPORT_CASES)
    data = _checked(form, check_in)
    try:
        visit = _store(household=household, check_in=check_in, client_id=client_id, data=data, form=form, by=by)
    except IntegrityError:
        # The same form arrived twice at once: the other request stored it.
        existing = Visit.objects.filter(worker=by, client_id=client_id).first()
        if existing is None:
            raise
        return Submitted(existing, False)
    from jiedao.visits.services.evaluation import assess_visit

    assess_visit(visit=visit)
    return Submitted(visit, True)


def _store(*, household: Household, check_in: CheckIn, client_id: str, data: dict, form: VisitForm,
           by: User) -> Visit:
    from jiedao.cases.services import metres_between

    building = household.building
    distance = None
    if data["lat"] is not None:
        distance = round(metres_between(data["lat"], data["lon"], building.lat, building.lon), 1)
    files: list[str] = []
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                subdistrict_id=household.subdistrict_id, community_id=building.community_id, building=building,
                household=household, worker=by, client_id=client_id, outcome=form.outcome,
                checked_in_at=check_in.at, check_in_via=check_in.via, lat=data["lat"], lon=data["lon"],
                accuracy_m=data["accuracy_m"], distance_m=distance, submitted_at=timezone.now(),
                met_others=data["met_others"], note=data["note"],
                answers=json.dumps(data["answers"], ensure_ascii=False) if data["answers"] else "",
            )
            if data["met_residents"]:
                visit.met_residents.set(data["met_residents"])
            for photo in data["photos"]:
                files.append(_store_photo(visit, photo))
            tasks = _complete_tasks(visit) if form.outcome == Outcome.MET else []
            follow_up = next((t for t in tasks if t.kind == TaskKind.FOLLOW_UP), None)
            if follow_up is not None:
                visit.return_visit = True
                visit.save(update_fields=["return_visit"])
            if form.outcome == Outcome.MET:
                _issue_feedback_code(visit, case_id=follow_up.source_case_id if follow_up else None)
            for n, problem in enumerate(data["problems"], start=1):
                file_problem(visit=visit, description=problem.description, category=problem.category, by=by,
                             n=n)
            audit.record(actor=by, action=AuditAction.CREATE, obj=visit, detail={
                "household": household.pk, "via": check_in.via, "tasks_done": [t.pk for t in tasks],
                "problems": len(data["problems"]), "photos": len(data["photos"])})
    except BaseException:
        _remove_files(files)
        raise
    return visit


def _store_photo(visit: Visit, photo) -> str:
    from django.core.files.base import ContentFile

    from jiedao.cases.services.photos import PhotoNotStored

    row = VisitPhoto(visit=visit, token=secrets.token_hex(16), extension=photo.extension,
                     content_type=photo.content_type, size=len(photo.content))
    try:
        row.file.save("photo", ContentFile(photo.content), save=False)
    except OSError as exc:  # a full disk or a broken media folder: the whole visit is undone, sent again later
        raise PhotoNotStored(exc) from exc
    row.save()
    return row.file.name


def _remove_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("could not remove a visit photo left by a failed submission")


def _complete_tasks(visit: Visit) -> list[VisitTask]:
    """The household's open tasks that have begun by the visit's day are done by it."""
    day = timezone.localtime(visit.checked_in_at).date()
    tasks = list(VisitTask.objects.select_for_update().filter(
        household_id=visit.household_id, status=TaskStatus.OPEN, starts_on__lte=day))
    for task in tasks:
        task.status, task.done_at, task.visit = TaskStatus.DONE, visit.checked_in_at, visit
    VisitTask.objects.bulk_update(tasks, ["status", "done_at", "visit"])
    TaskEvent.objects.bulk_create([
        TaskEvent(task=t, kind=TaskEventKind.DONE, actor=visit.worker, actor_name=visit.worker.display_name,
                  data={"visit": visit.pk, "late": day > t.due_on})
        for t in tasks
    ])
    return tasks


def _issue_feedback_code(visit: Visit, *, case_id: int | None) -> FeedbackCode:
    settings = VisitSettings.of(visit.subdistrict_id)
    now = timezone.now()
    return FeedbackCode.objects.create(
        subdistrict_id=visit.subdistrict_id, community_id=visit.community_id, building_id=visit.building_id,
        visit=visit, case_id=case_id, nonce=secrets.token_urlsafe(12)[:16], issued_at=now,
        expires_at=now + dt.timedelta(days=settings.feedback_valid_days),
    )
