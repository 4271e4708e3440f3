"""Reads of the registry, always starting from the user's scope."""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from jiedao.core import tasks as core_tasks
from jiedao.core.access import ensure_perm, get_in_scope
from jiedao.core.crypto import mask_id_number, mask_phone
from jiedao.core.models import User
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Community
from jiedao.registry import colours
from jiedao.registry.filters import ResidentFilter
from jiedao.registry.models import CareColour, Household, Residence, Resident, ResidentTag, Tag


def residents_for(*, user: User) -> QuerySet[Resident]:
    ensure_perm(user, Perm.VIEW_REGISTRY)
    return Resident.objects.within(scope_of(user))


def resident_search(*, user: User, filters: dict | None = None) -> QuerySet[Resident]:
    """找人: current residents in the user's scope (moved-out ones too with ``include_moved_out``), narrowed by
    ``ResidentFilter``: name, address, exact ID number (blind index), phone 尾号, tag, care colour, 居委."""
    qs = residents_for(user=user).select_related("household__building__road", "household__building__community")
    qs = ResidentFilter(filters, queryset=qs, scope=scope_of(user)).qs
    return qs.order_by("household__building__code", "household__room", "pk")


def get_household(*, user: User, household_id: int) -> Household:
    ensure_perm(user, Perm.VIEW_REGISTRY)
    return get_in_scope(
        Household.objects.select_related("building__road", "building__estate", "building__community__area",
                                         "building__grid"),
        user=user, pk=household_id,
    )


def get_resident(*, user: User, resident_id: int) -> Resident:
    ensure_perm(user, Perm.VIEW_REGISTRY)
    return get_in_scope(Resident.objects.select_related("household"), user=user, pk=resident_id)


def household_file(*, household: Household, today: dt.date | None = None) -> dict:
    """一户一档: what the platform knows about one household, for its page and the API.

    ``current_count`` (现住人数) counts the residents living there: someone registered there who lives
    elsewhere (户在人不在) is listed apart (``lives_here`` False). A resident's 迁入日期 comes from their own
    record or, where that is empty, from their stay in this household's history.
    Personal fields come masked; revealing them is a separate, audited request.
    """
    residents = list(household.residents.order_by("moved_out_on", "relation", "pk"))
    tag_names: dict[int, list[str]] = defaultdict(list)
    for resident_id, tag_name in ResidentTag.objects.filter(resident__household=household).values_list(
        "resident_id", "tag__name"
    ):
        tag_names[resident_id].append(tag_name)
    today = today or dt.date.today()
    living = [r for r in residents if r.lives_here]
    history = list(
        Residence.objects.filter(household=household).select_related("resident").order_by("-moved_in_on", "-pk")
    )
    moved_in: dict[int, dt.date] = {}
    for stay in history:  # newest first: a resident's latest stay here
        moved_in.setdefault(stay.resident_id, stay.moved_in_on)
    derived_tags = list(Tag.objects.filter(kind=Tag.Kind.DERIVED).values_list("code", "name"))
    people = []
    for r in residents:
        facts = colours.Facts(r.birth_date, len(living), r.lives_here)
        derived = [] if r.moved_out_on else [
            name for code, name in derived_tags if colours.DERIVED[code].test(facts, today)
        ]
        people.append({
            "resident": r,
            "lives_here": r.lives_here,
            "moved_in_on": r.moved_in_on or moved_in.get(r.pk),
            "id_number_masked": mask_id_number(r.id_number),
            "phone_masked": mask_phone(r.phone),
            "age": colours.age_on(r.birth_date, today),
            "tags": derived + tag_names.get(r.pk, []),
            "entered_tags": tag_names.get(r.pk, []),
        })
    code = household.codes.filter(revoked_at__isnull=True).first()
    return {
        "household": household,
        "people": people,
        "current_count": len(living),
        "history": history,
        "code": code,
        # Sections other modules fill as they arrive (visits, cases, consultations).
        "sections": [],
    }


