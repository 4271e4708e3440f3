"""The evaluation report as an XLSX workbook (openpyxl): overview with a chart, indicators, projects,
who has not reported, and the narrative."""

import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jiedao.planning.reports import Report, health_labels, year_point
from jiedao.planning.selectors import format_number


def available() -> bool:
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        return False
    return True


def workbook_bytes(report: Report) -> bytes:
    """The workbook for ``report``; needs openpyxl (a dependency of the project)."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="E4E7EB")
    wb = Workbook()

    ws = wb.active
    ws.title = _("概况")
    _append(ws, [report.title])
    ws["A1"].font = Font(bold=True, size=14)
    _append(ws, [_("报告期"), report.as_of.label])
    _append(ws, [])
    _append(ws, [_("状态"), _("指标数"), _("项目数")])
    start = ws.max_row
    labels = health_labels()
    for health, n in report.indicator_counts.items():
        _append(ws, [labels[health], n, report.project_counts.get(health, 0)])
    end = ws.max_row
    for cell in ws[start]:
        cell.font, cell.fill = bold, head_fill
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("指标与项目状态")
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=start, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=end))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "E2")
    ws.column_dimensions["A"].width = 22

    ws = wb.create_sheet(_("指标"))
    header = [_("章"), _("指标"), _("单位"), _("属性"), _("来源"), _("牵头单位"), _("基线值"), _("基线年份"),
              _("目标值"), _("目标年份"), *[str(y) for y in report.years], _("最新值"), _("报告期"), _("状态"),
              _("趋势"), _("说明")]
    _append(ws, header)
    for row in report.indicators:
        ind = row.indicator
        target = format_number(ind.target) if ind.target is not None else (ind.target_note or "")
        years = []
        for y in report.years:
            p = year_point(row, y)
            years.append(p.display if p else "")
        _append(ws, [
            str(ind.chapter) if ind.chapter_id else "", ind.name, ind.unit or _("是/否"), ind.get_binding_display(),
            ind.get_source_display(), ind.lead_unit.name if ind.lead_unit_id else "",
            float(ind.baseline) if ind.baseline is not None else "", ind.baseline_year or "", target,
            ind.target_year or "", *years, row.latest.display if row.latest else "",
            row.latest.period.label if row.latest else "", row.health_label, row.trend_label, row.problem,
        ])
    _style_header(ws, bold, head_fill, widths={"A": 26, "B": 30})

    ws = wb.create_sheet(_("项目"))
    _append(ws, [_("章"), _("表号"), _("项目"), _("类别"), _("牵头单位"), _("状态"), _("进度 (%)"), _("计划进度 (%)"),
               _("对标状态"), _("最近填报"), _("进展说明")])
    for row in report.projects:
        p = row.project
        _append(ws, [
            str(p.chapter) if p.chapter_id else "", p.table_label, p.name, p.get_category_display(),
            p.lead_unit.name if p.lead_unit_id else "", row.status_label,
            row.progress if row.progress is not None else "", float(row.planned), row.health_label,
            row.report.period.label if row.report else _("未填报"), row.report.note if row.report else "",
        ])
    _style_header(ws, bold, head_fill, widths={"A": 26, "C": 48, "K": 50})

    ws = wb.create_sheet(_("未填报"))
    _append(ws, [_("牵头单位"), _("应报"), _("未报"), _("未报项目"), _("未报指标")])
    for unit in report.reporting:
        _append(ws, [unit.unit.name, unit.due, unit.missing, "；".join(p.name for p in unit.projects_missing),
                   "；".join(i.name for i in unit.indicators_missing)])
    _style_header(ws, bold, head_fill, widths={"A": 20, "D": 60, "E": 40})

    ws = wb.create_sheet(_("评估叙述"))
    ev = report.evaluation
    for field in ev.NARRATIVE_FIELDS:
        _append(ws, [str(ev._meta.get_field(field).verbose_name), getattr(ev, field)])
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 100
    for cell in ws["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _append(ws, values: list) -> None:
    """Lazy translations (choice labels) become plain text: openpyxl takes str, numbers and dates only."""
    ws.append([str(v) if isinstance(v, Promise) else v for v in values])


def _style_header(ws, bold, fill, *, widths: dict[str, int]) -> None:
    for cell in ws[1]:
        cell.font, cell.fill = bold, fill
    ws.freeze_panes = "A2"
    for column, width in widths.items():
        ws.column_dimensions[column].width = width
