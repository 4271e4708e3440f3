"""The 居委 head's pages: the board (each worker's load, overdue tasks and escalations, flagged notes,
high-risk households), the plan (the 居委's own rules, who visits which building), the task list and one
task with its history and the head's actions (改派, 延期, 取消)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm, has_perm
from jiedao.geo.models import Building, Community
from jiedao.visits import selectors, services
from jiedao.visits.filters import TaskFilter
from jiedao.visits.forms import BuildingForm, CancelForm, PostponeForm, ReassignForm, RuleForm, apply_errors
from jiedao.visits.models import BuildingAssignment, TaskStatus, VisitRule
from jiedao.visits.services.assignment import building_loads


def _community(request) -> Community:
    """The 居委 the page is about: the head's own, or one chosen (``?community=``) among those in scope."""
    communities = selectors.head_communities(user=request.user)
    chosen = request.GET.get("community") or request.POST.get("community")
    if chosen and chosen.isdigit():
        return get_in_scope(communities, user=request.user, pk=int(chosen))
    if request.user.community_id:
        return get_in_scope(communities, user=request.user, pk=request.user.community_id)
    first = communities.first()
    if first is None:
        from django.http import Http404

        raise Http404
    return first


@login_required
def board(request):
    """调度看板 of one 居委."""
    ensure_perm(request.user, Perm.MANAGE_VISITS, message=_("走访看板供居委负责人使用"))
    community = _community(request)
    data = selectors.board(user=request.user, community=community)
    return render(request, "visits/board.html", {**data, "today": timezone.localdate()})


@login_required
def plan(request):
    """走访计划: the 居委's rules (its own or the subdistrict's defaults) and who visits which building."""
    ensure_perm(request.user, Perm.MANAGE_VISITS, message=_("走访计划由居委负责人维护"))
    community = _community(request)
    bound_rule = bound_building = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rule":
                bound_rule = RuleForm(request.POST)
                if bound_rule.is_valid():
                    d = bound_rule.cleaned_data
                    services.set_plan_rule(community=community, code=d["code"], by=request.user,
                                           every_months=d["every_months"], due_days=d["due_days"],
                                           active=d["active"])
                    messages.success(request, _("已保存本居委的走访规则，下一次生成任务时生效"))
                    return redirect(f"{request.path}?community={community.pk}")
            elif action == "reset":
                services.reset_plan_rule(community=community, code=request.POST.get("code", ""), by=request.user)
                messages.success(request, _("已恢复为街道默认规则"))
                return redirect(f"{request.path}?community={community.pk}")
            elif action == "building":
                bound_building = BuildingForm(request.POST, workers=services.community_workers(
                    community_id=community.pk, heads=True))
                if bound_building.is_valid():
                    building = get_in_scope(Building.objects.filter(community=community), user=request.user,
                                            pk=bound_building.cleaned_data["building"])
                    worker = next(w for w in services.community_workers(community_id=community.pk, heads=True)
                                  if w.pk == bound_building.cleaned_data["worker"])
                    services.assign_building(building=building, worker=worker, by=request.user)
                    messages.success(request, _("已调整楼栋分工，该楼未完成的任务一并转给新的社工"))
                    return redirect(f"{request.path}?community={community.pk}#buildings")
            elif action == "balance":
                changed = services.balance(community_id=community.pk, rebalance=True, by=request.user)
                messages.success(request, _("已按工作量重新分配 %(n)s 栋楼（手工指定的不变）") % {"n": changed})
                return redirect(f"{request.path}?community={community.pk}#buildings")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    return render(request, "visits/plan.html", _plan_context(request, community, bound_rule, bound_building),
                  status=400 if (bound_rule and bound_rule.errors) or (bound_building and bound_building.errors)
                  else 200)


