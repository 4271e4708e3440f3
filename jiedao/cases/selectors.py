"""Reads of 一网统管: queues, one case with its timeline, and the KPIs (考核指标) with their drill-down.

Every read starts from ``Case.objects.within(scope_of(user))`` (core.scope), so an operator sees the
subdistrict, a handler their department's cases, a grid worker their grid.

KPIs count the timeline's projection on Case (see models): each KPI is a ratio of two counts over one
date column, listed in ``METRICS`` with its numerator and denominator, so that every number on the KPI
page can be opened as the list of cases behind it. Definitions are in docs/cases.md.
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, IntegerField, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.db.models.functions import TruncDay, TruncMonth, TruncQuarter, TruncWeek, TruncYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedao.cases import search
from jiedao.cases.models import IN_HAND_STATUSES, OPEN_STATUSES, Case, CaseEvent, Category, Channel, Status
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.roles import Perm, ScopeLevel, has_perm
from jiedao.core.scope import scope_of

# ------------------------------------------------------------------------------------------------ queues

SORTS = {
    "overdue": None,  # 超期优先: overdue first, then the nearest time limit, then the newest
    "-reported_at": ("-reported_at", "-id"),
    "reported_at": ("reported_at", "id"),
    "handle_due": (F("handle_due").asc(nulls_last=True), "-id"),
    "number": ("number",),
    "-id": ("-id",),  # not offered on the page: a search's "newest first" (see queue)
}


@dataclass
class QueueFilters:
    status: str = ""          # a Status value, "open" (default), "all", or "overdue"
    q: str = ""               # number, 12345 工单编号, words of the text or address
    category: str = ""        # category code
    department: int | None = None
    area: int | None = None
    community: int | None = None
    grid: int | None = None
    channel: str = ""
    urgent: bool | None = None
    needs_placement: bool | None = None
    duplicates: bool | None = None  # only cases flagged as possible duplicates
    sort: str = "overdue"


HISTORY_TABS = ("all", Status.CLOSED)  # the tabs that grow with the years


def cases_for(*, user):
    ensure_perm(user, Perm.VIEW_CASES)
    return Case.objects.within(scope_of(user))


def queue(*, user, filters: QueueFilters | None = None, now: dt.datetime | None = None,
          text_common: bool | None = None, counting: bool = False, exact: list[int] | None = None):
    """The operator's (or handler's, or grid worker's) list of cases, filtered and sorted.

    For a text search over the history (see cases.search.text_filter): ``text_common`` tells whether the
    search is known to find more than a page of cases, ``counting`` asks for the cases to count them by,
    ``exact`` gives the search's exact matches if they were looked up already (``exact_matches``)."""
    f = filters or QueueFilters()
    now = now or timezone.now()
    qs = cases_for(user=user).select_related("category", "department", "community", "grid")
    status = f.status or "open"
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "overdue":
        qs = qs.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now)
    elif status != "all":
        if status not in Status.values:
            raise ValidationError({"status": _("未知的状态：%(s)s") % {"s": status}})
        qs = qs.filter(status=status)
    q = _search_text(f)
    # Open (and cancelled) cases are a few thousand however large the history: reading them through the
    # status index beats any other. Over the history (all, closed), a search goes through the bigram index.
    history = status in HISTORY_TABS
    by_index = False
    if q:
        where, by_index = _text_search(user, q, indexed=history, common=text_common, counting=counting,
                                       exact=exact)
        qs = qs.filter(where)
    if f.category:
        category_id = Category.objects.filter(code=f.category).values_list("pk", flat=True).first()
        qs = qs.filter(effective_category_id=category_id)  # the operator's category, else the suggestion
    for field in ("department", "area", "community", "grid"):
        value = getattr(f, field)
        if value:
            qs = qs.filter(**{f"{field}_id": value})
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.urgent is not None:
        qs = qs.filter(urgent=f.urgent)
    if f.needs_placement is not None:
        qs = qs.filter(needs_placement=f.needs_placement)
    if f.duplicates:
        qs = qs.filter(possible_duplicate_of__isnull=False)
    sort = f.sort if f.sort in SORTS else "overdue"
    if sort == "overdue" and status in ("all", Status.CLOSED, Status.CANCELLED):
        # Nothing there runs against a time limit: newest first. A search through the bigram index lists
        # them newest received first (by id, the order the index hands them over), so that the page need
        # not read and sort every match.
        sort = "-id" if by_index else "-reported_at"
    if sort == "overdue":
        overdue_first = When_(
            When(status__in=IN_HAND_STATUSES, handle_due__lt=now, then=Value(0)),
            When(urgent=True, then=Value(1)),
            default=Value(2), output_field=IntegerField(),
        )
        return qs.order_by(overdue_first, F("handle_due").asc(nulls_last=True), "-reported_at", "-id")
    return qs.order_by(*SORTS[sort])


