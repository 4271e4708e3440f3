"""A CSV cell beyond the csv module's limit (131,072 characters), in either import: a clear error naming the
row where the cell starts (mostly a quote left open), never a 500, and nothing written."""

import csv
import io

import pytest

from jiedao.core.tables import ImportFileError, read_table
from jiedao.registry.importer import import_residents
from jiedao.registry.models import Resident

LIMIT = csv.field_size_limit()  # 131,072
HOTLINE = "工单编号,来电时间,诉求内容,地址\n"
GOOD = "2611230001,2025-11-23 10:15:00,楼下饭店油烟很大,兰溪路200弄5号\n"


def test_a_cell_over_the_limit_names_its_row():
    data = (HOTLINE + GOOD + GOOD.replace("0001", "0002") + f"2611230003,2025-11-23 11:00:00,{'噪' * (LIMIT + 1)},x\n")
    with pytest.raises(ImportFileError, match="第 4 行：有一个单元格超过 131,072 个字符") as raised:
        read_table(data.encode(), "工单.csv", required=["工单编号"])
    assert "引号" in str(raised.value)


def test_a_quote_left_open_runs_on_and_names_the_row_it_starts_in():
    rows = [GOOD.replace("0001", f"{n:04d}") for n in range(1, 30_000)]
    rows[1] = '2611239999,2025-11-23 10:15:00,"没有闭合的引号,兰溪路\n'
    with pytest.raises(ImportFileError, match="第 3 行"):
        read_table((HOTLINE + "".join(rows)).encode(), "工单.csv")


def test_a_cell_at_the_limit_is_read():
    data = HOTLINE + f"2611230001,2025-11-23 10:15:00,{'a' * LIMIT},x\n"
    table = read_table(data.encode(), "工单.csv", columns={"诉求内容": ("诉求内容",)})
    assert len(table.value(table.rows[0], "诉求内容")) == LIMIT


def test_the_hotline_import_api_answers_422_naming_the_row(world, login):
    data = HOTLINE + GOOD + f"2611230002,2025-11-23 11:00:00,{'噪' * (LIMIT + 1)},x\n"
    upload = io.BytesIO(data.encode())
    upload.name = "工单.csv"
    client = login(world.operator)
    response = client.post("/api/v1/case-imports/hotline", {"file": upload})
    assert response.status_code == 422, response.content[:300]
    body = response.json()
    assert body["errors"][0]["field"] == "file" and "第 3 行" in body["detail"]
    assert client.get("/api/v1/cases/").json()["count"] == 0


def test_the_resident_import_says_which_row(world):
    header = "姓名,身份证号,小区,楼号,室号\n"
    long_name = "李" + "明" * (LIMIT + 1)
    data = header + "王芳,310107194001011234,曹杨一村,1,101\n" + f"{long_name},310107194001011234,曹杨一村,1,102\n"
    with pytest.raises(ImportFileError, match="第 3 行"):
        import_residents(data=data.encode(), filename="居民.csv", subdistrict=world.sub, by=None)
    assert not Resident.objects.exists()
