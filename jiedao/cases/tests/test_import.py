"""12345 工单导入: CSV (UTF-8, GBK) and XLSX, idempotent by 工单编号, every bad row reported and nothing
half-written, unplaceable addresses kept, the command and the upload endpoint with its access rules."""

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook

from jiedao.cases import api_import
from jiedao.cases.importer import ImportFileError, import_hotline
from jiedao.cases.models import Case, CaseEvent, Channel
from jiedao.core.models import AuditAction, AuditLog

HEADER = ["工单编号", "来电时间", "诉求内容", "地址", "联系人", "电话", "诉求类型", "办理时限", "紧急程度"]
TZ = dt.timezone(dt.timedelta(hours=8))


def rows():
    return [
        ["2611230001", "2025-11-23 10:15:00", "兰溪路200弄5号楼下饭店油烟很大，窗户都不敢开", "兰溪路200弄5号",
         "王先生", "13812345678", "餐饮油烟", "5个工作日", "一般"],
        ["2611230002", "2025/11/23 10:40", "小区门口路灯坏了好几天，晚上很黑", "梅岭北路41号", "李女士",
         "021-62541234", "投诉", "1", ""],
        ["2611230003", "2025年11月23日 11时05分", "楼上每天半夜装修，噪音很大", "梅岭北路43号", "", "", "S0504", "",
         "紧急"],
    ]


def csv_bytes(table, *, encoding="utf-8-sig", header=HEADER, title=None) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    if title:
        writer.writerow([title])
    writer.writerow(header)
    writer.writerows(table)
    return out.getvalue().encode(encoding)