# What a row of the queue shows (cases/queue.html, views.queue._row): only these are read. Building fifty
# full cases with their places (outlines included) costs more than querying them. A field not listed here
# still works, at the cost of one query per row.
QUEUE_ROW_FIELDS = (
    "number", "status", "urgent", "possible_duplicate_of_id", "extension_pending", "description", "address",
    "needs_placement", "reported_at", "handle_due", "category__name", "suggested_category__name",
    "department__name", "community__name", "grid__name",
)


SEARCH_RECENT = 10_000  # cases read newest first before a search's count turns to the index (search_count)


def history_search(*, user, filters: QueueFilters, now: dt.datetime, cap: int) -> tuple:
    """A text search over the history: its cases, listed as suits how many there are, and their count up
    to ``cap + 1``. The count comes first (``search_count``); the exact matches are looked up once."""
    exact = exact_matches(user=user, q=_search_text(filters))
    found = search_count(user=user, filters=filters, now=now, cap=cap, exact=exact)
    return queue(user=user, filters=filters, now=now, text_common=found > cap, exact=exact), found


def search_count(*, user, filters: QueueFilters, now: dt.datetime, cap: int,
                 exact: list[int] | None = None) -> int:
    """How many cases a text search of the queue finds, counted up to ``cap + 1`` (more is "more than cap").

    Counted through the bigram index where that is cheaper than in the page's order (cases.search), so
    that a word in 1 % of the cases costs a few thousand index entries, not 100,000 cases read in order.
    The caller then knows whether the word fills more than the capped pages, and lists its cases accordingly
    (``queue(text_common=...)``)."""
    if exact is None:
        exact = exact_matches(user=user, q=_search_text(filters))
    if search.count_in_order(_search_text(filters)):
        return queue(user=user, filters=filters, now=now, counting=True, exact=exact).values("pk")[: cap + 1].count()
    # A word in more than a few % of the cases (a street: 兰溪路) has cap + 1 matches among the newest
    # SEARCH_RECENT cases, found by reading them, where the index first gathers the lists of its bigrams
    # in full, and a street's are long (docs/cases.md, "measurements"). Only if it has not, the index counts.
    newest = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    recent = queue(user=user, filters=filters, now=now, text_common=True, exact=exact) \
        .filter(pk__gt=newest - SEARCH_RECENT)
    if recent.order_by().values("pk")[: cap + 1].count() > cap:
        return cap + 1
    counted = queue(user=user, filters=filters, now=now, counting=True, exact=exact)
    return counted.order_by().values("pk")[: cap + 1].count()


def queue_rows(*, ids: list[int]) -> list[Case]:
    """The cases of one page of a queue (``ids``, taken from ``queue``, so within the user's scope), in that
    order, with what a row of the queue shows."""
    cases = Case.objects.select_related(
        "category", "suggested_category", "department", "community", "grid",
    ).only(*QUEUE_ROW_FIELDS).in_bulk(ids)
    return [cases[pk] for pk in ids if pk in cases]


def _search_text(filters: QueueFilters) -> str:
    return (filters.q or "").strip()[:100]


