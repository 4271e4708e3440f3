"""The suggested follow-up of an assessed note (建议跟进): a suggestion only, a person confirms it.

A 高 note proposes a new visit task within ``TASK_WITHIN_DAYS`` days; when its types include 安全 or 环境
it also proposes a case draft (案件草稿) for the cases intake, with a description made of the note's evidence
and, when the cases taxonomy has a category for what was found, that category's name and code. Nothing is
filed automatically: the visits app shows the suggestion and files what the worker or 居委 head confirms.
"""

import re
from dataclasses import dataclass

from jiedao.cases.taxonomy import CLASSIFIED

TASK_WITHIN_DAYS = 3  # a 高 note asks for another visit within 3 days (issue 15)
CASE_TYPES = ("安全", "环境")  # the types a case draft is proposed for
DESCRIPTION_PREFIX = "走访发现："
DESCRIPTION_MAX = 500  # characters of evidence in a case draft's description

# What was found → the taxonomy category (its name in taxonomy.EVENTS), first match wins. A category the
# taxonomy does not have (an admin retired it) gives a draft without a category.
CATEGORY_CUES: tuple[tuple[str, str], ...] = (
    (r"飞线|私拉.{0,2}电线|拉电线|(电瓶|电池|电动车).{0,10}充电|充电.{0,6}(电瓶|电池)", "飞线充电"),
    (r"电梯.{0,6}(电瓶车|电动车)|(电瓶车|电动车).{0,6}(电梯|上楼|入梯)", "电瓶车入梯"),
    (r"(楼道|楼梯|通道|走廊|出口).{0,12}(堆|放|停|堵|占)|(堆|堵|占).{0,12}(楼道|楼梯|通道|走廊|出口)", "消防通道占用"),
    (r"群租|隔(了|成|出).{0,3}间|住了十几个人", "群租"),
    (r"违建|搭建|棚子", "违法搭建"),
    (r"油烟", "餐饮油烟"),
    (r"噪音|吵得", "噪音扰民"),
    (r"漏水|渗水|漏雨|天花板|墙皮|空调架|外机|塌", "房屋维修"),
    (r"垃圾|堆物|杂物", "垃圾堆放"),
)


@dataclass(frozen=True)
class CaseDraft:
    """A case the worker may file on the 走访发现 channel: the description, and a category if one fits."""

    description: str
    category: str | None
    code: str | None  # the taxonomy's stable code (e.g. S0802), None when no category fits


@dataclass(frozen=True)
class FollowUp:
    """建议跟进: a new visit task within ``task_within_days`` days, and maybe a case draft."""

    task_within_days: int
    reason: str
    case_draft: CaseDraft | None = None


def suggest(*, risk: str, types: list[str], evidence_by_type: dict[str, list[str]]) -> FollowUp | None:
    """The follow-up for an assessment: None below 高."""
    if risk != "高":
        return None
    reason = "高风险（" + "、".join(types) + "）" if types else "高风险"
    draft = None
    found = [phrase for kind in CASE_TYPES if kind in types for phrase in evidence_by_type.get(kind, [])]
    if any(kind in types for kind in CASE_TYPES):
        draft = case_draft(list(dict.fromkeys(found)))
    return FollowUp(task_within_days=TASK_WITHIN_DAYS, reason=reason, case_draft=draft)


def case_draft(phrases: list[str]) -> CaseDraft:
    """A case draft from the phrases that show the 安全 / 环境 problem."""
    description = DESCRIPTION_PREFIX + "；".join(phrases) if phrases else DESCRIPTION_PREFIX.rstrip("：")
    description = description[:DESCRIPTION_MAX]
    text = "；".join(phrases)
    for pattern, name in CATEGORY_CUES:
        if name in CLASSIFIED and re.search(pattern, text):
            return CaseDraft(description=description, category=name, code=CLASSIFIED[name])
    return CaseDraft(description=description, category=None, code=None)
