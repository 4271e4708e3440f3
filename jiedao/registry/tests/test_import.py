"""批量导入: every bad row reported exactly, valid rows imported in one go, re-import changes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook

from jiedao.core.models import AuditLog
from jiedao.core.tables import Table
from jiedao.geo.models import Estate
from jiedao.registry.importer import COLUMNS, ImportFileError, import_residents
from jiedao.registry.models import Household, Resident, ResidentTag
from jiedao.registry.spreadsheets import import_template
from jiedao.registry.tests.conftest import make_id


def xlsx(rows, header=COLUMNS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def estate(world):
    # world.b21 is 梅岭北路41号 in the estate "兰溪园小区"; give it a plain estate name and number 41.
    return Estate.objects.get(pk=world.b21.estate_id)


def good_rows(estate):
    return [
        ["王阿婆", make_id("19400101", 2), "13812345678", estate.name, "41号", 301, "户主", "人户一致", "孤老"],
        ["王阿公", make_id("19380303", 1), "", estate.name, "41", "301", "配偶", "", ""],
        ["李先生", make_id("19800505", 3), "+86 139 0000 1111", estate.name, "41号楼", "302室", "", "来沪人员",
         "退役军人、慢性病"],
    ]


def test_valid_rows_import_with_households_tags_colours_and_an_audit_record(world, estate):
    report = import_residents(data=xlsx(good_rows(estate)), filename="居民.xlsx", subdistrict=world.sub,
                              by=world.social_worker)
    assert (report.rows, report.valid, report.errors) == (3, 3, [])
    assert (report.created_households, report.created_residents) == (2, 3)
    wang = Resident.objects.get(name="王阿婆")
    assert (wang.household.room, wang.relation, wang.care_colour) == ("301", "head", "red")
    assert wang.care_reason == "红: 孤老"
    li = Resident.objects.get(name="李先生")
    assert (li.phone, li.residence_status, li.household.room) == ("13900001111", "migrant", "302")
    assert set(ResidentTag.objects.filter(resident=li).values_list("tag__name", flat=True)) == {"退役军人", "慢性病"}
    entry = AuditLog.objects.get(action="import")
    assert entry.detail["created_residents"] == 3 and entry.actor == world.social_worker


def test_reimporting_the_same_file_changes_nothing(world, estate):
    data = xlsx(good_rows(estate))
    import_residents(data=data, filename="a.xlsx", subdistrict=world.sub, by=None)
    before = list(Resident.objects.order_by("pk").values_list("pk", "name", "household_id", "care_colour"))
    report = import_residents(data=data, filename="a.xlsx", subdistrict=world.sub, by=None)
    assert (report.valid, report.unchanged, report.created_residents, report.errors) == (3, 3, 0, [])
    assert list(Resident.objects.order_by("pk").values_list("pk", "name", "household_id", "care_colour")) == before
    assert Household.objects.count() == 2


def test_every_bad_row_is_reported_with_row_column_and_message_and_nothing_partial(world, estate):
    good_id = make_id("19500505", 3)
    rows = [
        ["张三", good_id[:17] + ("1" if good_id[17] != "1" else "2"), "", estate.name, "41", "401", "户主", "", ""],
        ["李四", "31010719990230001X", "", estate.name, "41", "402", "户主", "", ""],
        ["王五", make_id("19600101", 5), "1381234567", estate.name, "41", "403", "户主", "", ""],
        ["赵六", make_id("19600101", 7), "", "不存在小区", "41", "404", "户主", "", ""],
        ["钱七", make_id("19600101", 9), "", estate.name, "99", "405", "户主", "", ""],
        ["孙八", make_id("19600101", 11), "", estate.name, "41", "406", "户主", "", "会飞"],
        ["周九", make_id("19600101", 11), "", estate.name, "41", "407", "户主", "", ""],
        ["吴十", make_id("19600101", 13), "", estate.name, "41", "408", "表亲", "", ""],
        ["郑一", make_id("19600101", 15), "", estate.name, "41", "409", "户主", "", "高龄"],
        ["冯二", make_id("19600101", 17), "", estate.name, "41", "410", "子女", "", ""],
    ]
    report = import_residents(data=xlsx(rows), filename="bad.xlsx", subdistrict=world.sub, by=None, dry_run=True)
    got = {(e.row, e.column): e.message for e in report.errors}
    assert got[(2, "身份证号")] == f"身份证号校验位错误：应为 {good_id[17]}，实际为 {rows[0][1][17]}"
    assert got[(3, "身份证号")] == "身份证号出生日期无效：19990230 不存在"
    assert got[(4, "手机号")] == "手机号应为 11 位，实际为 10 位"
    assert got[(5, "小区")] == "小区“不存在小区”不在本街道的小区名录中"
    assert got[(6, "楼号")] == f"{estate.name}没有 99 号楼"
    assert got[(7, "标签")] == "未知标签：会飞"
    assert got[(8, "身份证号")] == "与第 7 行的身份证号重复"
    assert got[(9, "与户主关系")].startswith("与户主关系应为：户主、配偶")
    assert got[(10, "标签")] == "“高龄”由系统自动判定，不需要导入"
    assert got[(11, "与户主关系")] == "该户还没有户主：请在同一户中填一位“户主”"
    assert len(report.errors) == 10 and (report.rows, report.valid) == (10, 0)
    for e in report.errors:  # no message repeats an ID number
        assert all(r[1] not in e.message for r in rows)
    assert not Resident.objects.exists()


def test_a_real_import_writes_the_valid_rows_and_skips_the_bad_ones(world, estate):
    rows = [*good_rows(estate), ["坏行", "123", "", estate.name, "41", "303", "户主", "", ""]]
    report = import_residents(data=xlsx(rows), filename="mixed.xlsx", subdistrict=world.sub, by=None)
    assert (report.valid, len(report.errors), report.created_residents) == (3, 1, 3)
    assert Resident.objects.count() == 3


def test_a_second_head_and_a_person_registered_elsewhere_are_refused(world, estate):
    import_residents(data=xlsx(good_rows(estate)[:1]), filename="a.xlsx", subdistrict=world.sub, by=None)
    rows = [
        ["另一户主", make_id("19700101", 1), "", estate.name, "41", "301", "户主", "", ""],
        ["王阿婆", make_id("19400101", 2), "", estate.name, "41", "309", "户主", "", ""],
    ]
    report = import_residents(data=xlsx(rows), filename="b.xlsx", subdistrict=world.sub, by=None, dry_run=True)
    got = {(e.row, e.column): e.message for e in report.errors}
    assert got[(2, "与户主关系")] == "该户已有户主"
    assert got[(3, "身份证号")] == "该身份证号已登记为其他户的现住居民；如需换户，请先办理迁出"


def test_csv_in_gb18030_and_missing_columns(world, estate):
    text = ",".join(COLUMNS) + "\n" + ",".join(str(c) for c in good_rows(estate)[0]) + "\n"
    report = import_residents(data=text.encode("gb18030"), filename="居民.csv", subdistrict=world.sub, by=None,
                              dry_run=True)
    assert (report.rows, report.valid) == (1, 1)
    with pytest.raises(ImportFileError) as exc:
        import_residents(data=xlsx([["x"]], header=["姓名"]), filename="a.xlsx", subdistrict=world.sub, by=None)
    assert "缺少必填列：身份证号、小区、楼号、室号" in str(exc.value)
    with pytest.raises(ImportFileError):
        import_residents(data=b"%PDF-1.4", filename="a.pdf", subdistrict=world.sub, by=None)


def test_command_prints_one_json_report_and_imports_idempotently(world, estate, tmp_path):
    path = tmp_path / "居民.xlsx"
    path.write_bytes(xlsx([*good_rows(estate), ["坏", "1", "", estate.name, "41", "1", "户主", "", ""]]))
    out = io.StringIO()
    call_command("import_residents", str(path), "--subdistrict", "310107005", "--dry-run", "--json", stdout=out)
    body = json.loads(out.getvalue())
    assert (body["rows"], body["valid"]) == (4, 3)
    assert body["errors"] == [{"row": 5, "column": "身份证号", "message": "身份证号应为 18 位，实际为 1 位"}]
    assert not Resident.objects.exists()
    call_command("import_residents", str(path), "--subdistrict", "310107005", stdout=io.StringIO())
    call_command("import_residents", str(path), "--subdistrict", "310107005", stdout=io.StringIO())
    assert Resident.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("import_residents", str(path), "--subdistrict", "999999999", stdout=io.StringIO())


def test_template_and_error_file_are_usable_spreadsheets(world, estate):
    template = load_workbook(io.BytesIO(import_template()))
    assert [c.value for c in template["居民"][1]] == list(COLUMNS)
    assert "孤老" in template["说明"]["B4"].value
    rows = [["坏", "1", "", estate.name, "41", "1", "户主", "", ""]]
    report = import_residents(data=xlsx(rows), filename="a.xlsx", subdistrict=world.sub, by=None, dry_run=True)
    table = Table(header=list(COLUMNS), rows=[[str(c) for c in r] for r in rows])
    errors = load_workbook(io.BytesIO(report.error_file(table)))
    sheet = errors["错误行"]
    assert sheet["A2"].value == 2 and "身份证号应为 18 位" in sheet.cell(2, len(COLUMNS) + 2).value


def test_a_worker_imports_only_into_buildings_of_their_scope(world, estate):
    other_estate = Estate.objects.get(pk=world.b11.estate_id)  # 曹杨一村: not the social worker's 居委
    rows = [["外区户主", make_id("19700101", 1), "", other_estate.name, world.b11.number, "101", "户主", "", ""]]
    report = import_residents(data=xlsx(rows), filename="a.xlsx", subdistrict=world.sub, by=world.social_worker)
    assert [(e.row, e.column, e.message) for e in report.errors] == [(2, "楼号", "该楼栋不在您的数据范围内")]
    assert not Resident.objects.exists()


def test_a_role_that_may_not_edit_cannot_import(world, estate):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_residents(data=xlsx(good_rows(estate)), filename="a.xlsx", subdistrict=world.sub, by=world.leader)
    assert AuditLog.objects.filter(action="denied", actor=world.leader).exists()


def test_tag_names_with_a_slash_are_one_tag_and_a_slash_between_tags_separates_them(world, estate):
    rows = [["王阿婆", make_id("19400101", 2), "", estate.name, "41", "301", "户主", "", "失能/失智、低保/低收入"],
            ["李先生", make_id("19800505", 3), "", estate.name, "41", "302", "户主", "", "孤老/退役军人"]]
    report = import_residents(data=xlsx(rows), filename="a.xlsx", subdistrict=world.sub, by=None)
    assert report.errors == []
    tags = {name: set(ResidentTag.objects.filter(resident__name=name).values_list("tag__code", flat=True))
            for name in ("王阿婆", "李先生")}
    assert tags == {"王阿婆": {"disabled_care", "low_income"}, "李先生": {"lonely_elderly", "veteran"}}