def _plan_context(request, community, bound_rule, bound_building) -> dict:
    from jiedao.visits import defaults

    defaults.install(subdistrict_id=community.subdistrict_id)
    rules = list(VisitRule.objects.filter(subdistrict_id=community.subdistrict_id, community__isnull=True))
    own = {r.code: r for r in VisitRule.objects.filter(community=community)}
    rows = []
    for default in rules:
        rule = own.get(default.code, default)
        rows.append({"default": default, "rule": rule, "own": default.code in own,
                     "form": RuleForm(initial={"code": default.code, "every_months": rule.every_months,
                                               "due_days": rule.due_days, "active": rule.active},
                                      auto_id=f"rule-{default.code}-%s")})
    workers = services.community_workers(community_id=community.pk, heads=True)
    assignments = {a.building_id: a for a in BuildingAssignment.objects.filter(community=community)}
    loads = building_loads(community_id=community.pk)
    households = dict(Building.objects.filter(community=community).annotate(n=Count("households"))
                      .values_list("pk", "n"))
    buildings = []
    for building in Building.objects.filter(community=community).select_related("road").order_by("code"):
        a = assignments.get(building.pk)
        buildings.append({"building": building, "assignment": a, "households": households.get(building.pk, 0),
                          "load": round(loads.get(building.pk, 0)),
                          "form": BuildingForm(initial={"building": building.pk, "worker": a.worker_id if a else None},
                                               workers=workers, auto_id=f"b{building.pk}-%s")})
    per_worker = {w.pk: 0.0 for w in workers}
    for row in buildings:
        if row["assignment"] and row["assignment"].worker_id in per_worker:
            per_worker[row["assignment"].worker_id] += row["load"]
    return {"community": community, "rows": rows, "buildings": buildings, "workers": workers,
            "per_worker": [(w, round(per_worker[w.pk])) for w in workers],
            "communities": selectors.head_communities(user=request.user), "bound_rule": bound_rule}


@login_required
def tasks(request):
    """走访任务: the tasks in scope, filtered (the figures' drill-down for 覆盖率 and 按时完成率)."""
    ensure_perm(request.user, Perm.VIEW_VISITS)
    filters = {k: v for k, v in request.GET.items() if k != "page" and v}
    try:
        rows = selectors.task_list(user=request.user, filters=filters)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        rows = selectors.task_list(user=request.user, filters={})
        filters = {}
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    return render(request, "visits/tasks.html", {"page": page, "filters": filters, "query": query,
                                                 "labels": {k: f.label for k, f in TaskFilter.base_filters.items()},
                                                 "today": timezone.localdate()})


@login_required
def task(request, task_id: int):
    """One task: its household, due date, history, and for the head 改派 / 延期 / 取消."""
    record = selectors.get_task(user=request.user, task_id=task_id)
    return render(request, "visits/task.html", _task_context(request, record))


def _task_context(request, record, bound: tuple[str, object] | None = None) -> dict:
    can_manage = has_perm(request.user, Perm.MANAGE_VISITS) and record.status == TaskStatus.OPEN
    workers = services.community_workers(community_id=record.community_id, heads=True) if can_manage else []
    forms = {}
    if can_manage:
        forms = {"reassign": ReassignForm(workers=workers, prefix="reassign"),
                 "postpone": PostponeForm(prefix="postpone"), "cancel": CancelForm(prefix="cancel")}
        if bound:
            forms[bound[0]] = bound[1]
    return {"task": record, "events": list(record.events.select_related("actor")), "forms": forms,
            "today": timezone.localdate(), "open_form": bound[0] if bound else "",
            "can_visit": has_perm(request.user, Perm.DO_VISITS)}


@login_required
@require_POST
def task_action(request, task_id: int, action: str):
    record = selectors.get_task(user=request.user, task_id=task_id)
    ensure_perm(request.user, Perm.MANAGE_VISITS, message=_("只有居委负责人可以调整走访任务"))
    workers = services.community_workers(community_id=record.community_id, heads=True)
    form = {"reassign": lambda: ReassignForm(request.POST, workers=workers, prefix="reassign"),
            "postpone": lambda: PostponeForm(request.POST, prefix="postpone"),
            "cancel": lambda: CancelForm(request.POST, prefix="cancel")}.get(action)
    if form is None:
        from django.http import Http404

        raise Http404
    form = form()
    if form.is_valid():
        d = form.cleaned_data
        try:
            if action == "reassign":
                to = next(w for w in workers if w.pk == d["worker"])
                services.reassign_task(task=record, to=to, by=request.user, reason=d["reason"])
                done = _("已改派")
            elif action == "postpone":
                services.postpone_task(task=record, to=d["due_on"], by=request.user, reason=d["reason"])
                done = _("已延期")
            else:
                services.cancel_task(task=record, by=request.user, reason=d["reason"])
                done = _("已取消任务")
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"worker": "worker", "due_on": "due_on"})
        else:
            messages.success(request, done)
            return redirect("visits:task", record.pk)
    record.refresh_from_db()
    return render(request, "visits/task.html", _task_context(request, record, (action, form)), status=400)
