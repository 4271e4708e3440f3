"""表决: the project's vote is a ``consult`` consultation of the 单元's (or building's) owners under Civil
Code art. 278 (special matters: 改建、重建, which 加装电梯 is). This app starts it and reads its outcome; the
owners, areas, letters, ballots and the count are consult's."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.consult import services as consult_services
from jiedao.consult.models import Consultation, Kind
from jiedao.core import audit
from jiedao.core.access import ensure_in_scope
from jiedao.core.models import AuditAction, User
from jiedao.elevators.models import Project, Stage, StageEvent
from jiedao.elevators.services.consultations import consultation_of
from jiedao.elevators.services.projects import stage_refusal
from jiedao.elevators.services.surveys import can_manage

RULE = "278-special"


@audit.records_refusals
def start_vote(*, project: Project, opens_at: dt.datetime, closes_at: dt.datetime, by: User) -> Consultation:
    """发起表决: a consultation (draft) of the project's dwellings under art. 278 special, and the project
    enters 表决. The owners and areas are then completed and the vote opened in consult (``open_vote``)."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    # A time without its zone (a form, an API client) is the subdistrict's local time.
    opens_at, closes_at = (t if timezone.is_aware(t) else timezone.make_aware(t) for t in (opens_at, closes_at))
    if project.consultation_id is not None:
        raise ValidationError(_("该项目已发起表决"))
    if project.stage != Stage.DESIGN:
        raise ValidationError(_("方案设计阶段才能发起表决（当前：%(s)s）") % {"s": Stage(project.stage).label})
    why = stage_refusal(project, Stage.VOTE, starting_vote=True)
    if why:
        raise ValidationError(why)
    building = project.building
    title = _("%(b)s%(u)s加装电梯") % {"b": building.address, "u": _("%(n)s单元") % {"n": project.unit.number}
                                      if project.unit else ""}
    with transaction.atomic():
        c = consult_services.create_consultation(
            subdistrict=project.subdistrict, kind=Kind.ELEVATOR, title=title, rule=RULE, building=building,
            unit=project.unit, opens_at=opens_at, closes_at=closes_at, created_by=by,
            source=f"elevators:{project.pk}")
        _enter_vote(project, c, by=by)
    return c


def _enter_vote(project: Project, c: Consultation, *, by: User) -> None:
    project.consultation_id = c.pk
    project.stage = Stage.VOTE
    project.save(update_fields=["consultation_id", "stage"])
    on = min(timezone.localdate(c.opens_at), timezone.localdate())
    StageEvent.objects.create(project=project, stage=Stage.VOTE, on=on, by=by, note=_("表决征询 #%(n)s") % {"n": c.pk})
    audit.record(actor=by, action=AuditAction.UPDATE, obj=project, field="stage",
                 detail={"from": Stage.DESIGN, "to": Stage.VOTE, "consultation": c.pk})


@audit.records_refusals
def link_vote(*, project: Project, consultation: Consultation, by: User) -> Project:
    """Take a 加装电梯 consultation already started in consult (same building, art. 278 special) as the
    project's vote, and the project enters 表决."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    ensure_in_scope(consultation, user=by)
    if project.consultation_id is not None:
        raise ValidationError(_("该项目已发起表决"))
    if consultation.kind != Kind.ELEVATOR or consultation.rule != RULE:
        raise ValidationError({"consultation": _("只能关联按民法典第二百七十八条特别事项表决的加装电梯征询")})
    if consultation.building_id != project.building_id:
        raise ValidationError({"consultation": _("该征询不是本楼栋的表决")})
    if Project.objects.filter(consultation_id=consultation.pk).exists():
        raise ValidationError({"consultation": _("该征询已关联其他项目")})
    if project.stage != Stage.DESIGN:
        raise ValidationError(_("方案设计阶段才能发起表决（当前：%(s)s）") % {"s": Stage(project.stage).label})
    why = stage_refusal(project, Stage.VOTE, starting_vote=True)
    if why:
        raise ValidationError(why)
    with transaction.atomic():
        _enter_vote(project, consultation, by=by)
    return project


def open_vote(*, project: Project, by: User) -> Consultation:
    """开启表决 through consult: refused, with the list, while an owner or area is missing."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    c = consultation_of(project)
    if c is None:
        raise ValidationError(_("该项目尚未发起表决"))
    return consult_services.open_consultation(c, by=by)
