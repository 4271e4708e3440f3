"""The project pipeline (意愿征询 → 方案设计 → 表决 → 公示 → 审批 → 施工 → 验收 → 运维): start a project, move it one
stage on, its blockers, documents, the lawyer's contract review, and its quote."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.access import ensure_in_scope
from jiedao.core.models import AuditAction, User
from jiedao.elevators import quotes
from jiedao.elevators.models import (
    Blocker,
    ContractReview,
    CostItem,
    Entry,
    Pipes,
    Project,
    ProjectDocument,
    Quote,
    Shaft,
    ShareCoefficient,
    Stage,
    StageEvent,
    SubsidyRule,
    Survey,
)
from jiedao.elevators.services.consultations import consultation_of, vote_outcome
from jiedao.elevators.services.surveys import can_manage
from jiedao.geo.models import Building, Unit
from jiedao.registry.models import Household

MAX_UPLOAD = 20 * 1024 * 1024


def _day(on: dt.date | None, *, field: str = "on") -> dt.date:
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise ValidationError({field: _("日期不能晚于今天")})
    return on


@audit.records_refusals
def create_project(*, building: Building, by: User, unit: Unit | None = None, responsible: User | None = None,
                   shaft: str = Shaft.STEEL, on: dt.date | None = None, note: str = "",
                   synthetic: bool = False) -> Project:
    """立项: a project for ``building`` (its ``unit``), starting at 意愿征询."""
    can_manage(by)
    ensure_in_scope(building, user=by)
    on = _day(on)
    if unit is not None and unit.building_id != building.pk:
        raise ValidationError({"unit": _("该单元不属于此楼栋")})
    if shaft not in Shaft.values:
        raise ValidationError({"shaft": _("井道应为钢结构或混凝土")})
    if Survey.objects.filter(building=building, has_elevator=True).exists():
        raise ValidationError({"building": _("踏勘记录显示此楼栋已有电梯")})
    if Project.objects.filter(building=building, unit=unit).exists():
        raise ValidationError({"building": _("此楼栋（单元）已有加装电梯项目")})
    if responsible is not None and responsible.subdistrict_id != building.subdistrict_id:
        raise ValidationError({"responsible": _("负责人应为本街道的工作人员")})
    with transaction.atomic():
        project = Project.objects.create(subdistrict_id=building.subdistrict_id, building=building, unit=unit,
                                         shaft=shaft, responsible=responsible or by, created_by=by, note=note,
                                         synthetic=synthetic)
        StageEvent.objects.create(project=project, stage=Stage.CONSENT, on=on, by=by, note=note)
        audit.record(actor=by, action=AuditAction.CREATE, obj=project, detail={"building": building.pk})
    return project


def stage_refusal(project: Project, to: str, *, starting_vote: bool = False) -> str:
    """Why ``project`` may not enter stage ``to`` now ("" when it may); ``starting_vote``: the check of
    ``start_vote``, which brings the consultation itself."""
    nxt = project.next_stage
    if nxt is None:
        return _("项目已进入运维，没有下一阶段")
    if to != nxt:
        return _("不能跳过阶段：当前为“%(now)s”，下一阶段应为“%(next)s”") % {
            "now": Stage(project.stage).label, "next": nxt.label}
    open_blockers = project.blockers.filter(resolved_on__isnull=True).count()
    if open_blockers:
        return _("还有 %(n)s 个未解决的堵点，解决后才能进入下一阶段") % {"n": open_blockers}
    if to == Stage.VOTE:
        if not project.quotes.exists():
            return _("进入表决前须先生成工程报价（各户分摊）")
        if project.consultation_id is None and not starting_vote:
            return _("请先发起表决征询（民法典第二百七十八条特别事项）")
    if to == Stage.NOTICE:
        outcome = vote_outcome(project)
        if outcome is None or not outcome.closed:
            return _("表决尚未结束，不能进入公示")
        if not outcome.passed:
            return _("表决未通过（参与或同意未达到法定比例），不能进入公示")
    if to == Stage.CONSTRUCTION and not project.reviews.filter(outcome=ContractReview.Outcome.APPROVED).exists():
        return _("施工合同尚未经加梯顾问团律师审查通过，不能开工")
    return ""


@audit.records_refusals
def advance_project(*, project: Project, to: str, by: User, on: dt.date | None = None, note: str = "") -> Project:
    """Move ``project`` to stage ``to``, the one after its current stage, if nothing holds it back."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    if to not in Stage.values:
        raise ValidationError({"to": _("未知的阶段：%(s)s") % {"s": to}})
    on = _day(on)
    given = project
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)  # two clicks move it once
        why = stage_refusal(project, to)
        if why:
            raise ValidationError({"to": why})
        last = project.events.order_by("-on").values_list("on", flat=True).first()
        if last and on < last:
            raise ValidationError({"on": _("日期不能早于上一阶段的日期（%(d)s）") % {"d": last}})
        if to == Stage.NOTICE:
            closed = consultation_of(project).closed_at
            if closed and on < timezone.localdate(closed):
                raise ValidationError({"on": _("公示日期不能早于表决结束的日期（%(d)s）") % {
                    "d": timezone.localdate(closed)}})
        before = project.stage
        project.stage = to
        if to == Stage.OPERATION:
            project.completed_on = on
        project.save(update_fields=["stage", "completed_on"])
        StageEvent.objects.create(project=project, stage=to, on=on, by=by, note=note)
        audit.record(actor=by, action=AuditAction.UPDATE, obj=project, field="stage",
                     detail={"from": before, "to": to, "on": str(on)})
    given.stage, given.completed_on = project.stage, project.completed_on
    return given