def exact_matches(*, user, q: str) -> list[int]:
    """The ids of the cases whose number or 12345 工单编号 is ``q``, each looked up on its own index (the
    order number's partial index: every channel named, its condition spelled as the index's)."""
    mine = cases_for(user=user)
    exact = list(mine.filter(number=q).values_list("pk", flat=True)[:5])
    exact += mine.filter(channel__in=Channel.values, external_id=q).exclude(external_id="").values_list(
        "pk", flat=True)[:5]
    return exact


def _text_search(user, q: str, *, indexed: bool, common: bool | None = None, counting: bool = False,
                 exact: list[int] | None = None) -> tuple[Q, bool]:
    """A case number or 12345 工单编号 exactly, or words of the text or address (through cases.search).
    The exact matches are looked up first (``exact_matches``), so that the OR below is over case ids, not
    over columns that no single index covers."""
    if exact is None:
        exact = exact_matches(user=user, q=q)
    if indexed:
        words, by_index = search.text_filter(q, common=common, counting=counting)
    else:
        words, by_index = search.contains(q), False
    return (Q(pk__in=exact) | words if exact else words), by_index


def case_detail(*, user, pk: int) -> Case:
    """One case within the user's scope (404 unknown, 403 outside scope, audited)."""
    ensure_perm(user, Perm.VIEW_CASES)
    qs = Case.objects.select_related(
        "category", "suggested_category", "department", "process", "area", "community", "grid", "building__road",
        "possible_duplicate_of", "duplicate_of",
    )
    return get_in_scope(qs, user=user, pk=pk)


def case_by_number(*, user, number: str) -> Case:
    """A case by its number: 404 when no such case exists, 403 (audited) when it lies outside the scope."""
    ensure_perm(user, Perm.VIEW_CASES)
    found = list(Case.objects.filter(number=str(number)[:20]).values_list("pk", flat=True)[:2])
    if not found:
        from django.http import Http404

        raise Http404
    mine = Case.objects.within(scope_of(user)).filter(pk__in=found).values_list("pk", flat=True).first()
    return case_detail(user=user, pk=mine if mine is not None else found[0])


