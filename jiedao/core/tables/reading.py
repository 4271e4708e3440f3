"""Reading an uploaded spreadsheet: the first sheet of a CSV, XLSX, XLS or ODS file, as text.

Every cell becomes a stripped string ("" for an empty cell, "301" for the 301.0 spreadsheets store), so
importers validate one kind of value whatever the file type. Row numbers are the spreadsheet's: the first
row of the file is line 1.
"""

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns, too many rows)."""


@dataclass
class Table:
    """The first sheet of a file: its header row, the rows below it, and where our columns are."""

    header: list[str]
    rows: list[list[str]]
    header_line: int = 1  # the header's row number in the spreadsheet
    columns: dict[str, int] = field(default_factory=dict)  # our column name → its index in a row

    def line(self, offset: int) -> int:
        """The spreadsheet row number of ``rows[offset]``."""
        return self.header_line + offset + 1

    def numbered_rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells) of every row that is not entirely empty."""
        first = self.header_line + 1
        for offset, row in enumerate(self.rows):
            if any(row):
                yield first + offset, row

    def row_at(self, line: int) -> list[str]:
        """The cells of spreadsheet row ``line`` (below the header)."""
        return self.rows[line - self.header_line - 1]

    def value(self, row: list[str], column: str) -> str:
        """The cell of ``row`` in our column ``column``; "" when the file has no such column or the row is short."""
        i = self.columns.get(column)
        return row[i] if i is not None and i < len(row) else ""

    def missing(self, required: Sequence[str]) -> list[str]:
        """The required columns the header does not name."""
        return [c for c in required if c not in self.columns]


def read_cells(data: bytes, filename: str) -> list[list[str]]:
    """Every row of the first sheet (XLSX/XLS/ODS via calamine) or of a CSV (UTF-8 or GB18030), as text."""
    name = filename.lower()
    if name.endswith(SPREADSHEET_SUFFIXES):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
            table = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for corrupt files
            raise ImportFileError(_("无法读取表格文件：%(error)s") % {"error": exc.__class__.__name__}) from exc
    elif name.endswith(CSV_SUFFIXES):
        table = _read_csv(_decode(data))
    else:
        raise ImportFileError(_("只支持 .xlsx、.xls、.ods 或 .csv 文件"))
    if not table:
        raise ImportFileError(_("文件是空的"))
    return [[_text(c) for c in row] for row in table]


def _read_csv(text: str) -> list[list[str]]:
    """The rows of a CSV. A cell longer than the csv module's limit (131,072 characters: no column of any
    import comes near it) is almost always a quote left open, which runs on to the end of the file; the
    error names the row where that cell starts."""
    rows: list[list[str]] = []
    try:
        rows.extend(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        line = len(rows) + 1
        if "field larger than field limit" in str(exc):
            raise ImportFileError(_(
                "第 %(row)s 行：有一个单元格超过 %(limit)s 个字符，无法导入。多半是该行某个引号（\"）没有成对，"
                "其后的内容都被当成了这一个单元格；请检查该行") % {"row": line, "limit": f"{csv.field_size_limit():,}"}
            ) from exc
        message = _("第 %(row)s 行不是有效的 CSV：请另存为 CSV（逗号分隔）后再导入") % {"row": line}
        raise ImportFileError(message) from exc
    return rows


def _decode(data: bytes) -> str:
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("CSV 文件编码无法识别：请另存为 UTF-8"))


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # spreadsheets turn 301 into 301.0
    return str(value).strip()


def _header_name(cell: str) -> str:
    """A header cell as people write it: "工单 编号", "工单编号*" (a required column's mark) → "工单编号"."""
    return cell.replace(" ", "").replace("\u3000", "").removesuffix("*")


def map_columns(header: list[str], columns: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Our column name → the index of the first header cell naming it by one of its names (in order)."""
    cells = [_header_name(c) for c in header]
    found: dict[str, int] = {}
    for column, names in columns.items():
        for name in names:
            if name in cells:
                found[column] = cells.index(name)
                break
    return found


def _header_index(table: list[list[str]], columns: Mapping[str, Sequence[str]], key: str, search: int) -> int:
    """The first of the top ``search`` rows naming the column ``key``; the first row when none does."""
    names = {key: columns.get(key, (key,))}
    for i, row in enumerate(table[:search]):
        if map_columns(row, names):
            return i
    return 0


def read_table(
    data: bytes, filename: str, *, columns: Mapping[str, Sequence[str]] | None = None,
    required: Sequence[str] = (), missing_message: str = "", max_rows: int | None = None,
    header_search_rows: int = 1,
) -> Table:
    """The first sheet of an uploaded file, with its header mapped to ``columns`` (our name → the names a
    header may use for it).

    The header is the first row, or, with ``header_search_rows`` > 1, the first of the top rows naming the
    first required column (exports often put a title line above the header). Raises ImportFileError when
    the file cannot be read, when a ``required`` column is missing (``missing_message`` is a translated
    text with ``%(cols)s``), or when there are more than ``max_rows`` rows below the header.
    """
    cells = read_cells(data, filename)
    columns = columns or {}
    at = _header_index(cells, columns, required[0], header_search_rows) if required and header_search_rows > 1 else 0
    table = Table(header=cells[at], rows=cells[at + 1:], header_line=at + 1, columns=map_columns(cells[at], columns))
    missing = table.missing(required)
    if missing:
        raise ImportFileError(missing_message % {"cols": "、".join(missing)})
    if max_rows is not None and len(table.rows) > max_rows:
        raise ImportFileError(_("一次最多导入 %(n)s 行，请拆分文件") % {"n": f"{max_rows:,}"})
    return table
