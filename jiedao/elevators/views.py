"""Pages of the elevators app (加装电梯): candidates (ranked list and map), a building's feasibility with its
survey and drawing, the projects and their pipeline, the quote's per-household sheet (HTML print, XLSX)."""

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.core.tables import XlsxWriter
from jiedao.elevators import selectors, services
from jiedao.elevators.forms import (
    AdvanceForm,
    BlockerForm,
    DocumentForm,
    ProjectForm,
    QuoteForm,
    ResolveForm,
    ReviewForm,
    SurveyForm,
    VoteForm,
)
from jiedao.elevators.models import Blocker, Entry, ProjectDocument, Stage
from jiedao.geo.models import Community

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 50


def _subdistrict(request):
    raw = request.GET.get("subdistrict")
    return selectors.working_subdistrict(user=request.user, subdistrict_id=int(raw) if raw and raw.isdigit() else None)


def _int(raw) -> int | None:
    return int(raw) if raw and str(raw).isdigit() else None


@login_required
def candidates(request):
    """候选楼栋: the ranked list and the map."""
    subdistrict = _subdistrict(request)
    community_id, min_floors = _int(request.GET.get("community")), _int(request.GET.get("min_floors"))
    ranked = selectors.candidate_list(user=request.user, subdistrict=subdistrict, community_id=community_id,
                                      min_floors=min_floors)
    page = Paginator(ranked, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "subdistrict": subdistrict, "page": page, "offset": (page.number - 1) * PAGE_SIZE,
        "communities": Community.objects.within(scope_of(request.user)).filter(subdistrict=subdistrict),
        "community_id": community_id, "min_floors": min_floors, "total": len(ranked),
        "kpis": selectors.kpis(user=request.user, subdistrict=subdistrict),
        "config": {"center": [subdistrict.center_lat, subdistrict.center_lon],
                   "points": f"/api/v1/elevators/candidates.geojson?subdistrict={subdistrict.pk}"
                             + (f"&community={community_id}" if community_id else "")
                             + (f"&min_floors={min_floors}" if min_floors else ""),
                   "tileUrl": _tile_url(), "labels": {"score": _("可行性评分"), "missing": _("缺少踏勘"),
                                                      "open": _("查看")}},
    }
    return render(request, "elevators/candidates.html", context)


def _tile_url() -> str:
    from django.conf import settings

    return getattr(settings, "MAP_TILE_URL", "")


@login_required
def building(request, building_id: int):
    """One building: its score factor by factor, the survey form, the drawing, its projects."""
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    return _building_page(request, data)


def _building_page(request, data, *, survey_form=None, project_form=None, status=200):
    entry = data["survey"].entry if data["survey"] and data["survey"].entry else request.GET.get("entry", Entry.LEVEL)
    entry = entry if entry in Entry.values else Entry.LEVEL
    context = {
        **data,
        "can_manage": has_perm(request.user, Perm.MANAGE_ELEVATORS),
        "survey_form": survey_form or SurveyForm.for_survey(data["survey"]),
        "project_form": project_form or ProjectForm(units=data["units"]),
        "drawing": selectors.schematic(floors=data["building"].floors, entry=entry),
    }
    return render(request, "elevators/building.html", context, status=status)


@login_required
@require_POST
def survey(request, building_id: int):
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            services.save_survey(building=data["building"], by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("踏勘记录已保存"))
            return redirect("elevators:building", building_id)
    return _building_page(request, data, survey_form=form, status=400)