def resident_cases(*, user):
    """A resident's own reports: the reporter link is the whole of their access (no area scope applies)."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(subdistrict_id=user.subdistrict_id, reporter=user)


def timeline(*, case: Case, photos: bool = True) -> QuerySet[CaseEvent]:
    """The case's events in order, with their department, and with their photos unless ``photos`` is false
    (the case page reads the case's photos once and hands each event its own)."""
    events = CaseEvent.objects.filter(case=case).select_related("department").order_by("at", "id")
    return events.prefetch_related("attachments") if photos else events


def categories():
    return Category.objects.filter(active=True).order_by("family", "code")


# The classifier's other guesses below this confidence are noise to the operator ("噪音扰民 0%"): not shown.
ALTERNATIVE_FLOOR = 0.05


def suggestion_shown(suggestion: dict | None) -> dict | None:
    """The classifier's suggestion as a page shows it: the category (its English name in English), its
    confidence in whole percent, and the alternatives worth a look (ALTERNATIVE_FLOOR and above)."""
    if not suggestion or not suggestion.get("category"):
        return None
    confidence = suggestion.get("confidence")
    return {
        "code": suggestion.get("code", ""), "category": _(suggestion["category"]),
        "pct": round(100 * confidence) if confidence is not None else None,
        "alternatives": [{"category": _(a["category"]), "pct": round(100 * a["confidence"])}
                         for a in suggestion.get("alternatives", [])
                         if a.get("category") and (a.get("confidence") or 0) >= ALTERNATIVE_FLOOR],
    }


MERGEABLE = (Status.NEW, Status.REGISTERED)  # the closed loop's merge step (services.TRANSITIONS["merge"])


def duplicates_shown(*, user, case: Case) -> dict:
    """疑似重复 as a case's page shows it: the likely earlier reports of the same incident
    (services.duplicate_matches, likeliest first), each with its number, status, probability in whole per
    cent, reasons in words and the beginning of its text, and the case intake flagged even when it is no
    longer a candidate; whether this user may answer the flag now (合并 / 不是重复, an operator while the
    flag is open) and merge (while the case is 待立案 or 待派遣). A case the user cannot see is left out,
    as if it did not exist: read through the user's scope in the query that brings the texts."""
    from jiedao.cases.services.duplicates import duplicate_matches

    flagged = case.possible_duplicate_of_id
    # Answered once: a merged case keeps its flag (it says what intake thought), so its decision closes it.
    can_decide = (flagged is not None and case.duplicate_accepted is None and case.status != Status.CANCELLED
                  and has_perm(user, Perm.OPERATE_CASES))
    out = {"matches": [], "flagged": flagged is not None, "can_decide": can_decide,
           "can_merge": can_decide and case.status in MERGEABLE}
    matches = duplicate_matches(case=case)
    ids = [m.case_id for m in matches] + ([flagged] if flagged and flagged not in {m.case_id for m in matches} else [])
    if not ids:
        return out
    shown = cases_for(user=user).only("number", "description", "status").in_bulk(ids)
    for m in matches:
        if m.case_id in shown:
            out["matches"].append({
                "number": m.number, "status": shown[m.case_id].get_status_display(),
                "pct": round(100 * m.probability), "reasons": m.reasons_text,
                "description": shown[m.case_id].description, "flagged": m.case_id == flagged,
            })
    if flagged in shown and not any(m["flagged"] for m in out["matches"]):
        # No longer a candidate (handled, suspended or merged since): named, with no score to give.
        other = shown[flagged]
        out["matches"].append({"number": other.number, "status": other.get_status_display(), "pct": None,
                               "reasons": "", "description": other.description, "flagged": True})
    return out


# The event data that name another case by its number (the case merged into, the flagged case): a page or an
# answer shows them only to a user who may see that case (visible_numbers).
NUMBER_KEYS = ("into", "possible_duplicate_of", "candidate")


def numbers_named(*, case: Case, events) -> set[str]:
    """The numbers of the other cases ``case`` and its timeline ``events`` name: its flagged case, the case it
    was merged into, and those its events' data mention."""
    named = {(e.data or {}).get(k) for e in events for k in NUMBER_KEYS}
    named |= {c.number for c in (case.possible_duplicate_of, case.duplicate_of) if c is not None}
    return {n for n in named if n}


def visible_numbers(*, user, case: Case, numbers) -> set[str]:
    """Which of ``numbers`` (cases of ``case``'s subdistrict that a page names: the flagged case, the case
    merged into) the user may see; a number outside their scope is not shown, so as not to tell them it
    exists. No query for a user who sees the whole subdistrict."""
    numbers = {n for n in numbers if n}
    scope = scope_of(user)
    whole = scope.is_all or (scope.level == ScopeLevel.SUBDISTRICT and scope.subdistrict_id == case.subdistrict_id)
    if not numbers or whole:
        return numbers
    return set(cases_for(user=user).filter(subdistrict_id=case.subdistrict_id, number__in=numbers)
               .values_list("number", flat=True))


def visible_ids(*, user, ids, subdistrict_ids) -> set[int]:
    """Which of the case ids ``ids`` (of the subdistricts ``subdistrict_ids``) the user may see: one query,
    none when their scope is every case, or the whole of the one subdistrict the cases are of."""
    ids, scope = set(ids), scope_of(user)
    whole = scope.level == ScopeLevel.SUBDISTRICT and set(subdistrict_ids) == {scope.subdistrict_id}
    if not ids or scope.is_all or whole:
        return ids
    return set(cases_for(user=user).filter(pk__in=ids).values_list("pk", flat=True))


PREVIEW_MIN_TEXT = 4  # fewer characters tell the classifier nothing


def intake_preview(*, user, description: str, address: str = "", category: str = "",
                   reported_at: dt.datetime | None = None) -> dict:
    """What intake would make of an order before it is saved, for the 12345 desk form: the classifier's
    suggestion, the building and grid the address resolves to, and the open cases it likely repeats, with
    how likely and why (services.duplicate_matches, the scorer intake's flag comes from), those in the
    user's scope only. Nothing is written."""
    from jiedao.cases import classifier
    from jiedao.cases.services.duplicates import duplicate_matches
    from jiedao.cases.services.placement import place_case
    from jiedao.geo.address import parse_and_resolve

    ensure_perm(user, Perm.OPERATE_CASES)
    description, address = (description or "").strip()[:2000], (address or "").strip()[:200]
    out: dict = {"suggestion": None, "address": None, "duplicates": []}
    # The duplicate search looks back from the time of the call, as intake will.
    case = Case(subdistrict_id=user.subdistrict_id, description=description, address=address,
                reported_at=reported_at or timezone.now())
    if len(description) >= PREVIEW_MIN_TEXT:
        found = classifier.classify(description)
        if found is not None:
            case.suggestion = {  # as intake records it: the duplicate scorer compares the categories
                "category": found.category, "code": found.code, "confidence": found.confidence,
                "alternatives": [{"category": n, "confidence": c} for n, c in found.alternatives]}
            out["suggestion"] = suggestion_shown(case.suggestion)
    if category:
        case.category = Category.objects.filter(code=category, active=True).first()
    if address:
        parsed = parse_and_resolve(address, user=user)
        place_case(case=case)
        out["address"] = {"building": parsed["building_address"], "message": parsed["message"],
                          "place": None if case.needs_placement else _place_name(case)}
    if user.subdistrict_id is None or len(description) < PREVIEW_MIN_TEXT:
        return out
    matches = duplicate_matches(case=case)
    shown = cases_for(user=user).only("description", "status").in_bulk([m.case_id for m in matches])
    out["duplicates"] = [{
        "number": m.number, "status": shown[m.case_id].get_status_display(),
        "reported_at": timezone.localtime(m.reported_at).strftime("%Y-%m-%d %H:%M"),
        "description": shown[m.case_id].description[:80], "pct": round(100 * m.probability),
        "reasons": m.reasons_text,
    } for m in matches if m.case_id in shown]
    return out


def _place_name(case: Case) -> str:
    from jiedao.geo.models import Grid

    grid = Grid.objects.select_related("community").filter(pk=case.grid_id).first()
    return f"{grid.community.name} {grid.name}" if grid else ""


def queue_counts(*, user, now: dt.datetime | None = None) -> dict:
    """The queue's tabs: how many cases wait at each step, and how many are overdue."""
    now = now or timezone.now()
    qs = cases_for(user=user).filter(status__in=(*OPEN_STATUSES, Status.SUSPENDED))
    counts = dict(qs.values_list("status").annotate(n=Count("id")))
    counts["overdue"] = qs.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now).count()
    return counts


