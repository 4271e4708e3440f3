"""Demo rows for 四百走访: a year of visit plans, tasks, visits with notes, problems filed as cases, 回访 and
residents' feedback, up to now.

Every person, note and rating here is invented. Each 居委 gets a head and a social worker per ~330
households (the ``social_worker`` and ``community_head`` personas work in the first 居委); buildings are
shared out by the load balancer (``visits.services.balance``) and tasks come from the shipped rules
(``visits.defaults``; one 居委 visits its 黄 households every two months instead of every quarter). Visits
follow the tasks: most on time, some late, a few missed or still open; notes are drawn from phrase tables
written for the demo (routine, worrying, dangerous, 回访 and 无人在家 notes, in the words of different
workers), assessed by the real assessment (``visits.assessment``, in batch) and checked for 走过场 by the real
quality check; a few sloppy workers write short or copied notes and check in far from the door. Problems a
worker files become 走访发现 cases with whole timelines (``demo.cases``' simulation); a case closed gets its
回访 within 5 working days. Rows are made in memory and written with one prepared INSERT per table.
"""

import datetime as dt
import json
import math
import multiprocessing
import os
import random
import uuid
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from jiedao.cases import workdays
from jiedao.cases.models import Case, Channel, Status
from jiedao.core.crypto import fernet
from jiedao.core.models import Subdistrict, User
from jiedao.core.roles import Role, ScopeLevel
from jiedao.demo import people
from jiedao.geo.models import Building, Community
from jiedao.registry.models import Household, Resident
from jiedao.visits import defaults, services
from jiedao.visits.models import (
    BuildingAssignment,
    CheckInVia,
    FeedbackCode,
    Outcome,
    RuleKind,
    TaskEvent,
    TaskEventKind,
    TaskKind,
    TaskStatus,
    Visit,
    VisitProblem,
    VisitRule,
    VisitTask,
)
from jiedao.visits.services.generation import Period, periods_between
from jiedao.visits.services.rules import periodic_rule_for, rules_by_community, rules_for

HOUSEHOLDS_PER_WORKER = 330
BATCH = 5000
SLOPPY_SHARE = 0.05  # workers who now and then write "正常" or copy a note, and check in from afar


# ------------------------------------------------------------------------------------------------ notes

def expand(text: str, rng: random.Random) -> str:
    """``{a|b|c}`` picks one; nested braces are not used."""
    return "".join(part if isinstance(part, str) else rng.choice(part) for part in _parts(text))


@cache  # the phrase tables' few hundred templates, each split once (320,000 expansions)
def _parts(text: str) -> tuple[str | tuple[str, ...], ...]:
    """The template as plain runs of text and tuples of choices."""
    out: list[str | tuple[str, ...]] = []
    i = 0
    while i < len(text):
        j = text.find("{", i)
        if j < 0:
            out.append(text[i:])
            break
        if j > i:
            out.append(text[i:j])
        k = text.index("}", j)
        out.append(tuple(text[j + 1:k].split("|")))
        i = k + 1
    return tuple(out)


@dataclass(frozen=True)
class Item:
    """One thing a worker may write about: the words, the checklist item it shows a problem in, and the
    problem a worker might file as a case (category name in the taxonomy, the problem's own words)."""

    text: str
    check: str = ""
    case: tuple[str, str] | None = None


ROUTINE = [Item(t) for t in (
    "身体{还可以|挺好|不错}，每天{早上|下午}下楼{散步|遛弯}",
    "血压{稳定|控制得还行}，{按时吃药|药都按时吃}",
    "家里收拾得{很干净|干干净净|整整齐齐}",
    "{燃气灶|煤气灶}用完会{关阀门|关总阀}，{安全意识不错|这点做得好}",
    "烟感{灯正常闪|正常}，上次换的电池还有电",
    "{女儿|儿子|儿媳}{每周|周末|隔两天}回来{看看|送菜}",
    "参加{社区合唱队|老年大学书法班|楼组的编织小组}，{精神很好|心情不错}",
    "问加装电梯的征询{什么时候开始|进展到哪一步了}，已{解释|说明}流程",
    "说最近菜价{有点贵|涨了}，其他{没什么|都还好}",
    "家里刚装了适老化扶手，说{很方便|好用多了}",
    "{聊了聊|说了说}家常，{老人|她|他}很高兴有人来",
    "{孙子|外孙女}放假住在家里，家里热闹",
    "对{小区绿化|楼道保洁|垃圾分类}{比较满意|没有意见}",
    "{上个月|前几天}去社区医院{配了药|做了体检}，{指标正常|医生说没问题}",
    "{冰箱|厨房}里{菜|吃的}都{新鲜|够吃}，{自己会烧饭|每天自己做饭}",
    "{有|办了}助餐卡，中午在{长者食堂|社区食堂}吃饭",
    "电动车停在{车棚|楼下充电桩}，{没有|不在}家里充电",
    "{老两口|夫妻俩}身体都{还行|不错}，互相照顾",
    "说{退休金够用|生活上没困难}，{谢谢居委关心|让我们不用担心}",
)]