def xlsx_bytes(table, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in table:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(w, data, filename="工单.csv", **kw):
    return import_hotline(data=data, filename=filename, subdistrict=w.sub, by=w.operator, **kw)


def issues(items):
    return [(i.row, i.column) for i in items]


def test_a_utf8_csv_with_bom_becomes_one_hotline_case_per_order(cases_world):
    w = cases_world
    report = run(w, csv_bytes(rows()))
    assert (report.rows, report.created, report.existing, report.errors) == (3, 3, 0, [])
    cases = {c.external_id: c for c in Case.objects.all()}
    first = cases["2611230001"]
    assert first.channel == Channel.HOTLINE and first.category.name == "餐饮油烟"
    assert first.reported_at == dt.datetime(2025, 11, 23, 10, 15, tzinfo=TZ)
    assert (first.building, first.grid, first.needs_placement) == (w.b11, w.g11, False)
    assert first.reporter_phone == "13812345678" and first.reporter_name == "王先生"
    event = first.events.get()
    assert event.kind == "created" and event.actor == w.operator
    assert event.data["hotline"]["time_limit"] == {"text": "5个工作日", "working_days": 5}
    second = cases["2611230002"]
    # 投诉 is 12345's kind of demand, not a category: kept, the category is left to the classifier.
    assert second.category is None and second.events.get().data["hotline"]["appeal_type"] == "投诉"
    assert second.reporter_phone == "02162541234"
    assert second.reported_at == dt.datetime(2025, 11, 23, 10, 40, tzinfo=TZ)
    third = cases["2611230003"]
    assert third.category.code == "S0504" and third.urgent
    assert third.reported_at == dt.datetime(2025, 11, 23, 11, 5, tzinfo=TZ)
    assert AuditLog.objects.filter(action=AuditAction.IMPORT, object_type="cases.case").get().detail["created"] == 3


def test_a_gbk_export_with_a_title_line_and_the_hotlines_own_headers(cases_world):
    header = ["工单号", "受理时间", "来电内容", "事发地址", "来电人", "联系电话"]
    table = [["A-1", "2025-11-20 08:00", "垃圾箱房满了没人清运，味道很大", "兰溪路200弄6号", "赵阿姨", "13900001111"]]
    data = csv_bytes(table, encoding="gbk", header=header, title="12345市民服务热线工单导出（2025年11月）")
    report = run(cases_world, data, filename="export.csv")
    assert (report.created, report.errors) == (1, [])
    case = Case.objects.get(external_id="A-1")
    assert case.description.startswith("垃圾箱房满了") and case.building == cases_world.b12
    assert case.events.get().data["hotline"]["row"] == 3  # title line 1, header line 2


def test_an_xlsx_with_excel_dates_and_serial_numbers(cases_world):
    table = [
        ["2611240001", dt.datetime(2025, 11, 24, 9, 30), "井盖松动，走上去咣当响", "梅岭北路41号", "", 13812345678,
         "", "", ""],
        ["2611240002", 45985.5, "绿化带里的树枝断了挂在半空", "梅岭北路43号", "", "", "", "", ""],
    ]
    report = run(cases_world, xlsx_bytes(table), filename="工单.xlsx")
    assert (report.created, report.errors) == (2, [])
    by_id = {c.external_id: c for c in Case.objects.all()}
    assert by_id["2611240001"].reported_at == dt.datetime(2025, 11, 24, 9, 30, tzinfo=TZ)
    assert by_id["2611240001"].reporter_phone == "13812345678"
    assert by_id["2611240002"].reported_at == dt.datetime(2025, 11, 24, 12, 0, tzinfo=TZ)  # Excel day 45985.5


def test_importing_the_same_file_twice_creates_nothing_new(cases_world):
    data = xlsx_bytes(rows())
    run(cases_world, data, filename="a.xlsx")
    counts = (Case.objects.count(), CaseEvent.objects.count())
    again = run(cases_world, data, filename="a.xlsx")
    assert (again.rows, again.created, again.existing, again.errors) == (3, 0, 3, [])
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts == (3, 3)


def test_html_and_script_in_the_text_are_stripped_with_a_warning(cases_world):
    table = [["H1", "2025-11-23 10:00", "<script>alert('x')</script><b>垃圾</b>堆在楼道口<img src=x onerror=y>",
              "兰溪路200弄5号", "", "", "", "", ""]]
    report = run(cases_world, csv_bytes(table))
    case = Case.objects.get(external_id="H1")
    assert "<" not in case.description and "垃圾堆在楼道口" in case.description
    assert [(i.row, i.column, i.message) for i in report.warnings] == [(2, "诉求内容", "诉求内容中的 HTML 标记已去除")]


def test_an_unparseable_address_is_kept_and_flagged_for_manual_placement(cases_world):
    table = [["P1", "2025-11-23 10:00", "路边有个大坑，电动车差点摔倒", "就在菜场后面那条小路上", "", "", "", "", ""],
             ["P2", "2025-11-23 10:05", "夜里有人在小区里烧东西", "", "", "", "", "", ""]]
    report = run(cases_world, csv_bytes(table))
    assert (report.created, report.needs_placement, report.errors) == (2, 2, [])
    kept = Case.objects.get(external_id="P1")
    assert kept.needs_placement and kept.grid is None and kept.address == "就在菜场后面那条小路上"
    assert issues(report.warnings) == [(2, "地址"), (3, "地址")]
    assert "待人工定位" in report.warnings[0].message


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written_for_them(cases_world):
    w = cases_world
    table = [
        rows()[0],
        ["", "2025-11-23 10:00", "没有编号的工单", "", "", "", "", "", ""],
        ["B3", "昨天上午", "时间写错了", "", "", "", "", "", ""],
        ["B4", "2025-11-23 10:00", "   ", "", "", "", "", "", ""],
        ["B5", "2025-11-23 10:00", "电话写错了", "", "", "12345", "", "", ""],
        ["B6", "2099-01-01 10:00", "来电时间在将来", "", "", "", "", "", ""],
        ["B7 8", "2025-11-23 10:00", "编号里有空格", "", "", "", "", "", ""],
        ["B8", "2025-11-23 10:00", "<p> </p>", "", "", "", "", "", ""],
        rows()[1],
    ]
    report = run(w, csv_bytes(table))
    assert report.created == 2 and report.failed_rows == 7
    assert issues(report.errors) == [(3, "工单编号"), (4, "来电时间"), (5, "诉求内容"), (6, "电话"), (7, "来电时间"),
                                     (8, "工单编号"), (9, "诉求内容")]
    messages = {e.row: e.message for e in report.errors}
    assert messages[3] == "工单编号不能为空" and "昨天上午" in messages[4] and messages[7] == "上报时间不能晚于现在"
    assert set(Case.objects.values_list("external_id", flat=True)) == {"2611230001", "2611230002"}
    assert CaseEvent.objects.count() == 2


def test_a_duplicate_order_number_in_the_file_is_reported_and_imported_once(cases_world):
    table = [rows()[0], rows()[1], [*rows()[0][:2], "同一工单又出现一次，内容不同", *rows()[0][3:]]]
    report = run(cases_world, csv_bytes(table))
    assert report.created == 2
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (4, "工单编号", "与第 2 行的工单编号重复，本行未导入")]
    assert Case.objects.get(external_id="2611230001").description.startswith("兰溪路200弄5号楼下饭店")