# ------------------------------------------------------------------------------------------------ KPIs


@dataclass(frozen=True)
class Metric:
    key: str
    label: object
    date: str                 # the date column that puts a case in a period
    denominator: Q            # which cases of the period count
    numerator: Q | None = None  # for a rate: which of those are "good"; None for a plain count
    unit: str = ""
    definition: object = ""   # what the KPI page says it counts, in words (the same as docs/cases.md)


_CLOSED = Q(status=Status.CLOSED)
METRICS: dict[str, Metric] = {m.key: m for m in [
    Metric("registered", gettext_lazy("立案数"), "registered_at", Q(),
           definition=gettext_lazy("本期首次立案的案件数")),
    Metric("closed", gettext_lazy("结案数"), "closed_at", _CLOSED,
           definition=gettext_lazy("本期结案、目前仍为已结案的案件数")),
    Metric("close_rate", gettext_lazy("结案率"), "registered_at", ~Q(status=Status.CANCELLED), _CLOSED, "%",
           gettext_lazy("本期立案的案件（不含作废）中，目前已结案的比例")),
    Metric("on_time_rate", gettext_lazy("按时办结率"), "closed_at", _CLOSED, Q(closed_on_time=True), "%",
           gettext_lazy("本期结案的案件中，最后一次处置反馈不晚于办理时限（含批准的延期）的比例")),
    Metric("first_contact_rate", gettext_lazy("先行联系率"), "dispatched_at", Q(first_contact_due__isnull=False),
           Q(first_contacted_at__lte=F("first_contact_due")), "%",
           gettext_lazy("本期首次派遣、流程要求先行联系的案件中，在时限内先行联系的比例")),
    Metric("rework_rate", gettext_lazy("返工率"), "closed_at", _CLOSED, Q(rework_count__gt=0), "%",
           gettext_lazy("本期结案的案件中，至少返工一次的比例")),
    Metric("extension_rate", gettext_lazy("延期率"), "closed_at", _CLOSED, Q(extended=True), "%",
           gettext_lazy("本期结案的案件中，经批准延期的比例")),
    Metric("satisfaction_rate", gettext_lazy("满意率"), "rated_at", Q(rating__isnull=False), Q(rating__gte=2), "%",
           gettext_lazy("本期回访评价的案件中，评价为满意或基本满意的比例")),
    Metric("duplicate_rate", gettext_lazy("重复投诉率"), "reported_at", Q(), Q(duplicate_of__isnull=False), "%",
           gettext_lazy("本期上报的案件中，作为重复件合并到其他案件的比例")),
]}
AVG_HOURS = "avg_handling_hours"  # 平均处置时长: mean of 结案时间 − 首次派遣时间 over cases closed in the period
OVERDUE = "overdue_open"           # 超期在办数: cases in a department's hands past their time limit, now
# 疑似重复采纳率: of the flags the operators answered, the share merged; by month of 上报时间, on the KPI page
# beside the 12-month trend (counted by services.duplicate_acceptance, see docs/duplicates.md).
DUPLICATE_ACCEPTANCE = "duplicate_acceptance"
DEFINITIONS = {
    AVG_HOURS: gettext_lazy("本期结案的案件，从首次派遣到结案的平均小时数"),
    OVERDUE: gettext_lazy("目前在处置部门手中（待签收、处置中）且已过办理时限的案件数"),
    DUPLICATE_ACCEPTANCE: gettext_lazy("按上报月份：受理时标记为疑似重复的案件中，操作员已判定的（合并或不是重复），"
                                       "判定合并为重复件的比例；尚未判定的不计入"),
}