WORRYING = [Item(*a) for a in (
    ("{最近|这阵子}膝盖疼，{上下楼吃力|下楼要歇好几次}", "mobility"),
    ("血压有点高，{药快吃完了|药只剩几天的了}，提醒去社区医院配药", ""),
    ("老伴去世后{话少了|不太愿意出门|情绪有点低落}", "mind"),
    ("卫生间地面{滑|有水}，{建议|已建议}装扶手和防滑垫", "home"),
    ("冰箱里{有些食物过期了|剩菜放了好几天}，提醒及时清理", "home"),
    ("一个人吃饭{随便对付|经常只吃泡饭}", "money"),
    ("说晚上{睡不好|睡不着}，{白天没精神|容易忘事}", "mind"),
    ("{水电煤|电费}欠了{两个月|一段时间}，说{手头紧|退休金不够用}", "money"),
    ("楼道里{堆了些纸箱|堆放杂物}，{提醒|已提醒}清理", "home",
     ("消防通道占用", "楼道里堆放纸箱杂物，占用通道")),
    ("子女在外地，{很少回来|一年回来一次}，{平时没人照应|家里就她一个人}", "family"),
    ("{记性|记忆力}差了，{刚说的话就忘|有时候找不到钥匙}", "mind"),
    ("{天花板|墙角}有{渗水|水渍}，{楼上可能漏水|已告诉物业}", "home",
     ("房屋维修", "室内天花板渗水，疑似楼上漏水")),
    ("窗户{关不严|玻璃有裂缝}，{冬天漏风|下雨进水}", "home", ("房屋维修", "窗户损坏关不严，下雨进水")),
    ("{听力|视力}下降，{敲门要敲很久|看不清药瓶上的字}", "mobility"),
    ("{腿脚不便|走路要扶墙}，{买菜不方便|很少下楼}", "mobility"),
    ("{问|咨询}{长护险|居家养老服务}怎么申请，已{讲解|留了材料}", ""),
    ("楼道灯{坏了|不亮}好几天，晚上{上下楼看不见|怕摔}", "",
     ("路灯损坏", "楼道照明灯损坏多日，老人夜间上下楼看不清台阶")),
)]

DANGEROUS = [Item(*a) for a in (
    ("一进门就{闻到|闻见}{煤气味|很重的煤气味}，{燃气软管老化开裂|软管发硬开裂}，已{关阀门|关总阀}并通知燃气公司",
     "gas",
     ("房屋维修", "住户家中燃气软管老化开裂，有漏气危险，需尽快更换")),
    ("电瓶车{推进屋里|放在客厅}充电，插线板{发烫|烫手}，已劝阻", "power",
     ("飞线充电", "住户在室内给电瓶车充电，插线板发烫，有火灾隐患")),
    ("从窗户{拉电线|飞线}下楼给电动车充电，{很危险|有火灾隐患}", "power",
     ("飞线充电", "从窗户拉电线到楼下给电动车充电，有火灾隐患")),
    ("{老人|她|他}前两天在卫生间{摔倒|滑倒}，{一个人爬不起来|过了很久邻居才发现}，{腰还疼|走路一瘸一拐}", "mobility"),
    ("{说|念叨}{活着没意思|不想活了|拖累子女}，{情绪很差|一直在哭}，已联系其子女和社区心理老师", "mind"),
    ("发烧{两天|三天}了{没去看病|没人照顾}，{已陪同|已联系家属}去社区医院", "mobility"),
    ("家里{堆满了捡来的纸板和塑料瓶|杂物堆到天花板}，{通道都堵了|厨房进不去}，{有火灾隐患|气味很重}", "home",
     ("垃圾堆放", "室内及门口堆满捡来的废品杂物，堵塞通道，有火灾隐患")),
    ("{几天没见到人|好几天没下楼}，敲门{很久不应|没人应}，{邻居说|楼组长说}最近没看到", "",
     ("独居老人异常", "独居老人多日未见，敲门无人应答，需上门核实")),
    ("{屋顶漏水|卫生间楼上漏水}，{电线|插座}被水泡了，{很危险|有触电危险}", "power",
     ("房屋维修", "屋顶漏水浸泡电线插座，有触电危险")),
    ("说{前几天|上个月}被人{骗|忽悠}买了{两万块|一万多块}的保健品，{很后悔|不敢跟子女说}", "money"),
    ("{冬天|这几天}{没开暖气|舍不得开空调}，{屋里很冷|手都冻僵了}，{被子很薄|只盖一床旧被子}", "money"),
    ("{忘了关火|锅烧干了}，{邻居闻到焦味来敲门|厨房墙都熏黑了}，{最近常忘事|记性越来越差}", "gas"),
    ("{空调外机支架锈断了|外机歪在墙上}，{随时可能掉下去|下面就是人行道}", "home",
     ("房屋维修", "空调外机支架锈蚀断裂，外机有坠落危险")),
)]

OPENINGS = ("@在家。", "@在家，{精神不错|刚吃过饭}。", "@和{老伴|家人}都在。", "上门见到@。", "@开的门。",
            "{护工|保姆}开的门，@在{里屋|客厅}。", "")  # @: whom the worker met
CLOSINGS = ("已留居委电话，有事随时打。", "{下周|过几天}再来看看。", "已{联系|告知}其子女。", "", "", "",
            "提醒注意{天气变化|防暑|保暖|防诈骗}。")
NOBODY = ("敲门无人应答，{邻居说去女儿家住几天|楼组长说老人住院了}，{留了联系卡|改天再来}。",
          "{两次|两趟}上门都没人，电话{没人接|关机}，已请楼组长留意。", "家里没人，门口{贴了|留了}走访联系卡。")
RETURN_OK = ("回访：{问题|上次反映的问题}已经{处理好了|解决了}，{老人|住户}{很满意|说谢谢居委}。",
             "回访：{物业|维修人员}已经上门{修好了|处理了}，{现在没问题了|住户说方便多了}。",
             "回访：处理{比较及时|还算及时}，{住户基本满意|住户说还可以}，{希望以后多来看看|没有其他要求}。")
RETURN_NOT = ("回访：问题{还没完全解决|只解决了一半}，{物业说下周再来|还要等配件}，住户{有些不满|不太满意}。",)
SLOPPY = ("正常", "已走访，无异常", "一切正常。", "情况正常，无特殊需求", "正常走访")
COMMENTS = ("", "", "谢谢社工", "小姑娘很耐心", "希望多来看看", "问题解决得很及时", "来得有点晚")
FOLLOW_UP_NOTES = ("复访：{已更换新的燃气软管|隐患已排除}，情况{稳定|好转}。",
                   "复访：{子女已回来照顾|家属已接回家住几天}，{情绪好多了|身体在恢复}。",
                   "复访：{已联系社区医生上门|已申请居家养老服务}，{下周开始|已经开始}。",
                   "复访：情况{没有明显好转|还需要观察}，{已报告居委书记|继续跟进}。")


