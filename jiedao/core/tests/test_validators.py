import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jiedao.core.validators import (
    birth_date_from_id,
    id_check_digit,
    normalize_mobile,
    sex_from_id,
    validate_mobile,
    validate_resident_id,
)

TODAY = dt.date(2025, 6, 1)
GB_EXAMPLE = "11010519491231002X"  # the worked example of GB 11643-1999


def make_id(region: str = "310107", born: str = "19900101", seq: str = "123") -> str:
    first17 = region + born + seq
    return first17 + id_check_digit(first17)


def error_of(func, value, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(value, **kwargs)
    return info.value


# --- validate_resident_id ---------------------------------------------------------------------------


def test_check_digit_of_the_gb_11643_example_is_x():
    assert id_check_digit(GB_EXAMPLE[:17]) == "X"


def test_gb_11643_example_is_accepted():
    assert validate_resident_id(GB_EXAMPLE, today=TODAY) == GB_EXAMPLE


@pytest.mark.parametrize(
    ("region", "born", "seq"),
    [("310107", "19900101", "123"), ("440305", "20000229", "456"), ("650102", "19450815", "001"),
     ("810000", "19800101", "002")],
)
def test_ids_with_a_correct_check_digit_are_accepted_unchanged(region, born, seq):
    number = make_id(region, born, seq)
    assert validate_resident_id(number, today=TODAY) == number


def _other_check_char(right: str) -> str:
    return "0" if right != "0" else "1"


@pytest.mark.parametrize("first17", ["11010519491231002", "31010719900101123", "44030520000229456",
                                      "31010719850612004"])
def test_wrong_check_digit_names_the_expected_and_actual_characters(first17):
    right = id_check_digit(first17)
    wrong = _other_check_char(right)
    err = error_of(validate_resident_id, first17 + wrong, today=TODAY)
    assert err.code == "id_checksum"
    assert err.messages == [f"身份证号校验位错误：应为 {right}，实际为 {wrong}"]


def test_a_digit_where_x_is_expected_is_reported_as_such():
    err = error_of(validate_resident_id, "110105194912310021", today=TODAY)
    assert err.messages == ["身份证号校验位错误：应为 X，实际为 1"]


def test_a_single_changed_digit_breaks_the_checksum():
    number = make_id()
    tampered = number[:10] + "1" + number[11:]  # month 01 -> 11: still a real date
    assert validate_resident_id(tampered[:17] + id_check_digit(tampered[:17]), today=TODAY)
    with pytest.raises(ValidationError) as info:
        validate_resident_id(tampered, today=TODAY)
    assert info.value.code == "id_checksum"


@pytest.mark.parametrize(("value", "length"), [("1101051949123100", 16), ("11010519491231002X1", 19), ("", 0),
                                                ("31010719900101123", 17)])
def test_ids_of_the_wrong_length_are_refused_with_the_actual_length(value, length):
    err = error_of(validate_resident_id, value, today=TODAY)
    assert err.code == "id_length"
    assert err.messages == [f"身份证号应为 18 位，实际为 {length} 位"]


@pytest.mark.parametrize("value", ["11010519491231002Y", "1101051949123100XX", "11010519491231-02X",
                                   "X1010519491231002X", "11010519491231002*"])
def test_ids_with_characters_other_than_digits_and_a_final_x_are_refused(value):
    err = error_of(validate_resident_id, value, today=TODAY)
    assert err.code == "id_chars"
    assert err.messages == ["身份证号只能由 17 位数字加 1 位数字或 X 组成"]


@pytest.mark.parametrize("region", ["000000", "990101", "200101", "390101"])
def test_ids_with_an_unknown_province_code_are_refused(region):
    err = error_of(validate_resident_id, make_id(region=region), today=TODAY)
    assert err.code == "id_region"
    assert err.messages == [f"身份证号地区码无效：{region[:2]} 不是有效的省级行政区划代码"]


def test_ids_with_a_province_level_rather_than_county_code_are_refused():
    err = error_of(validate_resident_id, make_id(region="310000"), today=TODAY)
    assert err.code == "id_region"
    assert "310000 不是县级行政区划代码" in err.messages[0]


@pytest.mark.parametrize("born", ["19990230", "19900229", "19901301", "19900001", "19900132"])
def test_impossible_birth_dates_are_refused(born):
    err = error_of(validate_resident_id, make_id(born=born), today=TODAY)
    assert err.code == "id_birth"
    assert err.messages == [f"身份证号出生日期无效：{born} 不存在"]


def test_leap_day_birth_dates_are_accepted():
    assert validate_resident_id(make_id(born="20000229"), today=TODAY)


def test_a_birth_date_after_today_is_refused():
    err = error_of(validate_resident_id, make_id(born="20250602"), today=TODAY)
    assert err.code == "id_birth"
    assert err.messages == ["身份证号出生日期不合理：2025-06-02"]


def test_a_birth_date_of_today_is_accepted():
    assert validate_resident_id(make_id(born="20250601"), today=TODAY)


def test_a_birth_date_before_1890_is_refused():
    err = error_of(validate_resident_id, make_id(born="18891231"), today=TODAY)
    assert err.code == "id_birth"


def test_future_check_uses_the_real_date_when_none_is_given():
    next_year = dt.date.today().year + 1
    err = error_of(validate_resident_id, make_id(born=f"{next_year}0101"))
    assert err.code == "id_birth"


def test_lower_case_x_is_normalised_to_upper_case():
    assert validate_resident_id(GB_EXAMPLE.lower(), today=TODAY) == GB_EXAMPLE


@pytest.mark.parametrize("value", [" 11010519491231002X ", "110105 19491231 002X", "110105\t19491231\u3000002x"])
def test_spaces_are_stripped_before_checking(value):
    assert validate_resident_id(value, today=TODAY) == GB_EXAMPLE


def test_the_checks_run_in_order_so_the_first_problem_is_reported():
    # Bad length wins over bad characters, bad date wins over a bad check digit.
    assert error_of(validate_resident_id, "ABC", today=TODAY).code == "id_length"
    assert error_of(validate_resident_id, "110105199902300000", today=TODAY).code == "id_birth"


# --- birth date and sex ----------------------------------------------------------------------------


def test_birth_date_is_read_from_digits_7_to_14():
    assert birth_date_from_id(GB_EXAMPLE) == dt.date(1949, 12, 31)
    assert birth_date_from_id(make_id(born="20000229")) == dt.date(2000, 2, 29)


@pytest.mark.parametrize(("seq", "sex"), [("001", "M"), ("002", "F"), ("123", "M"), ("998", "F"), ("009", "M")])
def test_sex_is_read_from_the_parity_of_the_17th_digit(seq, sex):
    assert sex_from_id(make_id(seq=seq)) == sex


def test_the_gb_example_is_a_woman():
    assert sex_from_id(GB_EXAMPLE) == "F"


# --- mobile numbers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["13812345678", "+8613812345678", "+86 138 1234 5678", "0086 138 1234 5678", "008613812345678",
     "86-138-1234-5678", "138-1234-5678", "(138) 1234 5678", " 13812345678\n"],
)
def test_country_prefixes_spaces_and_dashes_are_removed(value):
    assert normalize_mobile(value) == "13812345678"
    assert validate_mobile(value) == "13812345678"


