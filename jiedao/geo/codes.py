"""The place-code scheme, in one module.

- 街道 (subdistrict): 9 digits, the GB/T 2260 county code (6) + the 3-digit 乡级 code used by the
  statistical division codes (统计用区划代码), e.g. 310107005 for 曹杨新村街道, 普陀区.
- 居委会 (neighbourhood committee): 12 digits, subdistrict code + 3-digit 居委 sequence, as in the
  statistical division codes, e.g. 310107005001.
- 网格 (unit grid): 15 digits following GB/T 30428.1 (数字化城市管理信息系统 单元网格): county (6) +
  street (3) + community (3) + grid sequence (3), e.g. 310107005001002.
- 片区 (service district, a Shanghai practice with no national code): subdistrict code + "P" + 2 digits.
- 小区 (estate): subdistrict code + "E" + 3 digits; 楼栋 (building): estate code + "B" + 4 digits;
  单元: building code + "U" + 2 digits.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

SUBDISTRICT_RE = re.compile(r"^\d{9}$")
COMMUNITY_RE = re.compile(r"^\d{12}$")
GRID_RE = re.compile(r"^\d{15}$")


def area_code(subdistrict_code: str, seq: int) -> str:
    return f"{subdistrict_code}P{seq:02d}"


def community_code(subdistrict_code: str, seq: int) -> str:
    return f"{subdistrict_code}{seq:03d}"


def grid_code(community_code_: str, seq: int) -> str:
    return f"{community_code_}{seq:03d}"


def estate_code(subdistrict_code: str, seq: int) -> str:
    return f"{subdistrict_code}E{seq:03d}"


def building_code(estate_code_: str, seq: int) -> str:
    return f"{estate_code_}B{seq:04d}"


def unit_code(building_code_: str, seq: int) -> str:
    return f"{building_code_}U{seq:02d}"


def validate_subdistrict_code(value: str) -> None:
    if not SUBDISTRICT_RE.match(value or ""):
        raise ValidationError(_("街道代码应为 9 位数字，例如 310107005"), code="subdistrict_code")


def validate_community_code(value: str) -> None:
    if not COMMUNITY_RE.match(value or ""):
        raise ValidationError(_("居委会代码应为 12 位数字（街道代码 + 3 位顺序码）"), code="community_code")


def validate_grid_code(value: str) -> None:
    if not GRID_RE.match(value or ""):
        raise ValidationError(
            _("网格代码应为 15 位数字（区县 6 位 + 街道 3 位 + 社区 3 位 + 网格 3 位）"), code="grid_code"
        )


def parent_codes(code: str) -> dict[str, str]:
    """The subdistrict and community codes a 12- or 15-digit place code belongs to."""
    out = {}
    if len(code) >= 9 and code[:9].isdigit():
        out["subdistrict"] = code[:9]
    if len(code) >= 12 and code[:12].isdigit():
        out["community"] = code[:12]
    return out
