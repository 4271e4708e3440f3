"""Projects with lead unit, status and progress; quarterly reports and their attachments."""

from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate

from jiedao.core.access import get_in_scope
from jiedao.core.api_frame import require
from jiedao.core.roles import Perm
from jiedao.planning import selectors, services
from jiedao.planning.api.common import period_or_none, plans_for
from jiedao.planning.models import ProgressReport
from jiedao.planning.selectors import ProjectRow

router = Router(tags=["planning"])


# -------------------------------------------------------------------------------------------- projects
class ProjectOut(Schema):
    id: int
    plan: int
    code: str
    name: str
    chapter: int | None
    category: str
    table: int | None
    row: int | None
    lead_unit: str | None
    lead_unit_code: str | None
    status: str
    status_label: str
    progress: int | None
    planned_progress: float
    health: str
    health_label: str
    last_report: str | None


class TargetOut(Schema):
    year: int
    target: str
    progress: int


class MilestoneOut(Schema):
    name: str
    due: str
    done_on: str | None


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    content_type: str


class ReportOut(Schema):
    id: int
    period: str
    year: int
    quarter: int
    progress: int
    status: str
    note: str
    public_note: str
    reporter: str
    unit: str | None
    attachments: list[AttachmentOut]


class ProjectDetailOut(ProjectOut):
    description: str
    public_summary: str
    source_text: str
    start_year: int
    end_year: int
    targets: list[TargetOut]
    milestones: list[MilestoneOut]
    reports: list[ReportOut]


def _project_out(row: ProjectRow) -> dict:
    p = row.project
    return {
        "id": p.pk, "plan": p.plan_id, "code": p.code, "name": p.name,
        "chapter": p.chapter.number if p.chapter_id else None, "category": p.category, "table": p.table_number,
        "row": p.table_row, "lead_unit": p.lead_unit.name if p.lead_unit_id else None,
        "lead_unit_code": p.lead_unit.code if p.lead_unit_id else None, "status": row.status,
        "status_label": row.status_label, "progress": row.progress, "planned_progress": float(row.planned),
        "health": row.health, "health_label": row.health_label,
        "last_report": row.report.period.code if row.report else None,
    }


def _report_out(report: ProgressReport) -> dict:
    return {
        "id": report.pk, "period": report.period.code, "year": report.year, "quarter": report.quarter,
        "progress": report.progress, "status": report.status, "note": report.note, "public_note": report.public_note,
        "reporter": report.reporter_name, "unit": report.unit.name if report.unit_id else None,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size, "content_type": a.content_type}
                        for a in report.attachments.all()],
    }


@router.get("/projects", response=list[ProjectOut], summary="项目（含牵头单位、状态与进度）")
@paginate(LimitOffsetPagination)
def projects(request, plan: int | None = None, chapter: int | None = None, status: str | None = None,
             category: str | None = None, lead_unit: int | None = None, period: str | None = None):
    require(request, Perm.VIEW_PLANNING)
    as_of = period_or_none(period)
    filters = {"chapter": chapter, "status": status, "category": category, "lead_unit": lead_unit}
    return [
        _project_out(row) for p in plans_for(request, plan)
        for row in selectors.project_rows(user=request.user, plan=p, as_of=as_of, filters=filters)
    ]


def _project_detail(project) -> dict:
    row = selectors.project_detail(project=project)
    return {
        **_project_out(row), "description": project.description, "public_summary": project.public_summary,
        "source_text": project.source_text, "start_year": project.start_year, "end_year": project.end_year,
        "targets": [{"year": t.year, "target": t.target, "progress": t.progress} for t in project.annual_targets.all()],
        "milestones": [
            {"name": m.name, "due": m.due.isoformat(), "done_on": m.done_on.isoformat() if m.done_on else None}
            for m in project.milestones.all()
        ],
        "reports": [_report_out(r) for r in row.reports],
    }


@router.get("/projects/{project_id}", response=ProjectDetailOut, summary="项目详情、年度目标、里程碑与进展报告")
def project_detail(request, project_id: int):
    require(request, Perm.VIEW_PLANNING)
    return _project_detail(selectors.get_project(user=request.user, project_id=project_id))


class ReportIn(Schema):
    year: int
    quarter: int
    progress: int
    status: str
    note: str = ""
    public_note: str = ""


@router.post("/projects/{project_id}/reports", response=ReportOut, summary="填报项目季度进展（牵头单位）")
def submit_report(request, project_id: int, body: ReportIn):
    project = selectors.get_project(user=request.user, project_id=project_id)
    report = services.submit_progress_report(
        project=project, by=request.user, year=body.year, quarter=body.quarter, progress=body.progress,
        status=body.status, note=body.note, public_note=body.public_note,
    )
    return _report_out(report)


@router.post("/reports/{report_id}/attachments", response=AttachmentOut, summary="为进展报告上传附件（牵头单位）")
def upload_attachment(request, report_id: int, file: UploadedFile = File(...)):  # noqa: B008 - ninja's idiom
    report = get_in_scope(ProgressReport.objects.select_related("project__lead_unit"), user=request.user, pk=report_id)
    item = services.add_attachment(report=report, upload=file, by=request.user)
    return {"id": item.pk, "name": item.name, "size": item.size, "content_type": item.content_type}