@pytest.mark.parametrize("prefix", ["13", "14", "15", "16", "17", "18", "19"])
def test_numbers_starting_13_to_19_are_accepted(prefix):
    number = prefix + "912345678"
    assert validate_mobile(number) == number


def test_an_eleven_digit_number_starting_86_keeps_its_digits():
    # 86 is stripped only when 11 digits follow it.
    assert normalize_mobile("86123456789") == "86123456789"


@pytest.mark.parametrize("prefix", ["12", "10", "11", "02"])
def test_numbers_outside_the_mobile_ranges_are_refused(prefix):
    err = error_of(validate_mobile, prefix + "012345678")
    assert err.code == "mobile_prefix"
    assert err.messages == [f"手机号号段无效：应以 13–19 开头，实际为 {prefix}"]


def test_a_12x_number_with_country_prefix_is_still_refused():
    err = error_of(validate_mobile, "+86 120 1234 5678")
    assert err.code == "mobile_prefix"


@pytest.mark.parametrize(("value", "length"), [("1381234567", 10), ("138123456789", 12), ("138", 3)])
def test_numbers_of_the_wrong_length_are_refused_with_the_actual_length(value, length):
    err = error_of(validate_mobile, value)
    assert err.code == "mobile_length"
    assert err.messages == [f"手机号应为 11 位，实际为 {length} 位"]


@pytest.mark.parametrize("value", ["138l2345678", "abc", "138.1234.5678", "+44 7700 900123x"])
def test_numbers_with_letters_or_other_signs_are_refused(value):
    err = error_of(validate_mobile, value)
    assert err.code == "mobile_chars"
    assert err.messages == ["手机号只能包含数字"]


@pytest.mark.parametrize(("value", "length"), [("+86 138 1234 567", 10), ("+8612345", 5),
                                                ("0086 138 1234 56789", 12)])
def test_a_wrong_length_number_with_a_country_prefix_reports_the_length_without_it(value, length):
    err = error_of(validate_mobile, value)
    assert err.code == "mobile_length"
    assert err.messages == [f"手机号应为 11 位，实际为 {length} 位"]