@audit.records_refusals
def raise_blocker(*, project: Project, text: str, by: User, on: dt.date | None = None) -> Blocker:
    can_manage(by)
    ensure_in_scope(project, user=by)
    if not text.strip():
        raise ValidationError({"text": _("请写明堵点是什么")})
    with transaction.atomic():
        blocker = Blocker.objects.create(project=project, text=text.strip()[:300], raised_on=_day(on), raised_by=by)
        audit.record(actor=by, action=AuditAction.CREATE, obj=project, field="blocker", detail={"blocker": blocker.pk})
    return blocker


@audit.records_refusals
def resolve_blocker(*, blocker: Blocker, resolution: str, by: User, on: dt.date | None = None) -> Blocker:
    can_manage(by)
    ensure_in_scope(blocker.project, user=by)
    if blocker.resolved_on:
        raise ValidationError(_("该堵点已于 %(d)s 解决") % {"d": blocker.resolved_on})
    if not resolution.strip():
        raise ValidationError({"resolution": _("请写明如何解决")})
    on = _day(on)
    if on < blocker.raised_on:
        raise ValidationError({"on": _("解决日期不能早于提出日期")})
    with transaction.atomic():
        blocker.resolved_on, blocker.resolution = on, resolution.strip()[:300]
        blocker.save(update_fields=["resolved_on", "resolution"])
        audit.record(actor=by, action=AuditAction.UPDATE, obj=blocker.project, field="blocker",
                     detail={"blocker": blocker.pk, "resolved": str(on)})
    return blocker


@audit.records_refusals
def add_document(*, project: Project, title: str, file, by: User) -> ProjectDocument:
    can_manage(by)
    ensure_in_scope(project, user=by)
    if not title.strip():
        raise ValidationError({"title": _("请填写文件标题")})
    if file is None or not file.size:
        raise ValidationError({"file": _("请选择要上传的文件")})
    if file.size > MAX_UPLOAD:
        raise ValidationError({"file": _("文件不能超过 20 MB")})
    with transaction.atomic():
        doc = ProjectDocument.objects.create(project=project, stage=project.stage, title=title.strip()[:100],
                                             file=file, uploaded_by=by)
        audit.record(actor=by, action=AuditAction.CREATE, obj=project, field="document", detail={"document": doc.pk})
    return doc