@login_required
@require_POST
def project_new(request, building_id: int):
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    form = ProjectForm(request.POST, units=data["units"])
    if form.is_valid():
        unit = next((u for u in data["units"] if u.pk == form.cleaned_data["unit"]), None)
        try:
            project = services.create_project(building=data["building"], unit=unit, by=request.user,
                                              shaft=form.cleaned_data["shaft"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已立项，进入意愿征询阶段"))
            return redirect("elevators:project", project.pk)
    return _building_page(request, data, project_form=form, status=400)


def schematic_svg(request, building_id: int):
    """The drawing alone, as an SVG file (for print and the API)."""
    if not request.user.is_authenticated:
        raise Http404
    data = selectors.building_feasibility(user=request.user, building_id=building_id)
    entry = request.GET.get("entry") or (data["survey"].entry if data["survey"] and data["survey"].entry
                                         else Entry.LEVEL)
    if entry not in Entry.values:
        entry = Entry.LEVEL
    drawing = selectors.schematic(floors=data["building"].floors, entry=entry)
    return render(request, "elevators/schematic.svg", {"drawing": drawing, "building": data["building"],
                                                       "standalone": True}, content_type="image/svg+xml")


@login_required
def projects(request):
    subdistrict = _subdistrict(request)
    stage = request.GET.get("stage") if request.GET.get("stage") in Stage.values else None
    rows = selectors.project_list(user=request.user, subdistrict=subdistrict, stage=stage)
    context = {"subdistrict": subdistrict, "projects": rows, "stage": stage, "stages": Stage.choices,
               "kpis": selectors.kpis(user=request.user, subdistrict=subdistrict)}
    return render(request, "elevators/projects.html", context)


def _project_page(request, project, *, forms=None, status=200):
    forms = forms or {}
    nxt = project.next_stage
    outcome = services.vote_outcome(project)
    context = {
        "project": project, "pipeline": selectors.pipeline(project), "next": nxt,
        "refusal": services.stage_refusal(project, nxt) if nxt else "",
        "quote": selectors.latest_quote(project), "outcome": outcome,
        "consultation_url": services.consultation_url(project),
        "blockers": project.blockers.select_related("raised_by"),
        "documents": project.documents.all(), "reviews": project.reviews.all(),
        "can_manage": has_perm(request.user, Perm.MANAGE_ELEVATORS),
        "advance_form": forms.get("advance") or AdvanceForm(initial={"to": nxt.value if nxt else ""}),
        "quote_form": forms.get("quote") or QuoteForm(),
        "blocker_form": forms.get("blocker") or BlockerForm(),
        "resolve_form": ResolveForm(),
        "document_form": forms.get("document") or DocumentForm(),
        "review_form": forms.get("review") or ReviewForm(),
        "vote_form": forms.get("vote") or VoteForm(initial=_vote_window()),
        "drawing": selectors.schematic(floors=project.building.floors,
                                       entry=(selectors.latest_quote(project).entry if project.quotes.exists()
                                              else Entry.LEVEL)),
    }
    return render(request, "elevators/project.html", context, status=status)


def _vote_window() -> dict:
    now = timezone.localtime().replace(second=0, microsecond=0)
    return {"opens_at": now, "closes_at": now + dt.timedelta(days=14)}


@login_required
def project(request, project_id: int):
    return _project_page(request, selectors.get_project(user=request.user, project_id=project_id))


def _post(request, project_id: int, form_class, key: str, action, success: str):
    """Run ``action(project, cleaned_data)`` for a valid form; back to the project, or its page with errors."""
    project = selectors.get_project(user=request.user, project_id=project_id)
    form = form_class(request.POST, request.FILES) if form_class is DocumentForm else form_class(request.POST)
    if form.is_valid():
        try:
            action(project, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, success)
            return redirect("elevators:project", project.pk)
    project.refresh_from_db()
    return _project_page(request, project, forms={key: form}, status=400)


@login_required
@require_POST
def advance(request, project_id: int):
    return _post(request, project_id, AdvanceForm, "advance", lambda p, d: services.advance_project(
        project=p, to=d["to"], on=d["on"], note=d["note"], by=request.user), _("已进入下一阶段"))


@login_required
@require_POST
def quote(request, project_id: int):
    return _post(request, project_id, QuoteForm, "quote", lambda p, d: services.make_quote(
        project=p, entry=d["entry"] or None, shaft=d["shaft"] or None, by=request.user), _("已生成报价与各户分摊"))


@login_required
@require_POST
def blocker(request, project_id: int):
    return _post(request, project_id, BlockerForm, "blocker", lambda p, d: services.raise_blocker(
        project=p, text=d["text"], by=request.user), _("已记录堵点"))


@login_required
@require_POST
def resolve(request, project_id: int, blocker_id: int):
    def act(p, d):
        services.resolve_blocker(blocker=get_object_or_404(Blocker, project=p, pk=blocker_id),
                                 resolution=d["resolution"], by=request.user)
    return _post(request, project_id, ResolveForm, "resolve", act, _("堵点已解决"))


@login_required
@require_POST
def document(request, project_id: int):
    return _post(request, project_id, DocumentForm, "document", lambda p, d: services.add_document(
        project=p, title=d["title"], file=d["file"], by=request.user), _("文件已上传"))


@login_required
def document_file(request, project_id: int, document_id: int):
    p = selectors.get_project(user=request.user, project_id=project_id)
    doc = get_object_or_404(ProjectDocument, project=p, pk=document_id)
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=doc.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def review(request, project_id: int):
    return _post(request, project_id, ReviewForm, "review", lambda p, d: services.record_review(
        project=p, lawyer=d["lawyer"], firm=d["firm"], outcome=d["outcome"], on=d["reviewed_on"], note=d["note"],
        by=request.user), _("已记录律师审查意见"))


@login_required
@require_POST
def vote(request, project_id: int):
    return _post(request, project_id, VoteForm, "vote", lambda p, d: services.start_vote(
        project=p, opens_at=d["opens_at"], closes_at=d["closes_at"], by=request.user), _("表决已发起"))


@login_required
@require_POST
def vote_open(request, project_id: int):
    """开启表决 (consult's check: every owner and area in); a refusal lists what is missing."""
    project = selectors.get_project(user=request.user, project_id=project_id)
    try:
        services.open_vote(project=project, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("表决已开启，可打印征询告知书（含表决码）"))
    return redirect("elevators:project", project.pk)


def _sheet(request, project_id: int):
    p = selectors.get_project(user=request.user, project_id=project_id)
    q = selectors.latest_quote(p)
    if q is None:
        raise Http404(_("该项目还没有报价"))
    return p, q


@login_required
def quote_sheet(request, project_id: int):
    """各户分摊表, for print: the summary, then one slip per dwelling."""
    p, q = _sheet(request, project_id)
    return render(request, "elevators/quote_sheet.html", {"project": p, "quote": q, "shares": [
        {**s, "amount": Decimal(s["amount"])} for s in q.shares]})


@login_required
def quote_xlsx(request, project_id: int):
    p, q = _sheet(request, project_id)
    book = XlsxWriter()
    sheet = book.sheet(_("报价"))
    sheet.append([_("加装电梯工程报价"), str(p.building)])
    sheet.append([_("项目"), _("数量"), _("单价（元）"), _("小计（元）")])
    for line in q.lines:
        sheet.append([line["name"], line["quantity"], Decimal(line["unit_price"]), Decimal(line["subtotal"])])
    sheet.append([_("工程造价合计"), "", "", q.total])
    sheet.append([_("政府补贴"), "", "", q.subsidy])
    sheet.append([_("补贴依据"), q.subsidy_source])
    sheet.append([_("居民分摊合计"), "", "", q.net])
    shares = book.sheet(_("各户分摊"))
    shares.append([_("室号"), _("楼层"), _("分摊系数"), _("分摊金额（元）")])
    for s in q.shares:
        shares.append([s["room"], s["floor"], Decimal(s["coefficient"]), Decimal(s["amount"])])
    shares.append([_("合计"), "", "", q.net])
    response = HttpResponse(book.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="elevator-quote-{p.pk}.xlsx"'
    return response


