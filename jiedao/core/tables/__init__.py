"""Spreadsheets in and out, one mechanism for every module.

- Reading (``reading``): the first sheet of an uploaded CSV, XLSX, XLS or ODS file as text, with its header
  found and mapped to our column names: ``read_table`` → ``Table``; ``ImportFileError`` when the file as a
  whole cannot be used.
- Reporting (``reports``): ``ImportReport`` and ``RowError``: row-exact problems in Chinese, counts, and the
  error file (the failed rows as uploaded, with what is wrong with each).
- Writing (``xlsx``): ``XlsxWriter``, through which every XLSX the platform hands out is written. It stores
  text as text, so that a name such as ``=HYPERLINK(…)`` never becomes a live formula.
"""

from jiedao.core.tables.reading import ImportFileError, Table, map_columns, read_cells, read_table
from jiedao.core.tables.reports import ImportReport, RowError
from jiedao.core.tables.xlsx import FORMULA_STARTS, SheetWriter, XlsxWriter

__all__ = [
    "FORMULA_STARTS", "ImportFileError", "ImportReport", "RowError", "SheetWriter", "Table", "XlsxWriter",
    "map_columns", "read_cells", "read_table",
]
