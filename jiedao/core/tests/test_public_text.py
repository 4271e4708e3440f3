"""core.public_text.mask_public_text: every common written form of a phone or ID number is masked; ordinary
numbers (dates, amounts, 工单编号, case numbers, house numbers) are left as written."""

import pytest

from jiedao.core.public_text import mask_public_text

MOBILES = [
    "13912345678",
    "139-1234-5678",
    "139 1234 5678",
    "139.1234.5678",
    "139 - 1234 - 5678",
    "139-12345678",
    "1391 234 5678",
    "1391-2345-678",
    "+86 139 1234 5678",
    "+86-139-1234-5678",
    "+8613912345678",
    "+86 13912345678",
    "(+86)13912345678",
    "0086 139 1234 5678",
    "008613912345678",
    "１３９１２３４５６７８",                 # full-width digits
    "１３９－１２３４－５６７８",             # full-width digits and dashes
    "＋８６　１３９　１２３４　５６７８",       # full-width plus, ideographic spaces
    "139—1234—5678",                        # em dashes
    "139–1234–5678",                        # en dashes
    "139\u00a01234\u00a05678",              # no-break spaces
    "139\t1234\t5678",
]


@pytest.mark.parametrize("written", MOBILES)
def test_a_mobile_in_any_common_form_is_masked(written):
    masked = mask_public_text(f"我的电话{written}，请联系")
    assert masked == "我的电话139****5678，请联系"


@pytest.mark.parametrize("written", MOBILES)
def test_a_mobile_is_masked_at_the_start_and_end_of_text_and_beside_latin_letters(written):
    assert mask_public_text(written) == "139****5678"
    assert mask_public_text(f"Tel:{written}") == "Tel:139****5678"
    assert mask_public_text(f"{written}李") == "139****5678李"


@pytest.mark.parametrize("written, masked", [
    ("021-62541234", "021-****1234"),
    ("021 6254 1234", "021-****1234"),
    ("021-6254-1234", "021-****1234"),
    ("(021)62541234", "021-****1234"),
    ("（021）6254 1234", "021-****1234"),
    ("(021) 62541234", "021-****1234"),
    ("02162541234", "021-****1234"),
    ("010-87654321", "010-****4321"),
    ("0571-8765432", "0571-***5432"),
    ("0571 87654321", "0571-****4321"),
    ("+86 21 6254 1234", "021-****1234"),
    ("+86-21-62541234", "021-****1234"),
    ("+86 (0)21 62541234", "021-****1234"),
    ("0086 21 62541234", "021-****1234"),
    ("０２１－６２５４１２３４", "021-****1234"),
    ("62541234", "****1234"),
    ("6254-1234", "****1234"),
    ("6254 1234", "****1234"),
    ("６２５４１２３４", "****1234"),
    ("2541234", "***1234"),
])
def test_a_landline_with_or_without_its_area_code_is_masked(written, masked):
    assert mask_public_text(f"家里电话：{written}。") == f"家里电话：{masked}。"


def test_a_local_number_beside_a_house_or_room_number_is_still_masked():
    assert mask_public_text("电话：6254 1234 13号楼") == "电话：****1234 13号楼"
    assert mask_public_text("电话 6254-1234 301室") == "电话 ****1234 301室"
    assert mask_public_text("电话 62541234 13号楼") == "电话 ****1234 13号楼"


def test_an_extension_stays_after_the_masked_number():
    assert mask_public_text("物业 021-62541234-801") == "物业 021-****1234-801"
    assert mask_public_text("物业62541234转801") == "物业****1234转801"


@pytest.mark.parametrize("written", [
    "310107194001011234",
    "31010719400101123X",
    "31010719400101123x",
    "310107 19400101 1234",
    "310107-19400101-1234",
    "3101 0719 4001 0112 34",
    "３１０１０７１９４００１０１１２３４",
    "３１０１０７１９４００１０１１２３Ｘ",
])
def test_an_id_number_in_any_common_form_is_masked(written):
    masked = mask_public_text(f"身份证号{written}，户主")
    assert masked.startswith("身份证号3101**********") and masked.endswith("，户主")
    digits = [ch for ch in masked if ch.isdigit() or ch in "Xx"]
    assert len(digits) == 8  # the region's first four and the last four, as on staff pages


def test_several_numbers_in_one_text_are_all_masked():
    text = "王阿姨（13812345678）和她儿子 139 1234 5678 住12号301室，座机021-62541234，身份证310107194001011234。"
    assert mask_public_text(text) == (
        "王阿姨（138****5678）和她儿子 139****5678 住12号301室，座机021-****1234，身份证3101**********1234。")


def test_masking_twice_changes_nothing_more():
    once = mask_public_text("电话 139-1234-5678 / 021 6254 1234 / 310107194001011234")
    assert mask_public_text(once) == once


@pytest.mark.parametrize("text", [
    "2026-11-23 上午10:15 来电",
    "2026.11.23",
    "20261123",
    "报告日期19991231",
    "“十四五”规划（2021—2025）",
    "2021-2025年",
    "规划期2021 2025",
    "12号301室",
    "兰溪路200弄5号302室",
    "梅岭北路561弄27号小区",
    "工单编号2611230007",
    "工单编号：25120400001",
    "工单编号 26112301",
    "案件 202512040000001 已合并",
    "与202512040000001反映的是同一问题",
    "案号：23456789",
    "编号23456789",
    "维修费用12345678元",
    "共计 2345678 元",
    "总投资3456.78万元",
    "¥23456789",
    "￥2345678",
    "RMB 23456789",
    "金额：23456789",
    "面积 2345678 平方米",
    "1,234,567",
    "2345678.90",
    "23,456,789",
    "3000 4000 5000",
    "2600-3000-4000",
    "拨打12345热线",
    "962121 物业服务热线",
    "110、119、120",
    "邮编200062",
    "第3季度完成率 98.5%",
    "网格 310107005001001",
    "楼栋 310107005E001B0001",
    "时间 10:15:30",
    "1234567",
    "12345678",
])
def test_ordinary_numbers_are_left_as_written(text):
    assert mask_public_text(text) == text


def test_empty_text_is_empty():
    assert mask_public_text("") == "" and mask_public_text(None) == ""
