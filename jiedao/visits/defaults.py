"""The rules and checklist the platform ships with: Caoyang's 四百走访 practice.

Every household at least once a year; 红 households monthly, 黄 quarterly (the registry's care colours:
it has 红 / 黄 / 绿, no 橙, so the plan's "橙 every two months" has no households to apply to until the
registry gains that colour; an administrator then adds the rule); a household someone moved into within
30 days, within 30 days of the move; a 回访 within 5 working days after a case linked to the household is
closed. Installed per subdistrict by ``install`` (the task generator calls it for a subdistrict that has
none), then edited in the admin; a 居委 head sets their own frequencies on the plan page.
"""

from django.utils.translation import gettext_noop

from jiedao.visits.models import RuleKind, VisitRule

RULES = [
    # code, name, kind, colour, every_months, within_days, due_days, working_days, order
    ("baseline", gettext_noop("每户每年至少走访一次"), RuleKind.ALL, "", 12, None, None, False, 10),
    ("red", gettext_noop("红色户每月走访"), RuleKind.COLOUR, "red", 1, None, None, False, 20),
    ("yellow", gettext_noop("黄色户每季度走访"), RuleKind.COLOUR, "yellow", 3, None, None, False, 30),
    ("moved_in", gettext_noop("新迁入户 30 天内走访"), RuleKind.MOVED_IN, "", None, 30, 30, False, 40),
    ("case_closed", gettext_noop("案件办结后 5 个工作日内回访"), RuleKind.CASE_CLOSED, "", None, None, 5, True, 50),
]

# The checklist (installed by migration 0002): code, label, hint, order.
CHECKLIST = [
    ("gas", gettext_noop("燃气安全"), gettext_noop("灶具、软管、报警器"), 10),
    ("power", gettext_noop("用电安全"), gettext_noop("私拉电线、电动车室内充电"), 20),
    ("smoke", gettext_noop("烟感"), gettext_noop("烟感报警器是否在位、有电"), 30),
    ("mobility", gettext_noop("行动能力"), gettext_noop("能否自理、上下楼"), 40),
    ("mind", gettext_noop("精神状态"), gettext_noop("情绪、记忆、言语"), 50),
    ("family", gettext_noop("家人探望"), gettext_noop("子女或亲属多久来一次"), 60),
    ("money", gettext_noop("经济困难"), gettext_noop("看病、吃饭、水电煤开销"), 70),
    ("home", gettext_noop("居住环境"), gettext_noop("卫生、漏水、堆物"), 80),
]


def install(*, subdistrict_id: int) -> int:
    """Install the shipped default rules of a subdistrict that lacks them; returns how many were added."""
    have = set(VisitRule.objects.filter(subdistrict_id=subdistrict_id, community__isnull=True)
               .values_list("code", flat=True))
    rows = [
        VisitRule(subdistrict_id=subdistrict_id, code=code, name=name, kind=kind, colour=colour,
                  every_months=every, within_days=within, due_days=due, working_days=working, order=order)
        for code, name, kind, colour, every, within, due, working, order in RULES if code not in have
    ]
    VisitRule.objects.bulk_create(rows)
    return len(rows)
