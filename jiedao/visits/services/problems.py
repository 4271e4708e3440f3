"""问题处置: a problem found on a visit filed as a case through the cases module's intake (走访发现)."""

from jiedao.core.access import ensure_perm
from jiedao.core.models import User
from jiedao.core.roles import Perm
from jiedao.visits.models import Visit, VisitProblem
from jiedao.visits.models.plan import now


def file_problem(*, visit: Visit, description: str, category: str = "", by: User, n: int,
                 from_assessment: bool = False) -> VisitProblem:
    """问题处置: one problem of a visit filed as a case (channel 走访发现, linked to the household), idempotent by
    the visit and the problem's number (the case's external id), and linked back to the visit."""
    from jiedao.cases import services as case_services
    from jiedao.cases.models import Case

    ensure_perm(by, Perm.REPORT_CASES)
    building = visit.building
    result = case_services.intake(
        subdistrict=visit.subdistrict, channel=Case.Channel.VISIT, description=description, by=by,
        address=f"{building.address}{visit.household.room}室", category=category,
        external_id=f"V{visit.pk}-{n}", household_id=visit.household_id, data={"visit": visit.pk},
    )
    problem, _created = VisitProblem.objects.get_or_create(
        visit=visit, case=result.case,
        defaults={"created_by": by, "from_assessment": from_assessment, "created_at": now()})
    return problem
