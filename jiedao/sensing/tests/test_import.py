"""Devices from CSV/XLSX: every problem with its row and column, valid rows written in one transaction,
importing the same file again changes nothing."""

import json

import pytest
from django.core.management import call_command

from jiedao.core.tables import XlsxWriter
from jiedao.sensing.models import Device
from jiedao.sensing.services.devices import COLUMNS, ImportFileError, import_devices, register_device

HEADER = ",".join(COLUMNS)


def csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode("utf-8")


def test_rows_are_checked_whole_and_errors_name_row_and_column(sensing_world):
    w = sensing_world
    data = csv(
        f"EV-1,电瓶车入梯,1号楼电梯,X1,海康,{w.b11.code},,,1单元电梯,,,2024-03-01,在用,WYGS",
        "EV-2,ebike_in_elevator、elevator_trapped,,,,兰溪路200弄6号,,,,,,,,",
        "bad code!,smoke,,,,兰溪路200弄5号,,,,,,,,",
        "SM-9,unicorn,,,,,,,,,,,,",
        "WL-1,water_level,,,,,,,,121.4175,31.2325,03/01/2024,坏了,无此部门",
        "EV-1,smoke,,,,兰溪路200弄5号,,,,,,,,",
    )
    report = import_devices(data=data, filename="devices.csv", subdistrict=w.sub, by=w.admin)
    problems = {(e.row, e.column) for e in report.errors}
    assert (4, "设备编码") in problems
    assert (5, "类型") in problems and (5, "楼栋") in problems  # unknown type; and no place at all
    assert {(6, "安装日期"), (6, "状态"), (6, "责任部门")} <= problems
    assert (7, "设备编码") in problems and "第 2 行" in next(e.message for e in report.errors if e.row == 7)
    assert report.created == 2 and report.valid == 2
    ev1 = Device.objects.get(code="EV-1")
    assert ev1.building == w.b11 and ev1.grid == w.g11 and ev1.area == w.area1 and ev1.department.code == "WYGS"
    assert ev1.offline_minutes == 10 and str(ev1.installed_on) == "2024-03-01"
    ev2 = Device.objects.get(code="EV-2")
    assert ev2.building == w.b12 and set(ev2.types.values_list("code", flat=True)) == {"ebike_in_elevator",
                                                                                       "elevator_trapped"}


def test_the_same_file_again_changes_nothing_and_a_changed_row_updates_its_device(sensing_world):
    w = sensing_world
    data = csv(f"EV-1,电瓶车入梯,,,,{w.b11.code},,,1单元电梯,,,,,")
    import_devices(data=data, filename="d.csv", subdistrict=w.sub, by=w.admin)
    secret = Device.objects.get(code="EV-1").secret
    again = import_devices(data=data, filename="d.csv", subdistrict=w.sub, by=w.admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = import_devices(data=csv(f"EV-1,电瓶车入梯,,,,{w.b11.code},,,2单元电梯,,,,维修中,"), filename="d.csv",
                             subdistrict=w.sub, by=w.admin)
    device = Device.objects.get(code="EV-1")
    assert changed.updated == 1 and device.place == "2单元电梯" and device.status == "maintenance"
    assert device.secret == secret


def test_a_point_places_a_device_in_its_grid_and_xlsx_works_too(sensing_world):
    w = sensing_world
    book = XlsxWriter()
    sheet = book.sheet("设备")
    sheet.append(list(COLUMNS))
    sheet.append(["WL-1", "积水", "", "", "", "", "", "", "下立交", "121.4175", "31.2325", "", "", ""])
    report = import_devices(data=book.to_bytes(), filename="d.xlsx", subdistrict=w.sub, by=w.admin)
    assert report.created == 1, report.errors
    device = Device.objects.get(code="WL-1")
    assert device.grid == w.g22 and device.community == w.c2 and device.lat == 31.2325


def test_a_dry_run_writes_nothing_and_only_an_admin_imports(sensing_world):
    from django.core.exceptions import PermissionDenied

    w = sensing_world
    data = csv(f"EV-1,电瓶车入梯,,,,{w.b11.code},,,,,,,,")
    report = import_devices(data=data, filename="d.csv", subdistrict=w.sub, by=w.admin, dry_run=True)
    assert report.to_create == 1 and not Device.objects.exists()
    with pytest.raises(PermissionDenied):
        import_devices(data=data, filename="d.csv", subdistrict=w.sub, by=w.operator)
    with pytest.raises(PermissionDenied):
        import_devices(data=data, filename="d.csv", subdistrict=w.other_sub, by=w.admin)
    with pytest.raises(ImportFileError):
        import_devices(data=b"a,b\n1,2\n", filename="d.csv", subdistrict=w.sub, by=w.admin)


def test_the_command_imports_and_reports_as_json(sensing_world, tmp_path, capsys):
    w = sensing_world
    path = tmp_path / "d.csv"
    path.write_bytes(csv(f"EV-1,电瓶车入梯,,,,{w.b11.code},,,,,,,,", "X,nope,,,,,,,,,,,,"))
    call_command("import_devices", str(path), subdistrict=w.sub.code, json=True)
    out = json.loads(capsys.readouterr().out)
    assert out["created"] == 1 and {e["row"] for e in out["errors"]} == {3}


def test_register_device_names_every_wrong_field(sensing_world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        register_device(subdistrict=sensing_world.sub, by=sensing_world.admin, code="a b", types=["nope"],
                        installed_on="yesterday")
    assert {"code", "types", "installed_on", "building"} <= set(caught.value.message_dict)