def colour_counts(*, user: User) -> list[dict]:
    """Counts by care colour and by tag per 居委, within the user's scope (dashboard and plan indicators)."""
    residents = residents_for(user=user).current()
    by_colour = residents.values("household__building__community_id", "care_colour").annotate(n=Count("pk"))
    rows: dict[int, dict] = {}
    names = dict(Community.objects.values_list("pk", "name"))
    for row in by_colour:
        cid = row["household__building__community_id"]
        entry = rows.setdefault(cid, {"community_id": cid, "community": names.get(cid, ""), "total": 0,
                                      "colours": {c: 0 for c in CareColour.values if c}, "tags": {}})
        entry["total"] += row["n"]
        if row["care_colour"]:
            entry["colours"][row["care_colour"]] += row["n"]
    today = dt.date.today()
    for tag in Tag.objects.all():
        counts = residents.filter(colours.tag_q(tag, today)).values("household__building__community_id").annotate(
            n=Count("pk")
        )
        for row in counts:
            entry = rows.get(row["household__building__community_id"])
            if entry is not None:
                entry["tags"][tag.name] = row["n"]
    return sorted(rows.values(), key=lambda e: e["community"])


RECOMPUTE_TASK = "jiedao.registry.tasks.recompute_colours"  # registry.tasks imports the app, so by path


def recompute_run(*, user: User) -> "core_tasks.TaskRun | None":
    """The latest run of the colour recompute (分色重新计算, started by a change of the rules or tags in the
    admin, and daily), for pages that say whether it failed or was cut off; None for a user who may not
    read the registry, or when it has not run."""
    if not has_perm(user, Perm.VIEW_REGISTRY):
        return None
    return core_tasks.latest_task_run(user=user, perm=Perm.VIEW_REGISTRY, task=RECOMPUTE_TASK)


def building_households(*, user: User, building_id: int) -> tuple:
    """A building in the user's scope and its households in door order (for the QR sheet)."""
    from jiedao.geo.models import Building

    ensure_perm(user, Perm.VIEW_REGISTRY)
    building = get_in_scope(Building.objects.select_related("road", "estate", "community"), user=user, pk=building_id)
    households = sorted(Household.objects.filter(building=building), key=lambda h: (len(h.room), h.room))
    return building, households


# ---------------------------------------------------------------------------------- subdistrict figures
# Aggregate counts for one subdistrict, read by the planning elements in ``registry.contributions``. They
# name no person, so they take no user: the indicator pages that show them check their own access.

def residents_on(*, subdistrict_id: int, day: dt.date) -> QuerySet[Resident]:
    """Residents registered in the subdistrict at the end of ``day``: moved in by then (or on a date not
    recorded) and not moved out."""
    return Resident.objects.filter(
        Q(moved_in_on__isnull=True) | Q(moved_in_on__lte=day),
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=day),
        subdistrict_id=subdistrict_id,
    )


def residents_aged(*, subdistrict_id: int, day: dt.date, years: int, living_alone: bool = False) -> int:
    """Residents registered on ``day`` who are at least ``years`` old that day; with ``living_alone``,
    only those who then live in their household as its one resident (独居, as ``colours`` decides it: someone
    户在人不在 neither lives alone there nor keeps the one who does company)."""
    qs = residents_on(subdistrict_id=subdistrict_id, day=day).filter(birth_date__lte=colours.years_before(day, years))
    if living_alone:
        living = residents_on(subdistrict_id=subdistrict_id, day=day).exclude(
            residence_status=Resident.ResidenceStatus.HUKOU_ONLY
        )
        single = living.values("household_id").annotate(n=Count("pk")).filter(n=1).values("household_id")
        qs = qs.exclude(residence_status=Resident.ResidenceStatus.HUKOU_ONLY).filter(household_id__in=single)
    return qs.count()


def households_on(*, subdistrict_id: int, day: dt.date) -> int:
    """Households with at least one resident registered on ``day``."""
    return residents_on(subdistrict_id=subdistrict_id, day=day).values("household_id").distinct().count()


def care_priority_residents(*, subdistrict_id: int) -> int:
    """分色管理重点关照对象: current residents whose care colour is red or yellow. Colours are kept for the
    present only (``registry.colours``), so this is the count as it stands now."""
    return Resident.objects.filter(subdistrict_id=subdistrict_id).current().filter(
        care_colour__in=(CareColour.RED, CareColour.YELLOW)
    ).count()