def _address(age: int, sex: str, surname: str, rng: random.Random) -> str:
    if age >= 80:
        return surname + ("奶奶" if sex == "F" else rng.choice(("爷爷", "老伯")))
    if age >= 58:
        return surname + ("阿姨" if sex == "F" else rng.choice(("伯伯", "师傅", "老师")))
    return rng.choice((surname + ("女士" if sex == "F" else "先生"), "小" + surname))


def routine_note(who: str, rng: random.Random, *, level: str) -> tuple[str, list[Item]]:
    """A note about one visit: an opening naming who was met, what was seen (worrying or dangerous items for
    those levels), a closing; and the items written about."""
    items = rng.sample(ROUTINE, rng.randint(1, 3))
    if level == "medium":
        items = rng.sample(WORRYING, rng.choice((1, 1, 2))) + items[:rng.randint(0, 2)]
    elif level == "high":
        items = [rng.choice(DANGEROUS), *rng.sample(WORRYING, rng.randint(0, 1))]
    rng.shuffle(items)
    parts = [expand(rng.choice(OPENINGS), rng).replace("@", who)]
    parts += [expand(i.text, rng) + rng.choice(("。", "，", "；", "。")) for i in items]
    parts.append(expand(rng.choice(CLOSINGS), rng))
    text = "".join(parts).replace("，。", "。").rstrip("，；") or "。"
    return (text if text.endswith("。") else text + "。"), items


# ----------------------------------------------------------------------------------------------- people

def _people(sub: Subdistrict, rng: random.Random) -> tuple[dict[int, list[User]], list[tuple[str, str, str]]]:
    """A head and social workers for every 居委; returns workers by 居委 and the persona's login line."""
    communities = list(Community.objects.filter(subdistrict=sub).order_by("code"))
    sizes = dict(Household.objects.filter(subdistrict=sub).values("building__community_id")
                 .annotate(n=models.Count("pk")).values_list("building__community_id", "n"))
    unusable = make_password(None)
    rows = []
    for i, community in enumerate(communities):
        suffix = community.code[-3:]
        if i == 0:
            head = User(username=people.COMMUNITY_HEAD[0], first_name=people.COMMUNITY_HEAD[1])
            head.password = people.demo_password_hash()
        else:
            head = User(username=f"head_{suffix}", first_name=f"{people.COMMUNITY_HEAD_TITLE} {people.name(rng)}",
                        password=unusable)
        head.role, head.subdistrict, head.scope_level, head.community = (
            Role.COMMUNITY_HEAD, sub, ScopeLevel.COMMUNITY, community)
        rows.append(head)
        have = User.objects.filter(role=Role.SOCIAL_WORKER, community=community).count()
        for n in range(max(1, round(sizes.get(community.pk, 0) / HOUSEHOLDS_PER_WORKER)) - have):
            rows.append(User(username=f"sw_{suffix}_{n + 1}", password=unusable, role=Role.SOCIAL_WORKER,
                             first_name=f"{people.SOCIAL_WORKER_TITLE} {people.name(rng)}", subdistrict=sub,
                             scope_level=ScopeLevel.COMMUNITY, community=community))
    User.objects.bulk_create(rows)
    by_community: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(subdistrict=sub, role__in=(Role.SOCIAL_WORKER, Role.COMMUNITY_HEAD)):
        by_community[user.community_id].append(user)
    head = User.objects.get(username=people.COMMUNITY_HEAD[0])
    return by_community, [(head.username, str(head.get_role_display()), communities[0].name)]


# ------------------------------------------------------------------------------------------- simulation

@dataclass(slots=True)
class TaskRow:
    id: int
    household: int
    building: int
    community: int
    kind: str
    rule_id: int | None
    key: str
    colour: str
    reason: str
    assignee: int | None
    starts_on: dt.date
    due_on: dt.date
    created_at: dt.datetime
    status: str = TaskStatus.OPEN
    done_at: dt.datetime | None = None
    visit: int | None = None
    source_case: int | None = None
    source_visit: int | None = None
    closed_reason: str = ""
    original_due_on: dt.date | None = None
    due_version: int = 0


@dataclass(slots=True)
class VisitRow:
    id: int
    household: int
    worker: int
    day: dt.date
    outcome: str = Outcome.MET
    note: str = ""
    items: list = field(default_factory=list)
    kind: str = "routine"  # routine | return | follow_up | nobody
    at: dt.datetime | None = None
    case_about: int | None = None  # the case a return visit is about
    problem: tuple[str, str] | None = None
    level: str = "low"


