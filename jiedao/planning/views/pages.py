"""Staff pages: plan overview and text, indicators, projects, who has reported, attachments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core import audit, charts
from jiedao.core.access import get_in_scope
from jiedao.core.models import AuditAction, Department
from jiedao.planning import elements, selectors, services, units
from jiedao.planning.forms import (
    IndicatorDefinitionForm,
    IndicatorValueForm,
    NextPlanForm,
    ProgressReportForm,
    apply_errors,
)
from jiedao.planning.models import Attachment, Indicator, Project, ProjectStatus
from jiedao.planning.periods import Period, last_closed_quarter
from jiedao.planning.reports import health_chart, sparkline_for
from jiedao.planning.status import Health
from jiedao.planning.views.common import filtered_rows, period_choices, period_param, require_view


@login_required
def home(request):
    """规划监测: the plans of the user's subdistrict; straight to the plan when there is one."""
    require_view(request)
    plans = list(selectors.plan_list(user=request.user))
    if len(plans) == 1:
        return redirect("planning:overview", plan_id=plans[0].pk)
    return render(request, "planning/home.html", {"plans": plans})


def _reporting_quarter(plan) -> Period:
    last = last_closed_quarter()
    return last if last.year <= plan.end_year else Period(plan.end_year, 4)


@login_required
def overview(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    as_of = period_param(request, plan)
    indicators = selectors.indicator_rows(user=request.user, plan=plan, as_of=as_of)
    projects = selectors.project_rows(user=request.user, plan=plan, as_of=as_of)
    reporting_quarter = _reporting_quarter(plan)
    mine = selectors.my_reporting(user=request.user, plan=plan, period=reporting_quarter) \
        if services.may_report_anything(user=request.user) else None
    chapters = []
    for chapter in plan.chapters.all():
        ind = [r for r in indicators if r.indicator.chapter_id == chapter.pk]
        proj = [r for r in projects if r.project.chapter_id == chapter.pk]
        chapters.append({"chapter": chapter, "indicators": len(ind), "projects": len(proj),
                         "behind": sum(r.health in (Health.AT_RISK, Health.OFF_TRACK) for r in ind + proj)})
    return render(request, "planning/overview.html", {
        "plan": plan, "as_of": as_of, "periods": period_choices(plan), "goals": plan.goals.all(),
        "chapters": chapters, "mine": mine, "reporting_quarter": reporting_quarter,
        "indicator_chart": health_chart(selectors.health_counts(rows=indicators), title=_("指标状态")),
        "project_chart": health_chart(selectors.health_counts(rows=projects), title=_("项目状态"), projects=True),
        "binding": [r for r in indicators if r.indicator.binding == Indicator.Binding.BINDING],
        "may_manage": services.may_manage(user=request.user, obj=plan), "tab": "overview",
    })


@login_required
def plan_text(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    return render(request, "planning/text.html", {
        "plan": plan, "chapters": selectors.chapters_of(plan=plan), "goals": plan.goals.all(), "tab": "text"})


@login_required
def indicators(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    as_of = period_param(request, plan)
    rows, status = filtered_rows(request, selectors.indicator_rows, user=request.user, plan=plan, as_of=as_of)
    years = [y for y in plan.years if y <= as_of.year]
    return render(request, "planning/indicators.html", {
        "plan": plan, "rows": [(r, sparkline_for(r, years)) for r in rows], "as_of": as_of,
        "periods": period_choices(plan), "chapters": plan.chapters.all(), "filters": request.GET,
        "healths": Health.choices, "tab": "indicators",
    }, status=status)


@login_required
def indicator_detail(request, indicator_id: int):
    """An indicator: its definition, values and chart; its lead unit enters values here."""
    require_view(request)
    indicator = selectors.get_indicator(user=request.user, indicator_id=indicator_id)
    may_report = services.may_report(user=request.user, obj=indicator) and not indicator.is_computed
    form = IndicatorValueForm(indicator=indicator, initial={"year": _reporting_quarter(indicator.plan).year})
    if request.method == "POST":
        form = IndicatorValueForm(request.POST, request.FILES, indicator=indicator)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_indicator_value(
                    indicator=indicator, by=request.user, year=data["year"], quarter=data["quarter"],
                    value=data.get("value"), unit=data.get("unit"), achieved=data.get("achieved"),
                    evidence=data["evidence"], note=data["note"],
                    attachments=[data["attachment"]] if data.get("attachment") else [],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已保存 %(p)s 的填报") % {"p": Period(data["year"], data["quarter"]).label})
                return redirect("planning:indicator", indicator_id=indicator.pk)
    row = selectors.indicator_history(indicator=indicator)
    points = [(p.period.code, p.value) for p in row.points if p.value is not None]
    chart = None if indicator.is_milestone else charts.line_chart(
        points, title=indicator.name, unit=units.suffix(indicator.unit), target=indicator.target,
        baseline=indicator.baseline if indicator.measure == Indicator.Measure.LEVEL else None)
    used = [elements.get(code) for code in indicator.element_codes()] if indicator.is_computed else []
    return render(request, "planning/indicator.html", {
        "plan": indicator.plan, "indicator": indicator, "row": row, "chart": chart, "form": form,
        "may_report": may_report, "may_manage": services.may_manage(user=request.user, obj=indicator),
        "elements": [e for e in used if e is not None], "tab": "indicators",
        "attachments": {a.value_id: a for a in Attachment.objects.filter(value__indicator=indicator)},
    })


@login_required
def indicator_edit(request, indicator_id: int):
    """Managers change an indicator's target, formula and wording; bad input changes nothing."""
    require_view(request)
    indicator = selectors.get_indicator(user=request.user, indicator_id=indicator_id)
    services.ensure_may_manage(user=request.user, obj=indicator)
    form = IndicatorDefinitionForm.for_indicator(indicator)
    if request.method == "POST":
        form = IndicatorDefinitionForm.for_indicator(indicator, data=request.POST)
        if form.is_valid():
            try:
                services.update_indicator(indicator=indicator, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                indicator.refresh_from_db()
                apply_errors(form, exc)
            else:
                messages.success(request, _("指标定义已保存"))
                return redirect("planning:indicator", indicator_id=indicator.pk)
    return render(request, "planning/indicator_edit.html", {
        "plan": indicator.plan, "indicator": indicator, "form": form, "elements": elements.registered().values(),
        "tab": "indicators",
    })


@login_required
def projects(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    as_of = period_param(request, plan)
    rows, status = filtered_rows(request, selectors.project_rows, user=request.user, plan=plan, as_of=as_of)
    units = Department.objects.filter(pk__in=plan.projects.values("lead_unit")).order_by("code")
    return render(request, "planning/projects.html", {
        "plan": plan, "rows": [(r, charts.progress_bar(r.progress, planned=r.planned)) for r in rows], "as_of": as_of,
        "periods": period_choices(plan), "chapters": plan.chapters.all(), "units": units,
        "categories": Project.Category.choices, "statuses": ProjectStatus.choices, "healths": Health.choices,
        "filters": request.GET, "tab": "projects",
    }, status=status)


@login_required
def project_detail(request, project_id: int):
    """A project: schedule, reports and attachments; its lead unit reports the quarter's progress here."""
    require_view(request)
    project = selectors.get_project(user=request.user, project_id=project_id)
    quarter = _reporting_quarter(project.plan)
    form = ProgressReportForm(initial={"year": quarter.year, "quarter": quarter.quarter,
                                       "progress": project.progress, "status": project.status})
    if request.method == "POST":
        form = ProgressReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.submit_progress_report(
                    project=project, by=request.user, year=data["year"], quarter=data["quarter"],
                    progress=data["progress"], status=data["status"], note=data["note"],
                    public_note=data["public_note"], attachments=[data["attachment"]] if data.get("attachment") else [],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                period = Period(data["year"], data["quarter"])
                messages.success(request, _("已保存 %(p)s 的进展报告") % {"p": period.label})
                return redirect("planning:project", project_id=project.pk)
    row = selectors.project_detail(project=project)
    return render(request, "planning/project.html", {
        "plan": project.plan, "project": project, "row": row, "form": form, "tab": "projects",
        "bar": charts.progress_bar(row.progress, planned=row.planned, width=240),
        "may_report": services.may_report(user=request.user, obj=project), "reporting_quarter": quarter,
    })


@login_required
def reporting(request, plan_id: int):
    """填报情况: per lead unit, what it had to report for a quarter and has not."""
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    period = period_param(request, plan, default=_reporting_quarter(plan))
    if period.quarter == 0:
        period = Period(period.year, 4)
    units = selectors.reporting_status(user=request.user, plan=plan, period=period)
    return render(request, "planning/reporting.html", {
        "plan": plan, "period": period, "units": units, "tab": "reporting",
        "periods": [p for p in period_choices(plan) if p.quarter],
        "missing": sum(u.missing for u in units), "due": sum(u.due for u in units),
    })


@login_required
def attachment(request, attachment_id: int):
    """Download an attachment: staff who may view planning in the subdistrict; never public."""
    require_view(request)
    item = get_in_scope(Attachment.objects.all(), user=request.user, pk=attachment_id)
    audit.record(actor=request.user, action=AuditAction.VIEW, obj=item)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.name)


@login_required
@require_POST
def publish(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    services.set_plan_published(plan=plan, published=request.POST.get("published") == "1", by=request.user)
    messages.success(request, _("已向社会公开") if plan.published else _("已撤回公开"))
    return redirect("planning:overview", plan_id=plan.pk)


@login_required
def plan_next(request, plan_id: int):
    """新建下一期规划: managers start the plan that follows this one, with its goals and indicators."""
    require_view(request)
    source = selectors.get_plan(user=request.user, plan_id=plan_id)
    services.ensure_may_manage(user=request.user, obj=source)
    form = NextPlanForm(request.POST or None, source=source)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.create_next_plan(
                source=source, by=request.user, code=data["code"], name=data["name"], start_year=data["start_year"],
                end_year=data["end_year"], indicators=data["indicators"], copy_goals=data["copy_goals"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            message = _("已新建规划「%(name)s」：复制了 %(goals)s 个目标、%(indicators)s 项指标，请设定目标值")
            messages.success(request, message % {
                "name": plan.name, "goals": plan.goals.count(), "indicators": plan.indicators.count()})
            return redirect("planning:overview", plan_id=plan.pk)
    return render(request, "planning/plan_next.html", {"plan": source, "form": form, "tab": "overview"})
