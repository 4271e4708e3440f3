import pytest
from django.core.exceptions import ValidationError

from jiedao.geo import address
from jiedao.geo.address import AddressIndex, Gazetteer, chinese_to_int, parse, parse_and_resolve

GAZ = Gazetteer(
    roads={"兰溪路": "兰溪路", "梅岭北路": "梅岭北路", "枣阳路": "枣阳路", "枣杨路": "枣阳路"},
    estates={"曹杨一村": "曹杨一村", "桂巷新村": "桂巷新村"},
)


def parts(parsed, *names):
    return tuple(getattr(parsed, n) for n in names)


# --- parse ----------------------------------------------------------------------------------------------


def test_road_lane_number_and_room_are_split():
    p = parse("兰溪路200弄5号301室", GAZ)
    assert parts(p, "road", "lane", "number", "room", "rest") == ("兰溪路", "200", "5", "301", "")
    assert p.estate is None and p.recognised


def test_district_and_subdistrict_prefixes_are_taken_off():
    p = parse("普陀区曹杨新村街道枣阳路100弄3号", GAZ)
    assert parts(p, "district", "subdistrict", "road", "lane", "number") == (
        "普陀区", "曹杨新村街道", "枣阳路", "100", "3"
    )


def test_city_prefix_chinese_lane_and_building_suffix_are_read():
    p = parse("上海市普陀区兰溪路二百弄5号楼301", GAZ)
    assert parts(p, "city", "district", "road", "lane", "number", "room", "rest") == (
        "上海市", "普陀区", "兰溪路", "200", "5", "301", ""
    )


def test_an_estate_stands_in_for_the_road():
    p = parse("曹杨一村12号301室", GAZ)
    assert parts(p, "road", "estate", "number", "room") == (None, "曹杨一村", "12", "301")
    assert p.recognised


def test_spaces_between_parts_and_a_unit_are_handled():
    p = parse("梅岭北路 41号 2单元 502室", GAZ)
    assert parts(p, "road", "lane", "number", "unit", "room", "rest") == ("梅岭北路", None, "41", "2", "502", "")


def test_full_width_digits_are_read_as_digits():
    p = parse("兰溪路２００弄５号", GAZ)
    assert parts(p, "road", "lane", "number") == ("兰溪路", "200", "5")


@pytest.mark.parametrize(
    "text", ["兰溪路200弄5-301", "兰溪路200弄5号-301", "兰溪路200弄５－３０１", "兰溪路200弄5—301"]
)
def test_number_dash_room_is_split(text):
    p = parse(text, GAZ)
    assert parts(p, "lane", "number", "room", "rest") == ("200", "5", "301", "")


def test_an_unknown_road_is_recognised_by_its_suffix():
    p = parse("杏山路12号", GAZ)
    assert parts(p, "road", "number") == ("杏山路", "12")
    assert parse("杏山路12号").road == "杏山路"  # also with no gazetteer at all


def test_a_known_road_is_not_cut_at_a_shorter_suffix():
    gaz = Gazetteer(roads={"梅岭北路": "梅岭北路", "梅岭路": "梅岭路"})
    assert parse("梅岭北路41号", gaz).road == "梅岭北路"


def test_an_alias_gives_the_canonical_road_name():
    assert parse("枣杨路100弄3号", GAZ).road == "枣阳路"


def test_an_estate_named_like_the_subdistrict_does_not_eat_the_subdistrict():
    gaz = Gazetteer(roads={"兰溪路": "兰溪路"}, estates={"曹杨新村": "曹杨新村"})
    p = parse("曹杨新村街道兰溪路12号", gaz)
    assert parts(p, "subdistrict", "road", "estate", "number") == ("曹杨新村街道", "兰溪路", None, "12")


def test_a_road_and_an_estate_can_both_be_named():
    p = parse("兰溪路曹杨一村12号", GAZ)
    assert parts(p, "road", "estate", "number") == ("兰溪路", "曹杨一村", "12")


@pytest.mark.parametrize(("text", "number"), [("兰溪路200弄5幢", "5"), ("兰溪路200弄5栋", "5"),
                                              ("兰溪路200弄十二号", "12"), ("梅岭北路四十一号", "41"),
                                              ("兰溪路200弄5-1号", "5-1")])
def test_door_number_forms(text, number):
    assert parse(text, GAZ).number == number


@pytest.mark.parametrize("text", ["你好世界", "请尽快处理", "12345", "", "！！！"])
def test_text_without_a_road_or_estate_is_not_recognised(text):
    p = parse(text, GAZ)
    assert not p.recognised
    assert p.road is None and p.estate is None and p.number is None
    assert p.raw == text


def test_unread_tail_is_kept_in_rest():
    p = parse("兰溪路200弄5号后门垃圾桶", GAZ)
    assert parts(p, "road", "number", "rest") == ("兰溪路", "5", "后门垃圾桶")


def test_an_unknown_road_with_xiang_inside_its_name_is_kept_whole():
    p = parse("桂巷路12号")
    assert parts(p, "road", "number", "rest") == ("桂巷路", "12", "")


def test_an_unknown_road_with_a_lane_in_chinese_numerals_is_recognised():
    p = parse("杏山路二百弄5号")
    assert parts(p, "road", "lane", "number") == ("杏山路", "200", "5")


def test_a_bare_number_after_the_road_is_the_door_number():
    p = parse("梅岭北路41", GAZ)
    assert parts(p, "number", "room") == ("41", None)


