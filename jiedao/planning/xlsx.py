"""The evaluation report as an XLSX workbook (core.tables' writer): overview with a chart, indicators,
projects, who has not reported, and the narrative."""

from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from jiedao.core.tables import SheetWriter, XlsxWriter
from jiedao.planning import units
from jiedao.planning.reports import Report, health_labels, year_point
from jiedao.planning.selectors import format_number

_TITLE = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="E4E7EB")


def workbook_bytes(report: Report) -> bytes:
    """The workbook for ``report``."""
    book = XlsxWriter()
    _overview(book.sheet(_("概况")), report)
    _indicators(book.sheet(_("指标")), report)
    _projects(book.sheet(_("项目")), report)
    _not_reported(book.sheet(_("未填报")), report)
    _narrative(book.sheet(_("评估叙述")), report)
    return book.to_bytes()


def _overview(sheet: SheetWriter, report: Report) -> None:
    """Title, period, and indicators and projects by status, with a bar chart of them."""
    sheet.append([report.title], font=_TITLE)
    sheet.append([_("报告期"), report.as_of.label])
    sheet.append([])
    sheet.append([_("状态"), _("指标数"), _("项目数")], font=_BOLD, fill=_HEAD_FILL)
    ws = sheet.ws
    start = ws.max_row
    labels = health_labels()
    for health, n in report.indicator_counts.items():
        sheet.append([labels[health], n, report.project_counts.get(health, 0)])
    end = ws.max_row
    chart = BarChart()
    chart.type = "bar"
    chart.title = _("指标与项目状态")
    chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=start, max_row=end), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=start + 1, max_row=end))
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "E2")
    ws.column_dimensions["A"].width = 22


def _indicators(sheet: SheetWriter, report: Report) -> None:
    _header(sheet, [
        _("章"), _("指标"), _("单位"), _("属性"), _("来源"), _("牵头单位"), _("基线值"), _("基线年份"), _("目标值"),
        _("目标年份"), *[str(y) for y in report.years], _("最新值"), _("报告期"), _("状态"), _("趋势"), _("说明"),
    ], widths={"A": 26, "B": 30})
    for row in report.indicators:
        ind = row.indicator
        target = format_number(ind.target) if ind.target is not None else (ind.target_note or "")
        years = []
        for y in report.years:
            p = year_point(row, y)
            years.append(p.display if p else "")
        sheet.append([
            str(ind.chapter) if ind.chapter_id else "", ind.name, units.label(ind.unit) or _("是/否"),
            ind.get_binding_display(), ind.get_source_display(), ind.lead_unit.name if ind.lead_unit_id else "",
            float(ind.baseline) if ind.baseline is not None else "", ind.baseline_year or "", target,
            ind.target_year or "", *years, row.latest.display if row.latest else "",
            row.latest.period.label if row.latest else "", row.health_label, row.trend_label, row.problem,
        ])


def _projects(sheet: SheetWriter, report: Report) -> None:
    _header(sheet, [_("章"), _("表号"), _("项目"), _("类别"), _("牵头单位"), _("状态"), _("进度 (%)"),
                    _("计划进度 (%)"), _("对标状态"), _("最近填报"), _("进展说明")], widths={"A": 26, "C": 48, "K": 50})
    for row in report.projects:
        p = row.project
        sheet.append([
            str(p.chapter) if p.chapter_id else "", p.table_label, p.name, p.get_category_display(),
            p.lead_unit.name if p.lead_unit_id else "", row.status_label,
            row.progress if row.progress is not None else "", float(row.planned), row.health_label,
            row.report.period.label if row.report else _("未填报"), row.report.note if row.report else "",
        ])


def _not_reported(sheet: SheetWriter, report: Report) -> None:
    _header(sheet, [_("牵头单位"), _("应报"), _("未报"), _("未报项目"), _("未报指标")],
            widths={"A": 20, "D": 60, "E": 40})
    for unit in report.reporting:
        sheet.append([unit.unit.name, unit.due, unit.missing, "；".join(p.name for p in unit.projects_missing),
                      "；".join(i.name for i in unit.indicators_missing)])


def _narrative(sheet: SheetWriter, report: Report) -> None:
    ev = report.evaluation
    for field in ev.NARRATIVE_FIELDS:
        sheet.append([str(ev._meta.get_field(field).verbose_name), getattr(ev, field)])
    ws = sheet.ws
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 14, 100
    for cell in ws["B"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _header(sheet: SheetWriter, names: list, *, widths: dict[str, int]) -> None:
    """A bold, shaded, frozen first row."""
    sheet.append(names, font=_BOLD, fill=_HEAD_FILL)
    sheet.ws.freeze_panes = "A2"
    for column, width in widths.items():
        sheet.ws.column_dimensions[column].width = width
