"""Evaluations: the list, the print-ready report, its narrative, XLSX and (with WeasyPrint) PDF."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from jiedao.core import audit
from jiedao.core.models import AuditAction
from jiedao.planning import reports, selectors, services, xlsx
from jiedao.planning.forms import EvaluationCreateForm, NarrativeForm, apply_errors
from jiedao.planning.views.common import require_view


def weasyprint_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the package is there but its system libraries are not
        return False
    return True


@login_required
def evaluations(request, plan_id: int):
    require_view(request)
    plan = selectors.get_plan(user=request.user, plan_id=plan_id)
    form = EvaluationCreateForm()
    if request.method == "POST":
        form = EvaluationCreateForm(request.POST)
        if form.is_valid():
            try:
                evaluation = services.create_evaluation(plan=plan, kind=form.cleaned_data["kind"],
                                                        year=form.cleaned_data["year"], by=request.user)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("planning:evaluation", evaluation_id=evaluation.pk)
    return render(request, "planning/evaluations.html", {
        "plan": plan, "evaluations": selectors.evaluations_of(user=request.user, plan=plan), "form": form,
        "may_manage": services.may_manage(user=request.user, obj=plan), "tab": "evaluations",
    })


@login_required
def evaluation_report(request, evaluation_id: int):
    """The evaluation as a print-ready page: every indicator's and project's status, with charts."""
    require_view(request)
    evaluation = selectors.get_evaluation(user=request.user, evaluation_id=evaluation_id)
    report = reports.build_report(user=request.user, evaluation=evaluation)
    return render(request, "planning/report.html", _report_context(request, report))


def _report_context(request, report) -> dict:
    return {
        "plan": report.plan, "evaluation": report.evaluation, "report": report, "charts": reports.charts(report),
        "sparklines": {r.indicator.pk: reports.sparkline_for(r, report.years) for r in report.indicators},
        "year_values": {r.indicator.pk: [reports.year_point(r, y) for y in report.years] for r in report.indicators},
        "may_manage": services.may_manage(user=request.user, obj=report.evaluation), "pdf": weasyprint_available(),
        "tab": "evaluations",
    }


@login_required
def evaluation_edit(request, evaluation_id: int):
    require_view(request)
    evaluation = selectors.get_evaluation(user=request.user, evaluation_id=evaluation_id)
    services.ensure_may_manage(user=request.user, obj=evaluation)
    form = NarrativeForm(initial={f: getattr(evaluation, f) for f in evaluation.NARRATIVE_FIELDS})
    if request.method == "POST":
        form = NarrativeForm(request.POST)
        if form.is_valid():
            services.update_narrative(evaluation=evaluation, by=request.user, **form.cleaned_data)
            messages.success(request, _("评估叙述已保存"))
            return redirect("planning:evaluation", evaluation_id=evaluation.pk)
    return render(request, "planning/evaluation_edit.html", {
        "plan": evaluation.plan, "evaluation": evaluation, "form": form, "tab": "evaluations"})


def _filename(report, ext: str) -> str:
    return f"{report.plan.code}-{report.evaluation.year}-{report.evaluation.kind}.{ext}"


@login_required
def evaluation_xlsx(request, evaluation_id: int):
    require_view(request)
    evaluation = selectors.get_evaluation(user=request.user, evaluation_id=evaluation_id)
    report = reports.build_report(user=request.user, evaluation=evaluation)
    content = xlsx.workbook_bytes(report)
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=evaluation, detail={"format": "xlsx"})
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response


@login_required
def evaluation_pdf(request, evaluation_id: int):
    """PDF from the same page, where WeasyPrint and its system libraries are installed (optional)."""
    require_view(request)
    evaluation = selectors.get_evaluation(user=request.user, evaluation_id=evaluation_id)
    if not weasyprint_available():
        return HttpResponse(_("本服务器未安装 WeasyPrint，无法生成 PDF；请在报告页用浏览器“打印 → 另存为 PDF”"),
                            status=501, content_type="text/plain; charset=utf-8")
    from django.template.loader import render_to_string
    from weasyprint import HTML

    report = reports.build_report(user=request.user, evaluation=evaluation)
    html = render_to_string("planning/report.html", _report_context(request, report), request=request)
    content = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit.record(actor=request.user, action=AuditAction.EXPORT, obj=evaluation, detail={"format": "pdf"})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response