DIMENSIONS = {  # group by → (the Case field, the label's field)
    "department": ("department", "department__name"),
    "area": ("area", "area__name"),
    "community": ("community", "community__name"),
    "grid": ("grid", "grid__name"),
    "category": ("category", "category__name"),
    "channel": ("channel", "channel"),  # 来源渠道: the label is the channel's name (channel_label)
}
BY_ERROR = gettext_lazy("分组应为 department、area、community、grid、category 或 channel")


def channel_label(value: str | None) -> str | None:
    """The name of a channel value in the current language (走访发现 / Found on a visit …)."""
    return str(Channel(value).label) if value in Channel.values else value


def _group_key(by: str, key):
    """The drill-down's group key as the dimension stores it: a channel value, else an id (None: the group
    without one)."""
    if key in (None, ""):
        return None
    if by == "channel":
        if key not in Channel.values:
            raise ValidationError({"key": _("未知的来源渠道：%(c)s") % {"c": key}})
        return key
    try:
        return int(key)
    except (TypeError, ValueError):
        raise ValidationError({"key": _("分组编号应为整数")}) from None
PERIODS = {"day": TruncDay, "week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def period_bounds(*, period: str, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The local-time period (day/week/month/quarter/year) containing ``day``, as [start, end)."""
    if period == "day":
        start = day
        end = day + dt.timedelta(days=1)
    elif period == "week":
        start = day - dt.timedelta(days=day.weekday())
        end = start + dt.timedelta(days=7)
    elif period == "month":
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1)
    elif period == "quarter":
        start = day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
        end = (start + dt.timedelta(days=95)).replace(day=1)
    elif period == "year":
        start, end = day.replace(month=1, day=1), day.replace(year=day.year + 1, month=1, day=1)
    else:
        raise ValidationError({"period": _("周期应为 day、week、month、quarter 或 year")})
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(dt.datetime.combine(start, dt.time()), tz),
            timezone.make_aware(dt.datetime.combine(end, dt.time()), tz))