def test_an_unknown_category_keeps_the_case_with_the_suggestion_and_warns(cases_world):
    table = [["C1", "2025-11-23 10:00", "楼上邻居家的狗整夜叫个不停，吵得睡不着", "梅岭北路41号", "", "", "宠物管理",
              "两周内", "很急"]]
    report = run(cases_world, csv_bytes(table))
    assert report.created == 1 and report.errors == []
    assert issues(report.warnings) == [(2, "诉求类型"), (2, "办理时限"), (2, "紧急程度")]
    case = Case.objects.get(external_id="C1")
    assert case.category is None and case.suggested_category is not None
    hotline = case.events.get().data["hotline"]
    assert hotline["category"] == "宠物管理" and hotline["time_limit"] == {"text": "两周内"}


def test_a_dry_run_validates_everything_and_writes_nothing(cases_world):
    table = [*rows(), ["", "2025-11-23 10:00", "x", "", "", "", "", "", ""]]
    report = run(cases_world, csv_bytes(table), dry_run=True)
    assert (report.created, report.failed_rows, report.dry_run) == (3, 1, True)
    assert not Case.objects.exists() and not CaseEvent.objects.exists()
    assert not AuditLog.objects.filter(object_type="cases.case").exists()


def test_an_order_of_another_subdistrict_is_refused(cases_world):
    header = [*HEADER, "所属街道"]
    table = [[*rows()[0], "古美路街道"], [*rows()[1], "普陀区曹杨新村街道"]]
    report = run(cases_world, csv_bytes(table, header=header))
    assert report.created == 1 and issues(report.errors) == [(2, "街道")]


def test_unreadable_files_are_refused_whole(cases_world):
    with pytest.raises(ImportFileError) as exc:
        run(cases_world, csv_bytes(rows(), header=["编码", "时间", "诉求内容"]))
    assert "缺少必填列：工单编号、来电时间" in str(exc.value)
    with pytest.raises(ImportFileError):
        run(cases_world, b"%PDF-1.4", filename="a.pdf")
    with pytest.raises(ImportFileError):
        run(cases_world, b"PK\x03\x04 not really a workbook", filename="a.xlsx")
    assert not Case.objects.exists()


def test_the_command_prints_the_report_and_imports_idempotently(cases_world, tmp_path):
    path = tmp_path / "工单.csv"
    path.write_bytes(csv_bytes([*rows(), ["", "2025-11-23 10:00", "x", "", "", "", "", "", ""]]))
    out = io.StringIO()
    call_command("import_hotline", str(path), "--user", "operator", "--dry-run", stdout=out)
    assert "第 5 行 [工单编号] 错误：工单编号不能为空" in out.getvalue()
    assert "试运行（未写入）：共 4 行，将新建 3 件" in out.getvalue()
    assert not Case.objects.exists()
    call_command("import_hotline", str(path), "--subdistrict", "310107005", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_hotline", str(path), "--subdistrict", "310107005", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["created"], body["existing"], body["failed"]) == (0, 3, 1)
    assert Case.objects.count() == 3


def upload(client, data, name="工单.csv", **extra):
    return client.post("/api/v1/case-imports/hotline", {"file": SimpleUploadedFile(name, data), **extra})


def test_the_upload_endpoint_answers_the_report(cases_world, login):
    client = login(cases_world.operator)
    response = upload(client, xlsx_bytes(rows()), "工单.xlsx")
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["existing"], body["dry_run"]) == (3, 0, False)
    again = upload(client, xlsx_bytes(rows()), "工单.xlsx", dry_run="true").json()
    assert (again["created"], again["existing"], again["dry_run"]) == (0, 3, True)
    assert Case.objects.filter(subdistrict=cases_world.sub).count() == 3


def test_the_upload_endpoint_refuses_other_roles_and_bad_files(cases_world, login, client, monkeypatch):
    w = cases_world
    assert upload(login(w.handler), csv_bytes(rows())).status_code == 403
    assert upload(login(w.grid_worker), csv_bytes(rows())).status_code == 403
    assert not Case.objects.exists()
    client = login(w.operator)
    bad = upload(client, b"%PDF-1.4", "a.pdf")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    monkeypatch.setattr(api_import, "MAX_UPLOAD_ROWS", 2)
    too_long = upload(client, csv_bytes(rows()))
    assert too_long.status_code == 422 and "一次最多导入 2 行" in too_long.json()["detail"]
    monkeypatch.setattr(api_import, "MAX_UPLOAD_BYTES", 100)
    too_big = upload(client, csv_bytes(rows()))
    assert too_big.status_code == 422 and "文件太大" in too_big.json()["detail"]
    assert not Case.objects.exists()
    client.logout()
    assert upload(client, csv_bytes(rows())).status_code == 401