class Simulation:
    def __init__(self, *, sub: Subdistrict, rng: random.Random, now: dt.datetime, workers: dict[int, list[User]]):
        self.sub, self.rng, self.now = sub, rng, now
        self.today = timezone.localtime(now).date()
        self.tasks: list[TaskRow] = []
        self.visits: list[VisitRow] = []
        self.next_task = (VisitTask.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.next_visit = (Visit.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.workers = workers
        self.sloppy = {u.pk for us in workers.values() for u in us if u.role == Role.SOCIAL_WORKER
                       and rng.random() < SLOPPY_SHARE and u.username != "social_worker"}
        self.buildings = {b.pk: b for b in Building.objects.filter(subdistrict=sub).select_related("road", "grid")}
        self.assignees = dict(BuildingAssignment.objects.filter(subdistrict=sub)
                              .values_list("building_id", "worker_id"))
        self.heads = {u.community_id: u.pk for us in workers.values() for u in us if u.role == Role.COMMUNITY_HEAD}
        self.residents: dict[int, list[tuple]] = defaultdict(list)
        for row in Resident.objects.filter(subdistrict=sub, moved_out_on__isnull=True).values_list(
                "household_id", "pk", "name", "sex", "birth_date").order_by("household_id", "pk"):
            self.residents[row[0]].append(row[1:])
        self.households = list(Household.objects.filter(subdistrict=sub).values_list(
            "pk", "building_id", "building__community_id", "care_colour", "room").order_by("pk"))
        self.household = {h[0]: h for h in self.households}
        self.decisions: dict[int, str] = {}  # the 高 notes' follow-up: accepted, dismissed or pending
        self.problem_cases: dict[int, Case] = {}

    # -------------------------------------------------------------------------------------- tasks
    def task(self, **kw) -> TaskRow:
        row = TaskRow(id=self.next_task, **kw)
        row.original_due_on = row.due_on
        self.next_task += 1
        self.tasks.append(row)
        return row

    def visit(self, household: int, worker: int, day: dt.date, **kw) -> VisitRow:
        row = VisitRow(id=self.next_visit, household=household, worker=worker, day=day, **kw)
        self.next_visit += 1
        self.visits.append(row)
        return row

    def working_day(self, start: dt.date, end: dt.date) -> dt.date:
        span = max(0, (end - start).days)
        for _ in range(6):
            day = start + dt.timedelta(days=self.rng.randint(0, span))
            if workdays.is_workday(day) or self.rng.random() < 0.08:
                return day
        return day

    def routine(self) -> None:
        rules = rules_by_community(subdistrict_id=self.sub.pk)
        year_ago = self.today - dt.timedelta(days=365)
        created = timezone.make_aware(dt.datetime.combine(year_ago, dt.time(2, 0)))
        rng = self.rng
        for pk, building, community, colour, _room in self.households:
            if not self.residents.get(pk):
                continue
            rule = periodic_rule_for(rules_for(rules, community), colour)
            if rule is None:
                continue
            periods = ([Period.containing(self.today, 12)] if rule.every_months == 12
                       else periods_between(year_ago, self.today, rule.every_months))
            worker = self.assignees.get(building)
            for period in periods:
                t = self.task(household=pk, building=building, community=community, kind=TaskKind.ROUTINE,
                              rule_id=rule.pk, key=period.key(rule.code), colour=colour, reason=rule.name,
                              assignee=worker, starts_on=period.start, due_on=period.end,
                              created_at=max(created, timezone.make_aware(dt.datetime.combine(period.start,
                                                                                              dt.time(2, 0)))))
                if worker is None:
                    continue
                self._plan_visit(t, worker, rng)

    def _plan_visit(self, t: TaskRow, worker: int, rng: random.Random) -> None:
        last = min(t.due_on, self.today)
        if t.due_on < self.today:  # a past period: mostly on time, some late, a few missed
            roll = rng.random()
            if roll < 0.87:
                day = self.working_day(t.starts_on, t.due_on)
            elif roll < 0.94:
                day = t.due_on + dt.timedelta(days=rng.randint(1, 20))
                if day > self.today:
                    return
            else:
                return
        else:  # the current period: done so far in proportion to the time gone
            gone = (self.today - t.starts_on).days / max(1, (t.due_on - t.starts_on).days)
            if rng.random() > 0.95 * gone:
                return
            day = self.working_day(t.starts_on, last)
        if rng.random() < 0.05:  # nobody home the first time
            self.visit(t.household, worker, max(t.starts_on, day - dt.timedelta(days=rng.randint(1, 5))),
                       outcome=Outcome.NOBODY, kind="nobody")
        self.visit(t.household, worker, day)

    # -------------------------------------------------------------------------------------- notes
    def write_notes(self, rows: list[VisitRow]) -> None:
        rng = self.rng
        copies: dict[int, str] = {}
        for v in rows:
            if v.note:
                continue
            people_here = self.residents.get(v.household) or [(None, "王某", "F", dt.date(1950, 1, 1))]
            _pk, name, sex, born = people_here[0]
            who = _address((self.today - born).days // 365, sex, name[0], rng)
            if v.outcome == Outcome.NOBODY:
                v.note = expand(rng.choice(NOBODY), rng)
                continue
            if v.kind == "return":
                good = rng.random() < 0.85
                v.note = expand(rng.choice(RETURN_OK if good else RETURN_NOT), rng)
                v.level = "low" if good else "medium"
                continue
            if v.kind == "follow_up":
                v.note = expand(rng.choice(FOLLOW_UP_NOTES), rng)
                continue
            if v.worker in self.sloppy and rng.random() < 0.35:
                v.note = copies.get(v.worker) if v.worker in copies and rng.random() < 0.5 else rng.choice(SLOPPY)
                continue
            colour = self.household[v.household][3]
            high, medium = (0.12, 0.30) if colour == "red" else (0.07, 0.22) if colour == "yellow" else (0.03, 0.15)
            roll = rng.random()
            v.level = "high" if roll < high else "medium" if roll < high + medium else "low"
            v.note, v.items = routine_note(who, rng, level=v.level)
            copies[v.worker] = v.note
            cases = [i.case for i in v.items if i.case]
            if cases and rng.random() < (0.6 if v.level == "high" else 0.3):
                v.problem = cases[0]

    # ---------------------------------------------------------------------------- times and places
    def schedule(self, rows: list[VisitRow]) -> None:
        """Check-in times: each worker's visits of a day in a row, a morning round then an afternoon round."""
        rng = self.rng
        by_day: dict[tuple[int, dt.date], list[VisitRow]] = defaultdict(list)
        for v in rows:
            by_day[v.worker, v.day].append(v)
        tz = timezone.get_default_timezone()
        for (worker, day), group in by_day.items():
            group.sort(key=lambda v: self.household[v.household][1])  # building by building
            sloppy = worker in self.sloppy and rng.random() < 0.3
            t = dt.datetime.combine(day, dt.time(9, rng.randint(0, 40)), tz)
            for n, v in enumerate(group):
                if n == 5:
                    t = max(t, dt.datetime.combine(day, dt.time(14, rng.randint(0, 30)), tz))
                v.at = min(t, self.now - dt.timedelta(minutes=5)) if day == self.today else t
                t += dt.timedelta(minutes=rng.uniform(3, 7) if sloppy else rng.uniform(14, 35))

    # ------------------------------------------------------------------------------------ problems
    def file_problems(self, workers: dict[int, User]) -> list[Case]:
        """Problems filed on visits become 走访发现 cases with whole timelines (demo.cases' simulation)."""
        from jiedao.cases.models import Category, Department, Process, Scenario
        from jiedao.demo import cases as cases_demo

        filed = [v for v in self.visits if v.problem and v.at is not None]
        if not filed:
            return []
        users = {u.username: u for u in User.objects.filter(subdistrict=self.sub,
                                                            username__in=("operator", "handler"))}
        ctx = cases_demo._Ctx(
            subdistrict=self.sub, rng=self.rng, now=self.now, horizon=self.now, operator=users.get("operator"),
            handler=users.get("handler"), grid_worker=None, resident=None,
            categories={c.name: c for c in Category.objects.filter(active=True)},
            departments={d.code: d for d in Department.objects.filter(subdistrict=self.sub, active=True)},
            fallback_process=Process.objects.filter(subdistrict=self.sub, code="HOTLINE5").first(),
            community_scenarios=Scenario.objects.filter(subdistrict=self.sub, community__isnull=False).exists(),
        )
        if not ctx.departments:
            return []
        first = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        areas = dict(Community.objects.filter(subdistrict=self.sub).values_list("pk", "area_id"))
        drafts, owners = [], []
        for v in filed:
            category = ctx.categories.get(v.problem[0])
            if category is None:
                continue
            b = self.buildings[self.household[v.household][1]]
            room = self.household[v.household][4]
            reported = min(v.at + dt.timedelta(minutes=self.rng.uniform(5, 30)), self.now - dt.timedelta(minutes=1))
            drafts.append(cases_demo._Draft(
                id=first + len(drafts), channel=Channel.VISIT, category=category, reported_at=reported,
                text=v.problem[1], urgent=category.urgent, external_id=f"V{v.id}-1",
                building=(b.pk, b.grid_id, b.community_id, areas.get(b.community_id), b.grid.code, b.address, b.lat,
                          b.lon),
                address_text=f"{b.address}{room}室", created_by=workers.get(v.worker), created_data={"visit": v.id}))
            owners.append(v)
        suggestions = cases_demo._suggestions([d.category for d in drafts], ctx)
        built = [cases_demo._case(ctx, d, s) for d, s in zip(drafts, suggestions, strict=True)]
        out = []
        for (case, _steps), v in zip(built, owners, strict=True):
            case.household_id = v.household
            out.append(case)
            v.case_about = case.pk
        cases_demo.insert_cases(out)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case]):
                cursor.execute(sql)
        cases_demo._insert_events(self.sub, [(case.pk, e) for case, steps in built for e in steps])
        self.problem_cases = {v.id: case for case, v in zip(out, owners, strict=True)}
        return out

    def return_visits(self, cases: list[Case]) -> list[VisitRow]:
        """回访 within 5 working days of each closed case, as the task job would have asked for."""
        rng = self.rng
        rule = VisitRule.objects.filter(subdistrict=self.sub, community__isnull=True, code="case_closed").first()
        added = []
        for case in cases:
            if case.status != Status.CLOSED or case.closed_at is None:
                continue
            closed = timezone.localtime(case.closed_at)
            due = workdays.add_working_days(case.closed_at, 5).date()
            h = self.household[case.household_id]
            worker = self.assignees.get(h[1])
            self.task(household=h[0], building=h[1], community=h[2], kind=TaskKind.FOLLOW_UP,
                      rule_id=rule.pk if rule else None, key=f"case:{case.pk}", colour=h[3],
                      reason=rule.name if rule else "案件办结后回访", assignee=worker, starts_on=closed.date(),
                      due_on=due, created_at=case.closed_at + dt.timedelta(minutes=rng.randint(5, 60)),
                      source_case=case.pk)
            if worker is None:
                continue
            roll = rng.random()
            day = self.working_day(closed.date() + dt.timedelta(days=1), due) if roll < 0.88 else \
                due + dt.timedelta(days=rng.randint(1, 8))
            if day <= self.today:
                added.append(self.visit(h[0], worker, day, kind="return", case_about=case.pk))
        return added

    # ------------------------------------------------------------------------------ task completion
    def complete(self) -> None:
        """As the service does: a visit where someone was met completes the household's open tasks begun by
        its day."""
        open_by_household: dict[int, list[TaskRow]] = defaultdict(list)
        for t in self.tasks:
            open_by_household[t.household].append(t)
        for v in sorted((v for v in self.visits if v.at is not None), key=lambda v: v.at):
            if v.outcome != Outcome.MET:
                continue
            for t in open_by_household.get(v.household, []):
                if t.status == TaskStatus.OPEN and t.starts_on <= v.day:
                    t.status, t.done_at, t.visit = TaskStatus.DONE, v.at, v.id


# -------------------------------------------------------------------------------------------- writing

def _insert(model: type[models.Model], names: tuple[str, ...], rows: list[tuple]) -> None:
    """One prepared INSERT of the fields ``names`` over ``rows`` of values already in the database's form
    (``_db``): bulk_create's work without building a model instance per row or compiling SQL per batch."""
    qn = connection.ops.quote_name
    columns = ", ".join(qn(model._meta.get_field(n).column) for n in names)
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i:i + BATCH])
        for reset in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(reset)


