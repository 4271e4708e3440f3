"""What an import says back: every problem with its spreadsheet row and column, in Chinese, and counts.

Each importer extends ``ImportReport`` with its own counts (created, unchanged, …) and its own ``as_dict``
for its command's ``--json`` and its API.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from jiedao.core.tables.reading import Table
from jiedao.core.tables.xlsx import XlsxWriter


@dataclass
class RowError:
    """One problem: the spreadsheet row (header included in the count), our column, the message."""

    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ImportReport:
    rows: int = 0  # data rows read (empty rows are not counted)
    errors: list[RowError] = field(default_factory=list)  # rows not imported
    warnings: list[RowError] = field(default_factory=list)  # rows imported, with something to check
    dry_run: bool = False

    @property
    def failed_rows(self) -> int:
        return len({e.row for e in self.errors})

    def sort(self, columns: Sequence[str]) -> None:
        """Errors and warnings in file order: by row, then in the order of ``columns``."""
        order = {name: i for i, name in enumerate(columns)}

        def key(e: RowError) -> tuple[int, int]:
            return e.row, order.get(e.column, len(order))

        self.errors.sort(key=key)
        self.warnings.sort(key=key)

    def error_file(self, table: Table) -> bytes:
        """错误行: the rows of ``table`` that failed, as uploaded, with a 错误 column naming every problem."""
        problems: dict[int, list[str]] = {}
        for e in self.errors:
            problems.setdefault(e.row, []).append(f"[{e.column}] {e.message}")
        book = XlsxWriter(streaming=True)
        sheet = book.sheet("错误行")
        sheet.append(["行号", *table.header, "错误"])
        for line, messages in sorted(problems.items()):
            sheet.append([line, *table.row_at(line), "；".join(messages)])
        return book.to_bytes()
