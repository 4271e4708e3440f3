"""Text rules every write shares: plain text only, length limits, categories by code, urgent words."""

import re

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from jiedao.cases.models import Category

MAX_TEXT = 2000
MAX_NOTE = 1000

# 紧急: words in a demand that make it urgent whatever its category (gas, fire, people trapped …).
URGENT_WORDS = (
    "煤气", "燃气", "漏气", "着火", "起火", "火灾", "冒烟", "浓烟", "被困", "困在电梯", "困梯", "关在电梯", "触电",
    "漏电", "坍塌", "倒塌", "塌了", "晕倒", "倒地不起", "昏迷", "爆炸", "跳楼",
)


def clean_text(text: str, *, field: str, limit: int = MAX_TEXT, required: bool = True) -> str:
    """Plain text only: tags are stripped (pages escape on output anyway), whitespace normalised."""
    text = re.sub(r"(?is)<(script|style)\b.*?(</\1\s*>|$)", "", str(text or ""))  # their content is not text
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", strip_tags(text))
    text = re.sub(r"[ \t\r\f\v]+", " ", text).strip()
    if required and not text:
        raise ValidationError({field: _("内容不能为空")})
    if len(text) > limit:
        raise ValidationError({field: _("内容太长：最多 %(n)s 个字") % {"n": limit}})
    return text


def category_by_code(code: str, *, field: str = "category") -> Category:
    """The active category with this code (or, failing that, this name); a ValidationError on ``field``."""
    try:
        return Category.objects.get(code=str(code).strip(), active=True)
    except Category.DoesNotExist:
        try:
            return Category.objects.get(name=str(code).strip(), active=True)
        except Category.DoesNotExist:
            raise ValidationError({field: _("未知的案件分类：%(code)s") % {"code": code}}) from None


def is_urgent_text(text: str) -> bool:
    """Whether the text names a danger (``URGENT_WORDS``) that makes the case urgent whatever its category."""
    return any(word in text for word in URGENT_WORDS)