class _db:
    """The backend's own adapters, as bulk_create would apply them; encrypted text as core.crypto stores it.
    ``bind()`` looks the adapters up once: ``connection`` is a per-thread proxy, slow to ask a million times.

    On SQLite a datetime is stored as its UTC wall time in text, which ``adapt_datetimefield_value`` makes
    through ``timezone.make_naive`` and settings look-ups for each of the ~720,000 values (4 s); ``at``
    does the same conversion directly (``tests/test_demo_visits.py`` checks it against Django's)."""

    @classmethod
    def bind(cls) -> None:
        ops = connection.ops
        adapt_at, adapt_day, adapt_json = ops.adapt_datetimefield_value, ops.adapt_datefield_value, ops.adapt_json_value
        if connection.vendor == "sqlite" and settings.USE_TZ:
            utc = connection.timezone

            def at(v: dt.datetime | None) -> str | None:
                if v is None:
                    return None
                return str(v.astimezone(utc).replace(tzinfo=None) if v.tzinfo is not None else v)

            cls.at = staticmethod(at)
        else:
            cls.at = staticmethod(lambda v: None if v is None else adapt_at(v))
        cls.day = staticmethod(lambda v: None if v is None else adapt_day(v))
        cls.json = staticmethod(lambda v: adapt_json(v, None))
        cls.no_items = adapt_json([], None)
        f = fernet()  # core.crypto.encrypt's key ring, looked up once
        cls.secret = staticmethod(lambda v: f.encrypt(v.encode()).decode() if v else "")