def _families():
    families: dict[str, list[Metric]] = {}
    for metric in METRICS.values():
        families.setdefault(metric.date, []).append(metric)
    return families


def kpis(*, user, start: dt.datetime, end: dt.datetime, by: str = "", bucket: str = "",
         now: dt.datetime | None = None) -> dict:
    """Every KPI for cases in the user's scope over [start, end), grouped by a dimension (``by``) and/or
    a time bucket (``bucket``: day/week/month/quarter/year). One grouped query per date column."""
    ensure_perm(user, Perm.VIEW_CASE_KPIS)
    if by and by not in DIMENSIONS:
        raise ValidationError({"by": str(BY_ERROR)})
    if bucket and bucket not in PERIODS:
        raise ValidationError({"bucket": _("周期应为 day、week、month、quarter 或 year")})
    if end <= start:
        raise ValidationError({"end": _("结束时间应晚于开始时间")})
    now = now or timezone.now()
    base = Case.objects.within(scope_of(user))
    rows: dict[tuple, dict] = {}
    labels: dict = {}

    def keys_for(date_field: str) -> dict:
        keys = {}
        if by:
            field, label = DIMENSIONS[by]
            keys["key"], keys["label"] = F(field), F(label)
        if bucket:
            keys["bucket"] = PERIODS[bucket](date_field)
        return keys

    def add(row_values: dict, values: dict) -> None:
        key = (row_values.get("key"), _bucket_key(row_values.get("bucket")))
        if by:
            labels[key[0]] = row_values.get("label")
        rows.setdefault(key, {}).update(values)

    for date_field, metrics in _families().items():
        aggregates = {}
        for m in metrics:
            aggregates[f"{m.key}__d"] = Count("id", filter=m.denominator)
            if m.numerator is not None:
                aggregates[f"{m.key}__n"] = Count("id", filter=m.denominator & m.numerator)
        if date_field == "closed_at":
            aggregates[AVG_HOURS] = Avg(ExpressionWrapper(F("closed_at") - F("dispatched_at"),
                                                          output_field=DurationField()),
                                        filter=_CLOSED & Q(dispatched_at__isnull=False))
        qs = base.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        keys = keys_for(date_field)
        if keys:
            for values in qs.values(**keys).annotate(**aggregates).order_by():
                add(values, {k: values[k] for k in aggregates})
        else:
            add({}, qs.aggregate(**aggregates))
    overdue_qs = base.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now)
    if by:
        field, label = DIMENSIONS[by]
        for values in overdue_qs.values(key=F(field), label=F(label)).annotate(n=Count("id")).order_by():
            labels[values["key"]] = values["label"]
            rows.setdefault((values["key"], None) if not bucket else (values["key"], "now"), {})[OVERDUE] = values["n"]
    else:
        rows.setdefault((None, None) if not bucket else (None, "now"), {})[OVERDUE] = overdue_qs.count()

    out = []
    for (key, bucket_key), values in rows.items():
        label = labels.get(key) if by else None
        if by == "channel":
            label = channel_label(label)
        out.append({"key": key, "label": label, "bucket": bucket_key,
                    "metrics": _finish(values)})
    out.sort(key=lambda r: (str(r["bucket"] or ""), r["label"] or "", r["key"] or 0))
    return {"start": start, "end": end, "by": by, "bucket": bucket, "rows": out,
            "total": _finish(_sum(rows.values()))}


def subdistrict_metric(*, subdistrict_id: int, metric: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(numerator, denominator) of one KPI over a whole subdistrict, from ``start`` to ``end`` (both days
    included, local time), by the same definitions as the KPI page (``METRICS``). Aggregate counts with
    no person in them, for planning's data elements (``cases.contributions``), so no user."""
    m = METRICS[metric]
    tz = timezone.get_current_timezone()
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()), tz)
    until = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()), tz)
    qs = Case.objects.filter(m.denominator, subdistrict_id=subdistrict_id,
                             **{f"{m.date}__gte": since, f"{m.date}__lt": until})
    counts = qs.aggregate(d=Count("id"), n=Count("id", filter=m.numerator if m.numerator is not None else Q()))
    return counts["n"], counts["d"]


