"""core.tables: reading uploaded sheets, import reports and their error file, and the one XLSX writer, which
stores formula-looking text as text (in the writer itself, and through the registry export page, its API and
the import error file)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook

from jiedao.core.tables import FORMULA_STARTS, ImportFileError, ImportReport, RowError, Table, XlsxWriter, read_table
from jiedao.core.validators import id_check_digit

EVIL = '=HYPERLINK("http://evil.example/","查看")'
FORMULA_LOOKING = [EVIL, "=1+1", "+1+2", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1", '=cmd|" /C calc"!A0']
HOTLINE_COLUMNS = {"工单编号": ("工单编号", "工单号"), "来电时间": ("来电时间", "受理时间"), "地址": ("地址",)}


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _read_back(data: bytes, sheet: str | None = None):
    book = load_workbook(io.BytesIO(data))
    return book[sheet] if sheet else book.active


def _assert_text(cell, text: str) -> None:
    assert cell.data_type != "f" and cell.data_type == "s"
    # XML reads every line end as "\n", so a carriage return comes back as a line feed.
    assert cell.value == text.replace("\r", "\n")


# --- reading ----------------------------------------------------------------------------------------
def test_an_xlsx_is_read_as_stripped_text_with_whole_numbers_without_decimals():
    table = read_table(_xlsx([["姓名", "室号"], [" 张三 ", 301], [None, 2.5]]), "a.XLSX")
    assert table.header == ["姓名", "室号"]
    assert table.rows == [["张三", "301"], ["", "2.5"]]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_csv_is_read_in_utf8_or_gb18030(encoding):
    table = read_table("姓名,室号\n王阿婆,301\n".encode(encoding), "people.csv")
    assert (table.header, table.rows) == (["姓名", "室号"], [["王阿婆", "301"]])


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"%PDF-1.4", "people.pdf", "只支持 .xlsx、.xls、.ods 或 .csv 文件"),
    (b"", "people.csv", "文件是空的"),
    (b"not a zip file", "people.xlsx", "无法读取表格文件："),
    ("姓名".encode("utf-16"), "people.csv", "CSV 文件编码无法识别：请另存为 UTF-8"),
])
def test_a_file_that_cannot_be_read_says_why(data, filename, message):
    with pytest.raises(ImportFileError) as info:
        read_table(data, filename)
    assert str(info.value).startswith(message)


def test_header_cells_are_mapped_by_any_of_their_names_ignoring_spaces_and_the_required_mark():
    data = "受理时间,备注,工单 号*,地址\n2026-11-23,x,A1\n".encode()
    table = read_table(data, "a.csv", columns=HOTLINE_COLUMNS, required=("工单编号",))
    assert table.columns == {"工单编号": 2, "来电时间": 0, "地址": 3}
    row = table.rows[0]
    assert (table.value(row, "工单编号"), table.value(row, "地址")) == ("A1", "")  # a short row has no 地址


def test_the_header_is_found_below_title_lines_and_rows_keep_their_spreadsheet_numbers():
    data = _xlsx([["12345 工单导出"], [], ["工单编号", "来电时间"], ["A1", "2026-11-23"], [], ["A2", "2026-11-24"]])
    table = read_table(data, "a.xlsx", columns=HOTLINE_COLUMNS, required=("工单编号",), header_search_rows=5)
    assert table.header_line == 3
    assert [(line, table.value(row, "工单编号")) for line, row in table.numbered_rows()] == [(4, "A1"), (6, "A2")]
    assert table.row_at(6) == ["A2", "2026-11-24"]


def test_missing_required_columns_are_named_in_the_importers_message():
    with pytest.raises(ImportFileError) as info:
        read_table("地址\n兰溪路\n".encode(), "a.csv", columns=HOTLINE_COLUMNS, required=("工单编号", "来电时间"),
                   missing_message="缺少必填列：%(cols)s（示例）")
    assert str(info.value) == "缺少必填列：工单编号、来电时间（示例）"


def test_more_rows_than_allowed_is_refused_before_any_row_is_checked():
    data = "工单编号\n" + "\n".join(f"A{i}" for i in range(4))
    with pytest.raises(ImportFileError) as info:
        read_table(data.encode(), "a.csv", columns=HOTLINE_COLUMNS, required=("工单编号",), max_rows=3)
    assert str(info.value) == "一次最多导入 3 行，请拆分文件"
    assert len(read_table(data.encode(), "a.csv", max_rows=4).rows) == 4


# --- reports ----------------------------------------------------------------------------------------
def test_a_report_sorts_its_problems_by_row_then_column_and_counts_failed_rows():
    report = ImportReport(errors=[RowError(3, "地址", "c"), RowError(2, "其他", "d"), RowError(2, "工单编号", "a"),
                                  RowError(3, "工单编号", "b")],
                          warnings=[RowError(5, "地址", "w2"), RowError(4, "地址", "w1")])
    report.sort(["工单编号", "地址"])
    assert [e.message for e in report.errors] == ["a", "d", "b", "c"]
    assert [w.message for w in report.warnings] == ["w1", "w2"]
    assert report.failed_rows == 2
    assert report.errors[0].as_dict() == {"row": 2, "column": "工单编号", "message": "a"}


def test_the_error_file_holds_the_failed_rows_as_uploaded_with_every_problem():
    table = Table(header=["姓名", "室号"], rows=[["张三", "301"], [EVIL, "x"], ["李四", ""]], header_line=1)
    report = ImportReport(errors=[RowError(4, "室号", "室号不能为空"), RowError(3, "姓名", "姓名太长"),
                                  RowError(3, "室号", "室号应为数字")])
    sheet = _read_back(report.error_file(table), "错误行")
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["行号", "姓名", "室号", "错误"],
        [3, EVIL, "x", "[姓名] 姓名太长；[室号] 室号应为数字"],
        [4, "李四", None, "[室号] 室号不能为空"],
    ]
    _assert_text(sheet["B2"], EVIL)


# --- the writer -------------------------------------------------------------------------------------
@pytest.mark.parametrize("streaming", [False, True], ids=["workbook", "streaming"])
def test_formula_looking_text_is_written_and_read_back_as_the_same_text(streaming):
    assert {t[0] for t in FORMULA_LOOKING} == set(FORMULA_STARTS)
    book = XlsxWriter(streaming=streaming)
    sheet = book.sheet("居民")
    sheet.append(FORMULA_LOOKING)
    ws = _read_back(book.to_bytes(), "居民")
    for row in ws.iter_rows():
        for cell, text in zip(row, FORMULA_LOOKING, strict=True):
            _assert_text(cell, text)
            assert cell.quotePrefix  # Excel keeps it text even when the cell is edited


@pytest.mark.parametrize("streaming", [False, True], ids=["workbook", "streaming"])
def test_numbers_dates_and_plain_text_keep_their_types(streaming):
    born = dt.date(1940, 1, 1)
    book = XlsxWriter(streaming=streaming)
    book.sheet("表").append([301, -2.5, born, dt.datetime(2026, 11, 23, 10, 15), "王阿婆", "", None,
                            gettext_lazy("户主")])
    row = next(_read_back(book.to_bytes(), "表").iter_rows())
    assert [c.data_type for c in row[:5]] == ["n", "n", "d", "d", "s"]
    assert [c.value for c in row] == [301, -2.5, dt.datetime(1940, 1, 1), dt.datetime(2026, 11, 23, 10, 15),
                                      "王阿婆", None, None, "户主"]
    assert not any(c.quotePrefix for c in row)


def test_styled_rows_keep_their_style_and_still_store_text_as_text():
    from openpyxl.styles import Font

    book = XlsxWriter()
    book.sheet("一").append(["标题"])
    book.sheet("二").append([EVIL, 3], font=Font(bold=True))
    data = book.to_bytes()
    assert load_workbook(io.BytesIO(data)).sheetnames == ["一", "二"]
    first, second = _read_back(data, "二")[1]
    _assert_text(first, EVIL)
    assert first.font.b and second.font.b and second.value == 3


# --- through the pages, the API and the import ------------------------------------------------------
def _id(birth: str, seq: int) -> str:
    first17 = f"310107{birth}{seq:03d}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def evil_resident(world):
    from jiedao.registry import services

    household = services.register_household(building=world.b21, room="301", by=world.social_worker)
    return services.add_resident(household=household, by=world.social_worker, name=EVIL,
                                 id_number=_id("19400101", 2))


def test_the_registry_export_page_writes_a_formula_looking_name_as_text(world, login, evil_resident):
    response = login(world.social_worker).get("/registry/export.xlsx")
    assert response.status_code == 200
    sheet = _read_back(response.content)
    _assert_text(sheet["A2"], EVIL)
    assert sheet["M1"].value == "出生日期" and sheet["M2"].data_type == "d"  # the birth date is still a date


def test_the_registry_export_api_writes_a_formula_looking_name_as_text(world, login, evil_resident):
    response = login(world.social_worker).get("/api/v1/registry/export.xlsx")
    assert response.status_code == 200
    _assert_text(_read_back(response.content)["A2"], EVIL)


def test_the_import_error_file_writes_a_formula_looking_cell_as_text(world, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the checked upload is kept there until it is confirmed
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "身份证号", "手机号", "小区", "楼号", "室号", "与户主关系", "人户状态", "标签"])
    writer.writerow([EVIL, "123", "", "兰溪园小区", "41", "301", "户主", "人户一致", ""])
    upload = SimpleUploadedFile("residents.csv", out.getvalue().encode(), content_type="text/csv")
    client = login(world.social_worker)
    html = client.post("/registry/import/", {"file": upload}, follow=True).content.decode()
    link = re.search(r'href="(/registry/import/[^"]+/errors\.xlsx)"', html)
    sheet = _read_back(client.get(link.group(1)).content)
    assert sheet["A2"].value == 2 and "[身份证号]" in sheet["K2"].value
    _assert_text(sheet["B2"], EVIL)