def build(*, builder, subdistrict: Subdistrict, now: dt.datetime | None = None) -> list[tuple[str, str, str]]:
    """A year of 四百走访 in the demo subdistrict up to ``now``; returns the login line of the 居委 head persona
    for the demo's list. Deterministic for the builder's seed and ``now``."""
    with sqlite_cache():
        return _build(builder=builder, subdistrict=subdistrict, now=now)


SQLITE_CACHE_KIB = 256 * 1024


@contextmanager
def sqlite_cache():
    """On SQLite, a page cache of up to 256 MB while the visits are written (the default is 2 MB): the ~470,000
    rows go into tables whose indexes (household, worker, time …) are spread over a 300 MB file; with the
    default cache their pages are evicted and read again, and the inserts took 7 s instead of 5. The builder
    keeps it for the whole demo (the residents' and cases' rows and indexes too)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _build(*, builder, subdistrict: Subdistrict, now: dt.datetime | None) -> list[tuple[str, str, str]]:
    now = now or timezone.now()
    rng = random.Random(builder.rng.randrange(2**31))
    workers, logins = _people(subdistrict, rng)
    defaults.install(subdistrict_id=subdistrict.pk)
    communities = sorted(workers)
    if len(communities) > 1:  # one 居委 visits its 黄 households every two months: its own plan
        VisitRule.objects.create(subdistrict=subdistrict, community_id=communities[1], code="yellow",
                                 name="黄色户每两个月走访", kind=RuleKind.COLOUR, colour="yellow", every_months=2,
                                 order=30)
    for community_id in communities:
        services.balance(community_id=community_id)
    sim = Simulation(sub=subdistrict, rng=rng, now=now, workers=workers)
    sim.routine()
    sim.write_notes(sim.visits)
    sim.schedule(sim.visits)
    users = {u.pk: u for us in workers.values() for u in us}
    cases = sim.file_problems(users)
    sim.schedule(returns := sim.return_visits(cases))
    sim.write_notes(returns)
    sim.visits = [v for v in sim.visits if v.at is not None and v.at <= now]
    assessments = dict(zip([v.id for v in sim.visits], _assess([v.note for v in sim.visits]), strict=True))
    follow_ups = _high_risk(sim, assessments)
    sim.write_notes(follow_ups)
    sim.schedule(follow_ups)
    follow_ups = [v for v in follow_ups if v.at is not None and v.at <= now]
    sim.visits = [v for v in sim.visits if v.at is not None and v.at <= now]
    assessments.update(zip([v.id for v in follow_ups], _assess([v.note for v in follow_ups]), strict=True))
    sim.complete()
    _write(sim, assessments, now)
    builder.counts["visit_tasks"] = len(sim.tasks)
    builder.counts["visits"] = len(sim.visits)
    builder.counts["visit_cases"] = len(cases)
    services.send_reminders(subdistrict_id=subdistrict.pk, today=sim.today)
    return logins


def _assess(notes: list[str]) -> list:
    """The real assessment of every note, each distinct text assessed once (the assessment of a text does not
    depend on the others in its batch): of the ~86,000 notes ~75,000 differ, the 无人在家, 回访 and 复访 notes
    and sloppy workers' "正常" repeat."""
    from jiedao.visits.assessment import assess_notes, loaded_model

    distinct = list(dict.fromkeys(notes))
    _trained_ahead()
    loaded_model()  # loaded (or trained) once, here, before any fork
    by_text = dict(zip(distinct, _in_parallel(lambda a, b: assess_notes(distinct[a:b]), len(distinct)), strict=True))
    return [by_text[note] for note in notes]


_training = None  # the process train_ahead started


def train_ahead() -> None:
    """Make the visit assessment's model ready in a forked process (trained and saved under DATA_DIR when its
    file is missing or stale, as its first use would), while this process builds what comes before the visits:
    the builder calls this first, so the few seconds of training overlap the households and cases on a second
    CPU. ``_assess`` waits for the process, then loads the saved file. The process only trains and writes the
    file (atomically, core.modelfile), never the database; should it fail, the first assessment trains as it
    would have. Where fork is not available, nothing is done ahead."""
    global _training
    from jiedao.visits.assessment import loaded_model

    if _training is None and "fork" in multiprocessing.get_all_start_methods():
        _training = multiprocessing.get_context("fork").Process(target=loaded_model, daemon=True)
        _training.start()


TRAINING_WAIT_S = 300  # then the assessment trains here, as without train_ahead (a child stuck on a lock)


def _trained_ahead() -> None:
    global _training
    if _training is not None:
        _training.join(TRAINING_WAIT_S)
        _training = None


PARALLEL_FROM = 5000  # items: below this a second process costs more than it saves
_job = None  # the work of _in_parallel, which forked workers inherit