def monthly_counts(*, user, months: list[dt.date]) -> dict[str, list[int]]:
    """立案数 and 结案数 for each month starting at ``months[i]`` (local time): one indexed range count per
    month and column, which stays fast at millions of cases where grouping by a truncated date does not."""
    ensure_perm(user, Perm.VIEW_CASE_KPIS)
    base = Case.objects.within(scope_of(user))
    tz = timezone.get_current_timezone()
    out: dict[str, list[int]] = {"registered": [], "closed": []}
    for first in months:
        start = timezone.make_aware(dt.datetime.combine(first, dt.time()), tz)
        end = timezone.make_aware(dt.datetime.combine((first + dt.timedelta(days=32)).replace(day=1), dt.time()), tz)
        out["registered"].append(base.filter(registered_at__gte=start, registered_at__lt=end).count())
        out["closed"].append(base.filter(METRICS["closed"].denominator, closed_at__gte=start, closed_at__lt=end)
                             .count())
    return out


def _bucket_key(value):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date().isoformat() if timezone.is_aware(value) else value.date().isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _sum(groups) -> dict:
    total: dict = {}
    hours_weight = []
    for values in groups:
        for k, v in values.items():
            if k == AVG_HOURS:
                if v is not None:
                    hours_weight.append((v, values.get("closed__d") or 0))
                continue
            total[k] = total.get(k, 0) + (v or 0)
    weight = sum(w for _v, w in hours_weight)
    if weight:
        total[AVG_HOURS] = sum((v * w for v, w in hours_weight), dt.timedelta()) / weight
    return total


def _finish(values: dict) -> dict:
    """Counts and rates from the raw aggregates: a rate is None (not 0) when its denominator is 0."""
    out = {}
    for m in METRICS.values():
        d = values.get(f"{m.key}__d") or 0
        if m.numerator is None:
            out[m.key] = d
        else:
            n = values.get(f"{m.key}__n") or 0
            out[m.key] = {"numerator": n, "denominator": d, "rate": round(100 * n / d, 1) if d else None}
    avg = values.get(AVG_HOURS)
    out[AVG_HOURS] = round(_hours(avg), 1) if avg is not None else None
    out[OVERDUE] = values.get(OVERDUE, 0)
    return out


def _hours(value) -> float:
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 3600
    return float(value) / 3_600_000_000  # microseconds, as some backends return a duration average


def kpi_cases(*, user, metric: str, part: str = "numerator", start: dt.datetime, end: dt.datetime,
              by: str = "", key: int | str | None = None, now: dt.datetime | None = None):
    """The cases behind one number of the KPI page (drill-down): a metric's numerator or denominator,
    in the period, optionally within one group."""
    ensure_perm(user, Perm.VIEW_CASE_KPIS)
    qs = Case.objects.within(scope_of(user)).select_related("category", "department", "community")
    if metric == OVERDUE:
        qs = qs.filter(status__in=IN_HAND_STATUSES, handle_due__lt=now or timezone.now())
    elif metric == AVG_HOURS:
        qs = qs.filter(_CLOSED, dispatched_at__isnull=False, closed_at__gte=start, closed_at__lt=end)
    else:
        m = METRICS.get(metric)
        if m is None:
            raise ValidationError({"metric": _("未知的指标：%(m)s") % {"m": metric}})
        qs = qs.filter(m.denominator, **{f"{m.date}__gte": start, f"{m.date}__lt": end})
        if part == "numerator" and m.numerator is not None:
            qs = qs.filter(m.numerator)
        elif part == "outside" and m.numerator is not None:
            qs = qs.exclude(m.numerator)
    if by:
        if by not in DIMENSIONS:
            raise ValidationError({"by": str(BY_ERROR)})
        qs = qs.filter(**{DIMENSIONS[by][0]: _group_key(by, key)})
    return qs.order_by("-reported_at", "-id")
