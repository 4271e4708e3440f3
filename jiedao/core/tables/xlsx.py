"""The one XLSX writer (openpyxl): registry exports, import templates and error files, planning workbooks.

Text is stored as text. openpyxl turns any string starting with "=" into a formula, and a spreadsheet
program may evaluate text starting with "+", "-", "@", a tab or a carriage return once someone edits the
cell, so a resident named ``=HYPERLINK("http://evil.example/","查看")`` would become a live link in every
export. A string starting with one of ``FORMULA_STARTS`` is therefore written as a string cell
(``data_type = "s"``, set after assignment) with Excel's quote prefix (``quotePrefix``, the style flag Excel
itself sets when one types ``'=…``): the value stays exactly the text (no apostrophe is added to it), opening
the file shows it as text, and editing the cell keeps it text. Numbers and dates stay numbers and dates.
"""

import io
from collections.abc import Iterable

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SheetWriter:
    """One sheet. Values go in through ``append``; ``ws`` (the openpyxl worksheet) is there for layout:
    column widths, frozen panes, charts."""

    def __init__(self, ws) -> None:
        self.ws = ws

    def append(self, values: Iterable, *, font: Font | None = None, fill: PatternFill | None = None,
               alignment: Alignment | None = None) -> None:
        """Add a row. Lazy translations become text; ``font``, ``fill`` and ``alignment`` style every cell."""
        styled = font is not None or fill is not None or alignment is not None
        row = []
        for value in values:
            if isinstance(value, Promise):
                value = str(value)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = self._text_cell(value)
            elif styled:
                value = self._cell(value)
            if styled:
                for name, style in (("font", font), ("fill", fill), ("alignment", alignment)):
                    if style is not None:
                        setattr(value, name, style)
            row.append(value)
        self.ws.append(row)

    def _cell(self, value) -> Cell:
        # Row and column are set by append; a cell without them cannot even be shown in openpyxl's errors.
        return Cell(self.ws, row=1, column=1, value=value)

    def _text_cell(self, text: str) -> Cell:
        cell = self._cell(text)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell


class XlsxWriter:
    """An XLSX workbook. ``streaming`` (openpyxl's write-only mode) writes rows as they come, for exports
    of any size; such sheets are written top to bottom, so widths and frozen panes are set first."""

    def __init__(self, *, streaming: bool = False) -> None:
        self.book = Workbook(write_only=streaming)
        self._unused = None if streaming else self.book.active

    def sheet(self, title: str) -> SheetWriter:
        """A new sheet (the first one takes the place of the workbook's default sheet)."""
        if self._unused is not None:
            ws, self._unused = self._unused, None
            ws.title = title
        else:
            ws = self.book.create_sheet(title)
        return SheetWriter(ws)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()