def _in_parallel(work, n: int) -> list:
    """``work(0, n)``, the range shared with forked processes, one per further CPU (at most 3), each running
    ``work`` on its slice: for pure computation over data in memory (assessing notes, checking and encrypting
    them), which the children get with the fork; only the slices' bounds go to them and only their results
    come back. They never use the parent's database connection and end with ``os._exit`` (multiprocessing's
    workers do). Where fork is not available, or for few items, all in this process. The results are the same
    either way (the work is deterministic per item; Fernet's IVs come from ``os.urandom``, not from a state
    the fork would copy)."""
    global _job
    workers = min(os.cpu_count() or 1, 4)
    if n < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return work(0, n)
    size = -(-n // workers)
    _job = work
    try:
        with multiprocessing.get_context("fork").Pool(workers - 1) as pool:
            pending = [pool.apply_async(_run_job, (start, min(start + size, n))) for start in range(size, n, size)]
            out = work(0, size)
            for result in pending:
                out += result.get()
    finally:
        _job = None
    return out


def _run_job(start: int, stop: int) -> list:
    return _job(start, stop)


def _high_risk(sim: Simulation, assessments: dict) -> list[VisitRow]:
    """The 高 notes' suggested follow-up, decided as people would: mostly taken (a visit within 3 days),
    some turned down, the last days' still waiting."""
    rng = sim.rng
    added = []
    for v in list(sim.visits):
        a = assessments[v.id]
        if a.follow_up is None:
            continue
        if (sim.now - v.at).days < 5 and rng.random() < 0.7:
            sim.decisions[v.id] = "pending"
            continue
        # A person checks the suggestion: a note with nothing dangerous in it (the model's false alarm) is
        # turned down, as is now and then a real one the worker has already dealt with.
        if v.level != "high" or rng.random() < 0.12:
            sim.decisions[v.id] = "dismissed"
            continue
        sim.decisions[v.id] = "accepted"
        h = sim.household[v.household]
        due = v.day + dt.timedelta(days=a.follow_up.task_within_days)
        sim.task(household=h[0], building=h[1], community=h[2], kind=TaskKind.HIGH_RISK, rule_id=None,
                 key=f"visit:{v.id}", colour=h[3], reason=a.follow_up.reason, assignee=v.worker,
                 starts_on=v.day, due_on=due, created_at=v.at + dt.timedelta(hours=rng.uniform(1, 20)),
                 source_visit=v.id)
        day = v.day + dt.timedelta(days=rng.randint(1, a.follow_up.task_within_days + (2 if rng.random() < 0.1 else 0)))
        if day <= sim.today:
            added.append(sim.visit(v.household, v.worker, day, kind="follow_up"))
    return added


def _write(sim: Simulation, assessments: dict, now: dt.datetime) -> None:
    from jiedao.cases.services import metres_between
    from jiedao.visits.assessment.quality import quality_flags
    from jiedao.visits.models import RISK_BY_LABEL
    from jiedao.visits.services.evaluation import NO_SCAN, NO_SCAN_REASON, assessment_json

    rng = sim.rng
    _db.bind()
    met_rows, feedback_rows, problem_rows = [], [], []
    # Per visit, in check-in order: the row's plain columns (before, between and after the encrypted ones), the
    # quality check's arguments and the texts to encrypt; the checks and the encryption are then shared out.
    firsts, middles, lasts, checks, secrets, no_scan = [], [], [], [], [], []
    own: dict[int, list[str]] = defaultdict(list)
    nearby: dict[int, list[str]] = defaultdict(list)
    hour: dict[int, list[dt.datetime]] = defaultdict(list)
    done_tasks = defaultdict(list)
    for t in sim.tasks:
        if t.visit:
            done_tasks[t.visit].append(t)
    recent_since = now - dt.timedelta(days=QUALITY_WINDOW_DAYS)
    for v in sorted(sim.visits, key=lambda v: v.at):
        h = sim.household[v.household]
        b = sim.buildings[h[1]]
        sloppy = v.worker in sim.sloppy
        via = CheckInVia.FILE if rng.random() < (0.15 if sloppy else 0.03) else CheckInVia.QR
        lat = lon = accuracy = distance = None
        if rng.random() > 0.08:  # the phone gave a position
            far = rng.random() < (0.12 if sloppy else 0.008)
            metres, angle = (rng.uniform(300, 2500) if far else rng.uniform(3, 45)), rng.uniform(0, 6.283)
            lat = b.lat + metres * math.sin(angle) / 111320
            lon = b.lon + metres * math.cos(angle) / (111320 * math.cos(math.radians(b.lat)))
            accuracy = rng.choice((8, 12, 15, 20, 30, 45))
            distance = round(metres_between(lat, lon, b.lat, b.lon), 1)
        a = assessments[v.id]
        window = [x for x in hour[v.worker] if x > v.at - dt.timedelta(hours=1)]
        hour[v.worker] = [*window, v.at]
        # Notes are compared with the worker's and the 居委's recent ones for the months the head's board shows;
        # older visits keep the flags that need no comparison (empty, short, far, too many an hour).
        recent = v.at >= recent_since
        checks.append((v.note, own[v.worker][-15:] if recent else (), nearby[h[2]][-30:] if recent else (),
                       distance, len(window) + 1))
        no_scan.append(via == CheckInVia.FILE)
        if recent:
            own[v.worker].append(v.note)
            nearby[h[2]].append(v.note)
        answers = {}
        if v.outcome == Outcome.MET:
            answers = {code: "ok" for code in CHECKLIST if rng.random() < 0.8}
            answers.update({item.check: "problem" for item in v.items if item.check})
        decision = sim.decisions.get(v.id, "") if a.follow_up else ""
        decided = decision in ("accepted", "dismissed")
        tasks_done = done_tasks.get(v.id, [])
        follow_case = next((t.source_case for t in tasks_done if t.kind == TaskKind.FOLLOW_UP), None)
        submitted = v.at + dt.timedelta(minutes=rng.uniform(6, 25))
        firsts.append((
            v.id, sim.sub.pk, h[2], h[1], h[0], v.worker, str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            v.outcome, follow_case is not None, _db.at(v.at), via, lat, lon, accuracy, distance, _db.at(submitted),
            _db.no_items))
        secrets.append((v.note, json.dumps(answers, ensure_ascii=False) if answers else "", assessment_json(a)))
        middles.append((RISK_BY_LABEL.get(a.risk, ""), _db.json(list(a.types)), round(float(a.confidence), 4)))
        lasts.append((
            _db.at(submitted + dt.timedelta(seconds=2)), decision, v.worker if decided else None,
            _db.at(v.at + dt.timedelta(hours=rng.uniform(1, 20))) if decided else None))
        if v.outcome == Outcome.MET:
            met_rows += [(v.id, pk) for pk, *_rest in (sim.residents.get(v.household) or [])[:rng.randint(1, 2)]]
            used = submitted + dt.timedelta(hours=rng.uniform(0.2, 96))
            rated = rng.random() < (0.6 if follow_case else 0.3) and used <= now
            rating = rng.choices((3, 2, 1), (78, 16, 6) if v.level != "medium" else (55, 30, 15))[0] if rated else None
            feedback_rows.append((
                sim.sub.pk, h[2], h[1], v.id, follow_case, f"{rng.getrandbits(64):016x}", _db.at(submitted),
                _db.at(submitted + dt.timedelta(days=30)), _db.at(used) if rated else None, rating,
                _db.secret(rng.choice(COMMENTS) if rated else "")))
        case = sim.problem_cases.get(v.id)
        if case is not None:
            problem_rows.append((v.id, case.pk, _db.at(case.reported_at), v.worker, False))
    seal = _db.secret

    def check_and_seal(start: int, stop: int) -> list[tuple]:
        """The quality check's flags (as stored) and the encrypted note, answers and assessment of each visit."""
        return [([{"code": str(f.code), "reason": str(f.reason), "value": f.value} for f in quality_flags(
                    note=note, same_worker_notes=mine, other_household_notes=others, distance_m=distance,
                    visits_in_hour=in_hour)], seal(texts[0]), seal(texts[1]), seal(texts[2]))
                for (note, mine, others, distance, in_hour), texts in zip(checks[start:stop], secrets[start:stop],
                                                                         strict=True)]

    visit_rows = []
    for first, middle, last, scan, (flags, note, answers, assessment) in zip(
            firsts, middles, lasts, no_scan, _in_parallel(check_and_seal, len(checks)), strict=True):
        if scan:
            flags.append({"code": NO_SCAN, "reason": NO_SCAN_REASON, "value": None})
        visit_rows.append((*first, note, answers, *middle, assessment, *last,
                           _db.json(flags) if flags else _db.no_items, bool(flags)))
    _insert(Visit, VISIT_FIELDS, visit_rows)
    _insert(Visit.met_residents.through, ("visit", "resident"), met_rows)
    _insert(FeedbackCode, ("subdistrict", "community", "building", "visit", "case", "nonce", "issued_at",
                           "expires_at", "used_at", "rating", "comment"), feedback_rows)
    _insert(VisitProblem, ("visit", "case", "created_at", "created_by", "from_assessment"), problem_rows)
    events = _head_changes(sim)
    _insert(VisitTask, TASK_FIELDS, [(
        t.id, sim.sub.pk, t.community, t.building, t.household, t.kind, t.rule_id, t.key, t.colour, t.reason[:120],
        t.assignee, _db.day(t.starts_on), _db.day(t.due_on), _db.day(t.original_due_on), t.due_version, t.status,
        _db.at(t.done_at), t.visit, t.source_case, t.source_visit, t.closed_reason, _db.at(t.created_at),
    ) for t in sim.tasks])
    _insert(TaskEvent, ("task", "kind", "at", "actor", "actor_name", "reason", "data"), events)


VISIT_FIELDS = (
    "id", "subdistrict", "community", "building", "household", "worker", "client_id", "outcome", "return_visit",
    "checked_in_at", "check_in_via", "lat", "lon", "accuracy_m", "distance_m", "submitted_at", "met_others", "note",
    "answers", "risk", "risk_types", "confidence", "assessment", "assessed_at", "follow_up_status",
    "follow_up_decided_by", "follow_up_decided_at", "flags", "flagged",
)
TASK_FIELDS = (
    "id", "subdistrict", "community", "building", "household", "kind", "rule", "key", "colour", "reason", "assignee",
    "starts_on", "due_on", "original_due_on", "due_version", "status", "done_at", "visit", "source_case",
    "source_visit", "closed_reason", "created_at",
)
CHECKLIST = ("gas", "power", "smoke", "mobility", "mind", "family", "money", "home")
QUALITY_WINDOW_DAYS = 90  # what the head's board shows


def _head_changes(sim: Simulation) -> list[tuple]:
    """A few open tasks the heads postponed (the resident in hospital …) or cancelled (living with their
    children elsewhere), with the reason; the tasks are changed in place, the events returned as rows."""
    rng = sim.rng
    _db.bind()
    tz = timezone.get_default_timezone()
    events = []
    open_rows = [t for t in sim.tasks if t.status == TaskStatus.OPEN and t.assignee]
    for t in rng.sample(open_rows, min(len(open_rows), max(4, len(open_rows) // 150))):
        head = sim.heads.get(t.community)
        at = dt.datetime.combine(max(t.starts_on, sim.today - dt.timedelta(days=20)), dt.time(10, 30), tz)
        if rng.random() < 0.6:
            reason = rng.choice(("住户住院，出院后再访", "住户去外地子女家暂住，回来后再访", "楼道施工，暂缓入户"))
            new = max(t.due_on, sim.today) + dt.timedelta(days=rng.choice((14, 21, 30)))
            events.append((t.id, TaskEventKind.POSTPONED, _db.at(at), head, "居委负责人", reason,
                           _db.json({"from": t.due_on.isoformat(), "to": new.isoformat()})))
            t.due_on, t.due_version = new, 1
        else:
            reason = rng.choice(("住户已长期住进养老院", "住户常年随子女住在外省"))
            events.append((t.id, TaskEventKind.CANCELLED, _db.at(at), head, "居委负责人", reason, _db.json({})))
            t.status, t.closed_reason = TaskStatus.CANCELLED, reason
    return events