@audit.records_refusals
def record_review(*, project: Project, lawyer: str, outcome: str, by: User, firm: str = "",
                  on: dt.date | None = None, note: str = "") -> ContractReview:
    """加梯顾问团: the lawyer's review of the construction contract."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    if not lawyer.strip():
        raise ValidationError({"lawyer": _("请填写审查律师")})
    if outcome not in ContractReview.Outcome.values:
        raise ValidationError({"outcome": _("结论应为“审查通过”或“需修改”")})
    if outcome == ContractReview.Outcome.CHANGES and not note.strip():
        raise ValidationError({"note": _("需修改时请写明律师意见")})
    with transaction.atomic():
        review = ContractReview.objects.create(project=project, lawyer=lawyer.strip(), firm=firm.strip(),
                                               reviewed_on=_day(on), outcome=outcome, note=note.strip(),
                                               recorded_by=by)
        audit.record(actor=by, action=AuditAction.CREATE, obj=project, field="contract_review",
                     detail={"outcome": outcome})
    return review


def dwellings_of(project: Project) -> list[quotes.Dwelling]:
    """The project's dwellings (the registry's households of its 单元, or building), in door order."""
    qs = Household.objects.filter(building_id=project.building_id)
    if project.unit_id:
        qs = qs.filter(unit_id=project.unit_id)
    from jiedao.elevators.scoring import floor_of

    out = []
    for pk, room in qs.values_list("pk", "room"):
        floor = floor_of(room)
        if floor is not None:
            out.append(quotes.Dwelling(key=str(pk), room=room, floor=floor))
    return sorted(out, key=lambda d: (d.floor, d.room))


@audit.records_refusals
def make_quote(*, project: Project, by: User, entry: str | None = None, shaft: str | None = None,
               pipes_relocate: bool | None = None) -> Quote:
    """工程智能报价 for ``project``: from the building's floors, the entry and shaft, and the survey's pipes,
    frozen with the subsidy and each dwelling's share (``quotes`` has the arithmetic)."""
    can_manage(by)
    ensure_in_scope(project, user=by)
    if project.stage not in (Stage.CONSENT, Stage.DESIGN):
        raise ValidationError(_("表决开始后不再重新报价：各户表决的是已公布的分摊方案"))
    survey = Survey.objects.filter(building_id=project.building_id).first()
    entry = entry or (survey.entry if survey and survey.entry else "")
    if entry not in Entry.values:
        raise ValidationError({"entry": _("请先确定入户方式（平层或半层入户），可在踏勘表中填写")})
    shaft = shaft or project.shaft
    if shaft not in Shaft.values:
        raise ValidationError({"shaft": _("井道应为钢结构或混凝土")})
    if pipes_relocate is None:
        if survey is None or not survey.pipes:
            raise ValidationError({"pipes": _("请先在踏勘表中填写地下管线情况")})
        if survey.pipes == Pipes.BLOCKING:
            raise ValidationError({"pipes": _("踏勘记录显示地下管线无法迁移，无法报价")})
        pipes_relocate = survey.pipes == Pipes.RELOCATE
    rule = SubsidyRule.objects.filter(valid_from__lte=timezone.localdate()).first()
    if rule is None:
        raise ValidationError(_("尚未配置加装电梯补贴标准，请管理员在后台添加"))
    floors = project.building.floors
    items = [quotes.Item(code=c.code, name=c.name, basis=c.basis, amount=c.amount, shaft=c.shaft)
             for c in CostItem.objects.all()]
    lines, total = quotes.price(items, floors=floors, entry=entry, shaft=shaft, pipes_relocate=pipes_relocate)
    subsidy = quotes.subsidy(total, rate=rule.rate, cap=rule.cap)
    net = total - subsidy
    table = dict(ShareCoefficient.objects.values_list("floor", "coefficient"))
    shares = quotes.shares(net, dwellings_of(project), table)
    with transaction.atomic():
        quote = Quote.objects.create(project=project, stops=floors, shaft=shaft, entry=entry, lines=lines, total=total,
                                     subsidy=subsidy, subsidy_source=rule.source[:300], net=net, shares=shares,
                                     created_by=by)
        if project.shaft != shaft:
            project.shaft = shaft
            project.save(update_fields=["shaft"])
        audit.record(actor=by, action=AuditAction.CREATE, obj=project, field="quote",
                     detail={"quote": quote.pk, "total": str(total), "subsidy": str(subsidy)})
    return quote
