"""Validators shared by every module: resident ID numbers and mainland mobile numbers.

Messages are Chinese and name the fix, as users see them on import reports and forms.
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# GB/T 2260 province-level codes (the first two digits of every administrative division code).
PROVINCE_CODES = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}

# Shanghai's current county-level codes; the demo draws birthplaces from these.
SHANGHAI_DISTRICTS = {
    "310101": "黄浦区", "310104": "徐汇区", "310105": "长宁区", "310106": "静安区", "310107": "普陀区",
    "310109": "虹口区", "310110": "杨浦区", "310112": "闵行区", "310113": "宝山区", "310114": "嘉定区",
    "310115": "浦东新区", "310116": "金山区", "310117": "松江区", "310118": "青浦区", "310120": "奉贤区",
    "310151": "崇明区",
}

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2) of the first 17 digits."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value)).split()).upper()


def validate_resident_id(value: str, *, today: dt.date | None = None) -> str:
    """Check an 18-digit resident ID number; return it normalised (upper-case X, no spaces)."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("身份证号应为 18 位，实际为 %(n)d 位") % {"n": len(number)}, code="id_length"
        )
    if not _ID_RE.match(number):
        raise ValidationError(
            _("身份证号只能由 17 位数字加 1 位数字或 X 组成"), code="id_chars"
        )
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("身份证号地区码无效：%(code)s 不是有效的省级行政区划代码") % {"code": number[:2]},
            code="id_region",
        )
    if number[2:4] == "00" and number[:2] not in {"71", "81", "82"}:
        raise ValidationError(
            _("身份证号地区码无效：%(code)s 不是县级行政区划代码") % {"code": number[:6]}, code="id_region"
        )
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise ValidationError(
            _("身份证号出生日期无效：%(date)s 不存在") % {"date": number[6:14]}, code="id_birth"
        ) from exc
    today = today or dt.date.today()
    if born > today or born.year < 1890:
        raise ValidationError(
            _("身份证号出生日期不合理：%(date)s") % {"date": born.isoformat()}, code="id_birth"
        )
    expected = id_check_digit(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("身份证号校验位错误：应为 %(expected)s，实际为 %(actual)s")
            % {"expected": expected, "actual": number[17]},
            code="id_checksum",
        )
    return number


def birth_date_from_id(number: str) -> dt.date:
    return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def sex_from_id(number: str) -> str:
    """'M' or 'F': the 17th digit is odd for men, even for women."""
    return "M" if int(number[16]) % 2 else "F"


def normalize_mobile(value: str) -> str:
    number = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", str(value)))
    for prefix in ("+86", "0086"):
        if number.startswith(prefix):
            return number[len(prefix):]
    if number.startswith("86") and len(number) == 13:  # a bare 86 only when a full number follows
        return number[2:]
    return number


def validate_mobile(value: str) -> str:
    """Check a mainland mobile number (11 digits, 13x–19x); return it without spaces or +86."""
    number = normalize_mobile(value)
    if not number.isdigit():
        raise ValidationError(_("手机号只能包含数字"), code="mobile_chars")
    if len(number) != 11:
        raise ValidationError(
            _("手机号应为 11 位，实际为 %(n)d 位") % {"n": len(number)}, code="mobile_length"
        )
    if not _MOBILE_RE.match(number):
        raise ValidationError(
            _("手机号号段无效：应以 13–19 开头，实际为 %(prefix)s") % {"prefix": number[:2]},
            code="mobile_prefix",
        )
    return number