# --- chinese_to_int -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("二百", 200), ("十二", 12), ("十", 10), ("三十五", 35), ("一百零五", 105), ("两千零五", 2005),
     ("一二三", 123), ("二〇〇", 200), ("五", 5), ("零", 0)],
)
def test_chinese_numerals_are_read(text, value):
    assert chinese_to_int(text) == value


# --- AddressIndex.resolve -------------------------------------------------------------------------------

ROWS = [
    (1, "兰溪路", "200", "5", "曹杨一村"),
    (2, "兰溪路", "200", "6", "曹杨一村"),
    (3, "梅岭北路", "", "41", "桂巷新村"),
    (4, "枣阳路", "100", "3", None),
    (5, "兰溪路", "", "12", "曹杨一村"),
]


@pytest.fixture
def index():
    return AddressIndex(ROWS, GAZ)


@pytest.mark.parametrize(
    ("text", "building_id"),
    [("兰溪路200弄5号301室", 1), ("上海市普陀区兰溪路二百弄6号楼", 2), ("梅岭北路41号2单元502室", 3),
     ("枣阳路100弄3号", 4), ("兰溪路12号", 5)],
)
def test_road_lane_and_number_resolve_to_the_building(index, text, building_id):
    assert index.parse_and_resolve(text)[1] == building_id


def test_estate_and_number_resolve_to_the_building(index):
    assert index.resolve(parse("曹杨一村12号301室", GAZ)) == 5
    assert index.resolve(parse("桂巷新村41号", GAZ)) == 3


def test_an_alias_road_resolves_like_the_canonical_name(index):
    assert index.resolve(parse("枣杨路100弄3号", GAZ)) == 4


def test_a_plate_that_does_not_match_falls_back_to_the_estate(index):
    assert index.resolve(parse("兰溪路曹杨一村12号", GAZ)) == 5


@pytest.mark.parametrize("text", ["兰溪路200弄99号", "兰溪路5号", "兰溪路300弄5号", "梅岭北路42号", "桂巷新村99号",
                                  "杏山路12号", "兰溪路200弄", "你好世界"])
def test_unknown_plates_resolve_to_nothing(index, text):
    assert index.resolve(parse(text, GAZ)) is None


# --- parse_and_resolve against the database ---------------------------------------------------------------


@pytest.fixture
def world_index(world):
    address._indexes.clear()
    yield world
    address._indexes.clear()


def test_an_operator_gets_the_building_its_grid_and_address(world_index):
    w = world_index
    result = parse_and_resolve("上海市普陀区兰溪路200弄5号301室", user=w.operator)
    assert result["building_id"] == w.b11.pk
    assert result["grid_id"] == w.g11.pk
    assert result["building_address"] == "兰溪路200弄5号"
    assert (result["road"], result["lane"], result["number"], result["room"]) == ("兰溪路", "200", "5", "301")
    assert result["message"] is None


def test_an_alias_from_the_road_table_resolves(world_index):
    result = parse_and_resolve("兰溪支路200弄6号", user=world_index.operator)
    assert result["road"] == "兰溪路"
    assert result["building_id"] == world_index.b12.pk


def test_a_grid_worker_gets_buildings_of_their_grid_only(world_index):
    w = world_index
    inside = parse_and_resolve("兰溪路200弄5号", user=w.grid_worker)
    assert inside["building_id"] == w.b11.pk
    outside = parse_and_resolve("梅岭北路41号", user=w.grid_worker)
    assert outside["building_id"] is None
    assert outside["grid_id"] is None and outside["building_address"] is None
    assert outside["message"] == "地址已解析，但没有找到对应的楼栋"


def test_a_building_out_of_scope_looks_the_same_as_one_that_does_not_exist(world_index):
    w = world_index
    out_of_scope = parse_and_resolve("梅岭北路41号", user=w.grid_worker)
    missing = parse_and_resolve("梅岭北路99号", user=w.grid_worker)
    assert out_of_scope["message"] == missing["message"]
    assert out_of_scope["building_id"] is missing["building_id"] is None


def test_an_operator_of_another_subdistrict_does_not_get_the_building(world_index):
    result = parse_and_resolve("兰溪路200弄5号", user=world_index.other_operator)
    assert result["building_id"] is None


def test_a_resident_gets_no_building(world_index):
    result = parse_and_resolve("兰溪路200弄5号", user=world_index.resident)
    assert result["building_id"] is None


def test_an_unreadable_address_comes_back_with_a_message(world_index):
    result = parse_and_resolve("请尽快处理", user=world_index.operator)
    assert result["building_id"] is None
    assert result["message"] == "无法识别地址中的道路或小区"


def test_a_readable_address_without_a_building_says_so(world_index):
    result = parse_and_resolve("兰溪路200弄99号", user=world_index.operator)
    assert result["building_id"] is None
    assert result["message"] == "地址已解析，但没有找到对应的楼栋"


@pytest.mark.parametrize("text", ["", "   ", None])
def test_an_empty_address_is_refused(world_index, text):
    with pytest.raises(ValidationError) as info:
        parse_and_resolve(text, user=world_index.operator)
    assert info.value.messages == ["地址不能为空"]


def test_an_address_over_200_characters_is_refused(world_index):
    with pytest.raises(ValidationError) as info:
        parse_and_resolve("兰溪路200弄5号" + "甲" * 192, user=world_index.operator)
    assert info.value.messages == ["地址太长：最多 200 个字"]


def test_an_address_of_exactly_200_characters_is_parsed(world_index):
    text = "兰溪路200弄5号" + "甲" * 191
    assert len(text) == 200
    assert parse_and_resolve(text, user=world_index.operator)["number"] == "5"
