"""Importing facilities from CSV / XLSX: row-exact errors, warnings, idempotent re-imports."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied

from jiedao.core.tables import ImportFileError, XlsxWriter, read_cells
from jiedao.facilities import services
from jiedao.facilities.models import Facility

HEADER = "类型,名称,地址,经度,纬度,容量,开放时间,运营方,状态,启用日期,关闭日期,备注"
GOOD = [
    "社区助餐点,兰溪路长者食堂,兰溪路200弄5号,121.4035,31.2335,80,10:30-13:00,曹杨社区服务社,运营中,2021-03-01,,",
    "长者食堂,杏山路助餐点,,121.4125,31.2335,,,,规划中,,,明年启用",  # another name of the type
    "party_station,曹杨一村党群服务站,,121.4045,31.2340,,,,,2019/5/1,,",  # the type's code; empty status: open
]


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode("utf-8")


def run(world, admin, data: bytes, *, filename="设施.csv", dry_run=False):
    return services.import_facilities(data=data, filename=filename, subdistrict=world.sub, by=admin, dry_run=dry_run)


def test_valid_rows_are_registered_with_their_type_status_dates_and_community(world, admin):
    report = run(world, admin, csv(*GOOD))
    assert (report.rows, report.valid, report.created, report.errors) == (3, 3, 3, [])
    meal = Facility.objects.get(name="兰溪路长者食堂")
    assert (meal.type.code, meal.status, meal.capacity, meal.opened_on) == (
        "meal_point", "open", 80, dt.date(2021, 3, 1))
    assert meal.community == world.c1  # its point lies in 曹杨一村's grid
    planned = Facility.objects.get(name="杏山路助餐点")
    assert (planned.type.code, planned.status, planned.community) == ("meal_point", "planned", world.c2)
    assert Facility.objects.get(name="曹杨一村党群服务站").opened_on == dt.date(2019, 5, 1)


def test_importing_the_same_file_again_changes_nothing(world, admin):
    run(world, admin, csv(*GOOD))
    again = run(world, admin, csv(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = run(world, admin, csv(GOOD[0].replace(",80,", ",120,"), *GOOD[1:]))
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert Facility.objects.get(name="兰溪路长者食堂").capacity == 120
    assert Facility.objects.count() == 3


def test_every_problem_is_reported_with_its_row_and_column_and_the_valid_rows_are_still_imported(world, admin):
    rows = [
        GOOD[0],
        "养鸡场,某养鸡场,,121.405,31.235,,,,,,,",  # row 3: unknown type
        "社区助餐点,反了的助餐点,,31.235,121.405,,,,,,,",  # row 4: latitude and longitude swapped
        "社区助餐点,远处的助餐点,,121.50,31.30,,,,,,,",  # row 5: ten kilometres away
        "社区助餐点,容量不对,,121.405,31.235,八十,,,,,,",  # row 6
        "社区助餐点,日期不对,,121.405,31.235,,,,,2021-13-40,,",  # row 7
        GOOD[0],  # row 8: the same facility as row 2
        "社区助餐点,还开着,,121.405,31.235,,,,运营中,,2023-01-01,",  # row 9: a closing day but open
        "社区助餐点,状态不对,,121.405,31.235,,,,停业,,,",  # row 10
        "社区助餐点,,,121.405,31.235,,,,,,,",  # row 11: no name
    ]
    report = run(world, admin, csv(*rows))
    found = [(e.row, e.column) for e in report.errors]
    assert found == [(3, "类型"), (4, "纬度"), (5, "经度"), (6, "容量"), (7, "启用日期"), (8, "名称"), (9, "关闭日期"),
                     (10, "状态"), (11, "名称")]
    messages = {e.row: e.message for e in report.errors}
    assert "养鸡场" in messages[3] and "经纬度填反了" in messages[4] and "范围外" in messages[5]
    assert "第 2 行" in messages[8]
    assert report.created == 1 and list(Facility.objects.values_list("name", flat=True)) == ["兰溪路长者食堂"]
    from jiedao.facilities.services.imports import read_facilities_table

    errors = read_cells(report.error_file(read_facilities_table(csv(*rows), "设施.csv")), "errors.xlsx")
    assert [r[0] for r in errors[1:]] == ["3", "4", "5", "6", "7", "8", "9", "10", "11"]
    assert "[类型]" in errors[1][-1]


def test_a_check_writes_nothing(world, admin):
    report = run(world, admin, csv(*GOOD), dry_run=True)
    assert report.created == 3 and report.dry_run and not Facility.objects.exists()


def test_a_facility_just_outside_the_subdistrict_or_far_from_the_network_is_imported_with_a_warning(town, world, admin):
    town.street(2400)  # along 31.2330 from 121.4010 eastwards, out of the subdistrict
    report = run(world, admin, csv("社区卫生服务中心,邻街道卫生中心,,121.4230,31.2333,,,,,,,",  # 280 m east of the edge
                                   "社区助餐点,北边助餐点,,121.4100,31.2480,,,,,,,"))  # 1.6 km north of the street
    assert report.created == 2 and report.errors == []
    assert [(w.row, "范围外" in w.message, "路网" in w.message) for w in report.warnings] == [
        (2, True, False), (3, False, True)]
    assert Facility.objects.get(name="邻街道卫生中心").community is None


def test_an_xlsx_file_with_a_title_above_the_header_is_read(world, admin):
    book = XlsxWriter()
    sheet = book.sheet("设施")
    sheet.append(["曹杨新村街道服务设施清单"])
    sheet.append(HEADER.split(","))
    sheet.append(GOOD[0].split(","))
    report = run(world, admin, book.to_bytes(), filename="设施.xlsx")
    assert report.created == 1 and report.errors == []


def test_a_file_without_the_required_columns_is_refused_as_a_whole(world, admin):
    with pytest.raises(ImportFileError, match="经度"):
        run(world, admin, "类型,名称,地址\n社区助餐点,某助餐点,某路1号".encode())


def test_only_an_administrator_imports(world):
    with pytest.raises(PermissionDenied):
        run(world, world.operator, csv(*GOOD))
    assert not Facility.objects.exists()


def test_a_gb18030_csv_from_excel_is_read(world, admin):
    report = run(world, admin, io.BytesIO(csv(GOOD[0]).decode().encode("gb18030")).getvalue())
    assert report.created == 1
