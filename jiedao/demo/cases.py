"""Demo rows for 一网统管: the default configuration, and a year of synthetic case history up to now.

Every case, caller, phone number and text here is invented. Volumes and shares follow what a subdistrict
like Caoyang sees (DESIGN: 10⁴–4·10⁴ hotline demands a year): about 12,000 cases a year at full scale,
12345 ~60 %, grid patrol ~25 %, residents ~10 %, sensors ~5 %, more flooding in the plum rains, more
noise in summer. Each case gets a whole timeline (created → registered → dispatched → accepted →
contacted → handled → closed → visited), with the detours real cases take: returned to the operator
and re-dispatched, extensions asked for, approved or refused, rework, suspension, cancellation, repeat calls
flagged as 疑似重复 and answered (merged, or a few judged 不是重复, recorded as the operators' decisions that
the KPI page's 疑似重复采纳率 counts), reopening after an unsatisfied visit, and the time-limit check's 超期督办
warnings.

Speed (the whole ``jiedao demo`` must stay within a minute): histories are simulated in memory, cut at
"now" (so recent cases are still open, some past their time limit), and written with one prepared INSERT
per table (executemany). The case's timing columns are *not* invented but computed from its events by
``services.project``, the same function every transition uses, so the queue and the KPIs agree with the
timelines (``jiedao rebuild-case-facts`` finds nothing to fix). Time limits come from
``services.deadlines`` on the working-day calendar, departments and processes from ``services.route``
over the scenarios. No audit records are written for these synthetic histories.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from jiedao.cases import defaults, services, workdays
from jiedao.cases.models import Case, CaseEvent, Category, Channel, EventKind, Process, Scenario, Status
from jiedao.core.models import Department, Subdistrict, User
from jiedao.core.roles import Role
from jiedao.demo import caoyang, people

CASES_PER_YEAR = 12_000  # at builder scale 1.0 (Caoyang's ~2,000 buildings)
SMALL_SUBDISTRICT_CASES = 12
STUCK_AT_LEAST = 3
DAYS = 365
BATCH = 5000


def _phrases(text: str) -> dict[str, tuple[str, ...]]:
    """A table written one phrase a line: an unindented category name, then its indented phrases."""
    out: dict[str, list[str]] = {}
    name = ""
    for line in text.splitlines():
        if line.strip() and not line.startswith(" "):
            name = line.strip()
        elif line.strip():
            out.setdefault(name, []).append(line.strip())
    return {k: tuple(v) for k, v in out.items()}


CHANNEL_SHARES = ((Channel.HOTLINE, 60), (Channel.PATROL, 25), (Channel.RESIDENT, 10), (Channel.SENSOR, 5))

# Calls by hour of day (12345 peaks mid-morning and early evening; patrols run in the day).
CALL_HOURS = (1, 1, 0.5, 0.5, 0.5, 1, 2, 5, 9, 10, 10, 9, 7, 8, 9, 9, 8, 7, 7, 7, 6, 4, 3, 2)
PATROL_HOURS = (0, 0, 0, 0, 0, 0, 0, 3, 8, 10, 10, 8, 4, 7, 9, 9, 7, 3, 1, 0, 0, 0, 0, 0)

# category → (weight from callers, weight on patrol, {month: seasonal factor}), the 事件 and 部件 found.
WEIGHTS: dict[str, tuple[float, float, dict[int, float]]] = {
    "垃圾堆放": (6, 8, {1: 1.3, 2: 1.5}), "垃圾分类不规范": (3, 6, {}), "大件垃圾": (3, 3, {1: 1.6, 2: 1.8}),
    "餐饮油烟": (5, 2, {6: 1.3, 7: 1.4, 8: 1.4}), "绿化损坏": (2, 3, {}), "广告店招": (1, 3, {}),
    "违法搭建": (3, 2, {}), "道路破损": (3, 4, {}), "积水排水": (3, 2, {6: 4, 7: 3, 8: 2.5, 9: 1.5}),
    "高空抛物": (1.5, 0.5, {}), "占道经营": (3, 7, {5: 1.3, 6: 1.3, 7: 1.4, 8: 1.4}),
    "非机动车乱停放": (4, 8, {}), "机动车违停": (5, 5, {}), "噪音扰民": (11, 1, {6: 1.4, 7: 1.6, 8: 1.6}),
    "犬只扰民": (3, 0.5, {}), "路灯损坏": (2, 2, {11: 1.3, 12: 1.3, 1: 1.3}), "井盖问题": (1.5, 2, {}),
    "电梯故障": (3, 0, {7: 1.3, 8: 1.3}), "群租": (4, 1, {}), "居改非": (2, 1, {}),
    "房屋维修": (8, 0, {6: 1.5, 7: 1.4}),
    "物业纠纷": (7, 0, {}), "电瓶车入梯": (2, 2, {}), "飞线充电": (2, 3, {12: 1.4, 1: 1.5, 2: 1.4}),
    "消防通道占用": (2, 4, {}), "食品安全": (2, 1, {}), "劳动纠纷": (1.5, 0, {1: 2.0, 2: 1.5}),
    "养老服务需求": (3, 0, {11: 1.3, 12: 1.4, 1: 1.4}), "独居老人异常": (0.5, 0.2, {12: 1.5, 1: 1.5}),
    # 部件, found on patrol
    "上水井盖": (0, 0.8, {}), "污水井盖": (0, 1, {}), "雨水井盖": (0, 1, {6: 2}), "消防栓": (0, 0.8, {}),
    "路灯": (0, 2, {}), "电力设施": (0, 0.6, {}), "交通信号灯": (0, 0.4, {}), "交通护栏": (0, 0.8, {}),
    "非机动车停放点": (0, 1, {}), "公共厕所": (0, 0.8, {}), "垃圾箱房": (0, 2, {6: 1.3, 7: 1.5, 8: 1.5}),
    "果壳箱": (0, 1.2, {}), "行道树": (0, 1.5, {7: 1.6, 8: 1.8, 9: 1.5}), "绿地": (0, 1, {}),
}

# What callers say, per category ({place} is where, e.g. 楼下, 小区门口): a category, then its phrases.
SAID = _phrases("""
垃圾堆放
    {place}有人乱倒装修垃圾，堆了一个多星期没人清运
    {place}垃圾成堆，天热发臭，苍蝇很多
    {place}绿化带里被人倒了很多生活垃圾
垃圾分类不规范
    {place}垃圾箱房干湿垃圾混投，没人监督
    小区垃圾分类定时投放点经常不开门，只能放在门口
    {place}湿垃圾桶破了，汁水流了一地
大件垃圾
    {place}堆了旧沙发和床垫，好几天没人拉走
    家里有旧家具要扔，不知道怎么预约大件垃圾清运
    {place}楼道里有人放了旧衣柜，挡住通道
餐饮油烟
    {place}饭店油烟管道直接对着居民窗户排，油烟很大窗都不敢开
    {place}烧烤店每天晚上油烟熏人，衣服都晾不了
    {place}小吃店没有装油烟净化器，整栋楼都是油烟味
绿化损坏
    {place}绿化被人铲掉种菜
    {place}草坪被车辆碾压，绿化带坏了一大片
    有人在{place}砍树枝
广告店招
    {place}店招松动，刮风时摇摇晃晃，担心掉下来砸人
    {place}到处贴小广告，楼道墙面很脏
    {place}商铺门口摆放落地广告牌占用人行道
违法搭建
    {place}一楼住户在院子里搭建阳光房
    {place}楼顶有人违章加盖房间
    {place}住户破墙开门，搭建雨棚
道路破损
    {place}人行道地砖松动翘起，老人差点绊倒
    {place}路面有个大坑，下雨积水，电动车很容易摔倒
    {place}弄堂路面破损坑洼不平
积水排水
    {place}下雨后积水很深，进出都要蹚水
    {place}下水道堵塞，污水冒出来
    {place}雨水管堵了，积水倒灌进一楼
高空抛物
    {place}经常有人从楼上往下扔垃圾
    {place}楼上扔下一个花盆，差点砸到人
    {place}有人从窗口往下倒水
占道经营
    {place}早上有流动摊贩卖菜，占用人行道
    {place}水果店把货摆到人行道上，行人只能走机动车道
    {place}夜宵摊占道经营到半夜
非机动车乱停放
    {place}共享单车堆满人行道，没法走路
    {place}电动车乱停放，堵住消防通道
    {place}门口非机动车停得乱七八糟
机动车违停
    {place}长期有车辆违停，堵住小区出入口
    {place}有车停在消防通道上
    {place}晚上车辆双排停放，救护车进不来
噪音扰民
    {place}半夜还在装修施工，噪音很大睡不着
    楼上住户每天晚上跳绳拖椅子，噪音扰民
    {place}广场舞音响声音太大，晚上九点多还没结束
    {place}饭店半夜搬运货物，声音很大
    {place}工地夜间施工，吵得睡不着
犬只扰民
    邻居家的狗整夜叫个不停，吵得睡不着觉
    {place}有人遛狗不牵绳，还随地大小便不清理
    {place}有流浪狗聚集，孩子很害怕
路灯损坏
    {place}路灯坏了好几天，晚上一片漆黑
    {place}楼道灯不亮，老人上下楼很危险
    {place}路灯白天也亮着，浪费电
井盖问题
    {place}井盖松动，车子开过咣当响
    {place}井盖缺失，只用一块板子盖着，很危险
    {place}井盖下陷，走路容易崴脚
电梯故障
    {place}电梯经常停运，老人上下楼困难
    {place}电梯运行时异响，担心出事故
    {place}电梯门关不上，已经坏了三天
群租
    {place}楼上一套房子住了十几个人，疑似群租
    {place}隔壁房子被隔成好几间出租，进出人员很杂
    {place}有群租房，晚上很吵，还有消防隐患
居改非
    {place}一楼住宅被改成棋牌室对外营业
    {place}住宅被改成小作坊，整天有机器声
    {place}住房被改成民宿，经常有陌生人进出
房屋维修
    家里天花板渗水，楼上不配合维修
    {place}外墙瓷砖脱落，怕砸到人
    {place}楼道窗户玻璃碎了没人修
    卫生间漏水到楼下，物业不管
    {place}屋顶漏雨，家里墙面发霉
物业纠纷
    物业不作为，小区卫生很差，投诉多次没有结果
    物业擅自涨停车费，没有经过业主同意
    小区门禁坏了一个月，物业一直不修
    物业公司要撤场，小区没人管
电瓶车入梯
    {place}有人把电瓶车推进电梯上楼，很危险
    {place}楼道里停满电瓶车，还在楼道充电
飞线充电
    {place}有人从窗户拉电线下来给电瓶车充电
    {place}楼道里私拉电线充电，存在火灾隐患
消防通道占用
    {place}消防通道被杂物堵住
    {place}消防通道长期停车，出了事消防车进不来
    {place}楼道里堆满杂物，影响逃生
食品安全
    {place}小吃店卫生很差，吃了以后拉肚子
    在{place}超市买到过期食品
    {place}无证早餐摊，卫生堪忧
劳动纠纷
    在{place}一家饭店打工，老板拖欠两个月工资
    公司不签劳动合同，还拖欠工资
    辞职后公司不给结算工资
养老服务需求
    家里老人独居，想申请助餐服务
    老人行动不便，想咨询居家养老上门服务怎么申请
    想给老人申请长护险评估
独居老人异常
    {place}独居老人好几天没出门，敲门没人应，家属联系不上
    {place}独居老人家里有异味，邻居很担心
""")
# What a grid worker writes on patrol.
SEEN = _phrases("""
垃圾堆放
    {place}发现装修垃圾乱堆放
垃圾分类不规范
    {place}垃圾箱房混投，桶边满溢
大件垃圾
    {place}发现废弃家具堆放
餐饮油烟
    {place}餐饮店油烟净化设施未开启
绿化损坏
    {place}绿化带毁绿种菜
广告店招
    {place}店招破损松动
    {place}乱张贴小广告
违法搭建
    {place}发现疑似新增违法搭建
道路破损
    {place}人行道道板破损
积水排水
    {place}雨后积水未退
高空抛物
    {place}地面有高空坠物痕迹
占道经营
    {place}流动摊贩占道经营
    {place}沿街商铺跨门经营
非机动车乱停放
    {place}共享单车乱停放，占用盲道
机动车违停
    {place}机动车违停占用消防通道
噪音扰民
    {place}施工单位超时作业
犬只扰民
    {place}发现流浪犬
路灯损坏
    {place}路灯不亮
井盖问题
    {place}井盖松动
群租
    走访发现{place}疑似群租
居改非
    {place}住宅疑似改作经营
电瓶车入梯
    {place}电瓶车停放楼道
飞线充电
    {place}发现飞线充电
消防通道占用
    {place}消防通道堆物
食品安全
    {place}无证食品摊贩
独居老人异常
    走访发现{place}独居老人身体不适
上水井盖
    {place}上水井盖破损
污水井盖
    {place}污水井盖缺失
    {place}污水井盖移位
雨水井盖
    {place}雨水井盖破损
消防栓
    {place}消防栓漏水
    {place}消防栓被遮挡
路灯
    {place}路灯杆倾斜
    {place}路灯灯头损坏
电力设施
    {place}电箱门未关闭
交通信号灯
    {place}信号灯故障
交通护栏
    {place}护栏被撞坏
非机动车停放点
    {place}非机动车停放架损坏
公共厕所
    {place}公厕设施损坏
垃圾箱房
    {place}垃圾箱房破损，门关不上
果壳箱
    {place}果壳箱满溢
行道树
    {place}行道树断枝悬挂
    {place}行道树倾斜
绿地
    {place}绿地裸露
""")
# What the sensing module reports: category → (device prefix, alarm type).
ALARMS = {
    "积水排水": ("WL", "积水深度超限"), "井盖问题": ("MC", "井盖位移"), "消防通道占用": ("CAM", "消防通道占用"),
    "电瓶车入梯": ("EV", "电瓶车入梯识别"), "电梯故障": ("LIFT", "电梯困人报警"),
    "独居老人异常": ("WM", "用水异常（超过 24 小时无用水）"),
    "飞线充电": ("CAM", "飞线充电识别"), "高空抛物": ("CAM", "高空抛物识别"),
}
PLACES = ("楼下", "小区门口", "弄堂口", "楼道里", "附近", "对面", "旁边", "", "", "")
ASKS = ("希望相关部门尽快处理。", "要求尽快解决。", "已反映多次，希望彻底解决。", "请相关部门上门查看。",
        "希望有人管一管。")
DONE = ("已到现场处置完毕，并拍照留存", "已联系责任方整改到位", "已现场核实并处理", "已督促相关单位落实整改",
        "已安排人员处理，现场已恢复")
RETURN_NOTES = ("经核实不属于本部门职责，请改派", "地址不在本单位管辖范围，请退回重新派遣",
                "该事项应由物业负责，请改派")
REWORK_NOTES = ("核查不通过：现场问题仍未解决", "核查不通过：市民反映仍有问题，请继续处理",
                "核查不通过：整改照片与现场不符")
CANCEL_NOTES = ("市民来电咨询，已当场解答，无需立案", "经核实不在本街道辖区，已退回热线", "重复来电，已在原工单中处理")
# 不是重复: the operator's answer to a flag they do not accept (services.decide_duplicate), with its note.
NOT_DUPLICATE_SHARE = 0.5  # of the flagged repeats the operator does not merge; the rest stay unanswered
NOT_DUPLICATE_NOTES = ("核实后不是同一处问题，分开办理", "同类问题，但与原案件不是同一件事",
                       "与原案件反映的不是同一处")
RATING_NOTES = {3: "市民表示满意", 2: "市民表示基本满意", 1: "市民表示不满意：问题没有彻底解决"}
ALTERNATES = ("GLB", "WYGS", "FGB", "CGZD")  # where a returned case goes instead


@dataclass
class _Ctx:
    subdistrict: Subdistrict
    rng: random.Random
    now: dt.datetime      # the present: cases are reported before it
    horizon: dt.datetime  # timelines are cut here (now, or later for complete histories)
    operator: User | None
    handler: User | None
    grid_worker: User | None
    resident: User | None
    categories: dict[str, Category]
    departments: dict[str, Department]
    fallback_process: Process | None = None
    community_scenarios: bool = False
    routes: dict = field(default_factory=dict)
    dues: dict = field(default_factory=dict)
    grids: list = field(default_factory=list)


@dataclass(slots=True)
class Step:
    """A timeline step before it is written: what ``services.project`` reads (kind, at, data) and the row."""

    kind: str
    at: dt.datetime
    actor_id: int | None
    actor_name: str
    from_status: str
    to_status: str
    department: Department | None
    note: str
    data: dict


@dataclass
class _Draft:
    id: int
    channel: str
    category: Category
    reported_at: dt.datetime
    text: str
    building: tuple | None  # (id, grid_id, community_id, area_id, grid_code, address, lat, lon)
    urgent: bool
    external_id: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter: User | None = None
    address_text: str = ""
    created_by: object = None
    created_data: dict = field(default_factory=dict)
    said: str = ""
    repeat_of: "_Draft | None" = None  # a repeat call about a problem already reported (重复投诉)
    merged: bool = False                # … which the operator merges (合并); else it stays flagged only,
    not_duplicate: str = ""             # … or is answered 不是重复 with this note (疑似重复采纳率 counts both)
    cancelled: bool = False
    stuck: bool = False                 # left unhandled by its department past its limit, until after now


def build(*, builder, subdistrict: Subdistrict, now: dt.datetime | None = None) -> int:
    """The default processes and scenarios for every demo subdistrict, a year of cases for Caoyang (scaled
    with the builder) and a handful for the two small ones. Returns the number of cases."""
    now = now or timezone.now()
    seed = builder.rng.randrange(2**31)
    defaults.install(subdistrict=subdistrict)
    n = max(60, round(CASES_PER_YEAR * builder.scale))
    cases, events = generate(subdistrict=subdistrict, count=n, seed=seed, now=now)
    for code in (s["code"] for s in caoyang.SMALL_SUBDISTRICTS):
        other = Subdistrict.objects.filter(code=code).first()
        if other is not None:
            defaults.install(subdistrict=other)
            more, more_events = generate(subdistrict=other, count=SMALL_SUBDISTRICT_CASES, seed=seed + 1, now=now,
                                         days=30)
            cases, events = cases + more, events + more_events
    builder.counts["cases"] = cases
    builder.counts["case_events"] = events
    return cases


def generate(*, subdistrict: Subdistrict, count: int, seed: int, now: dt.datetime,
             days: int = DAYS) -> tuple[int, int]:
    """Write ``count`` cases reported over the ``days`` before ``now``, with their timelines; returns
    (cases, events) written. Deterministic for a given seed and ``now``."""
    histories = simulate(subdistrict=subdistrict, count=count, seed=seed, now=now, days=days)
    if not histories:
        return 0, 0
    cases = [case for case, _steps in histories]
    insert_cases(cases)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Case]):  # ids were given explicitly
            cursor.execute(sql)
    events = [(case.pk, e) for case, steps in histories for e in steps]
    _insert_events(subdistrict, events)
    return len(cases), len(events)


def simulate(*, subdistrict: Subdistrict, count: int, seed: int, now: dt.datetime, days: int = DAYS,
             horizon: dt.datetime | None = None, first_id: int | None = None) -> list[tuple[Case, list[Step]]]:
    """In memory, nothing written: ``count`` cases reported over the ``days`` before ``now``, each with its
    timeline cut at ``horizon`` (default ``now``; later gives whole histories) and its columns projected
    from that timeline. Ids start after the highest existing one, or at ``first_id``."""
    from jiedao.geo.models import Building

    rng = random.Random(seed)
    horizon = horizon or now
    users = {u.username: u for u in User.objects.filter(
        subdistrict=subdistrict, username__in=("operator", "handler", "grid_worker", "resident"))}
    if subdistrict.code != "310107005":  # the small demo subdistricts have one operator each
        users["operator"] = User.objects.filter(subdistrict=subdistrict, role=Role.OPERATOR).order_by("pk").first()
    ctx = _Ctx(
        subdistrict=subdistrict, rng=rng, now=now, horizon=horizon, operator=users.get("operator"),
        handler=users.get("handler"), grid_worker=users.get("grid_worker"), resident=users.get("resident"),
        categories={c.name: c for c in Category.objects.filter(active=True)},
        departments={d.code: d for d in Department.objects.filter(subdistrict=subdistrict, active=True)},
        fallback_process=Process.objects.filter(subdistrict=subdistrict, code="HOTLINE5").first(),
        community_scenarios=Scenario.objects.filter(subdistrict=subdistrict, community__isnull=False).exists(),
    )
    buildings = [
        (b.pk, b.grid_id, b.community_id, b.grid.community.area_id, b.grid.code, b.address, b.lat, b.lon)
        for b in Building.objects.filter(subdistrict=subdistrict).select_related("road", "grid__community")
        .order_by("pk")
    ]
    if not buildings or not ctx.departments:
        return []
    if first_id is None:
        first_id = (Case.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    drafts = _drafts(ctx, count, days, buildings, first_id)
    suggestions = _suggestions([d.category for d in drafts], ctx)
    return [_case(ctx, draft, suggestion) for draft, suggestion in zip(drafts, suggestions, strict=True)]


def insert_cases(cases: list[Case]) -> None:
    """bulk_create's work without its per-row SQL compilation: every field's ``pre_save`` (so encrypted
    phones, their blind index and last digits, and ``updated_at`` are what a save writes), then the
    backend's adapters for datetimes, JSON and encrypted text, then one executemany. A field whose
    ``pre_save`` only reads the attribute (most of the 49) is read directly, and datetimes are adapted by
    ``_datetime_adapter``."""
    from django.db import models

    from jiedao.core.crypto import EncryptedTextField

    at = _datetime_adapter()
    fields = [f for f in Case._meta.concrete_fields if not f.generated]
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(Case._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    adapt_json = connection.ops.adapt_json_value
    adapters = []
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapters.append(at)
        elif isinstance(f, models.JSONField):
            adapters.append(lambda v, f=f: adapt_json(v, f.encoder))
        elif isinstance(f, EncryptedTextField):
            adapters.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        else:
            adapters.append(None)

    def own_pre_save(f) -> bool:
        if isinstance(f, models.DateField):
            return f.auto_now or f.auto_now_add
        return type(f).pre_save is not models.Field.pre_save

    pairs = [(f.attname, f if own_pre_save(f) else None, adapt) for f, adapt in zip(fields, adapters, strict=True)]
    with connection.cursor() as cursor:
        for i in range(0, len(cases), BATCH):
            rows = []
            for case in cases[i:i + BATCH]:
                row = []
                for attname, f, adapt in pairs:
                    value = f.pre_save(case, True) if f is not None else getattr(case, attname)
                    row.append(adapt(value) if adapt is not None and value is not None else value)
                rows.append(row)
            cursor.executemany(sql, rows)


def _datetime_adapter():
    """The backend's adapter for datetimes; on SQLite its result made directly (the UTC wall time as text, as
    demo.visits' ``_db.at``, which a test checks against Django's), without ``make_naive`` and settings look-ups
    for each of ~200,000 values."""
    adapt = connection.ops.adapt_datetimefield_value
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return adapt
    utc = connection.timezone

    def at(v: dt.datetime | None) -> str | None:
        if v is None:
            return None
        return str(v.astimezone(utc).replace(tzinfo=None) if v.tzinfo is not None else v)

    return at


def _insert_events(subdistrict: Subdistrict, events: list[tuple[int, "Step"]]) -> None:
    """Append the timelines with one prepared INSERT run over all rows (executemany): the ORM's bulk_create
    spends most of its time compiling ~100,000 rows of SQL. Values are adapted by the backend's own
    adapters, so this writes what bulk_create would on SQLite and PostgreSQL."""
    names = ("case", "subdistrict", "kind", "at", "actor", "actor_name", "from_status", "to_status", "department",
             "note", "data")
    qn = connection.ops.quote_name
    columns = ", ".join(qn(CaseEvent._meta.get_field(n).column) for n in names)
    sql = (f"INSERT INTO {qn(CaseEvent._meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(names))})")
    at, data = _datetime_adapter(), connection.ops.adapt_json_value
    sub = subdistrict.pk
    with connection.cursor() as cursor:
        for i in range(0, len(events), BATCH):
            cursor.executemany(sql, [
                (case_id, sub, e.kind, at(e.at), e.actor_id, e.actor_name, e.from_status, e.to_status,
                 e.department.pk if e.department else None, e.note, data(e.data, None))
                for case_id, e in events[i:i + BATCH]
            ])


# ------------------------------------------------------------------------------------------- drafting


def _local(t: dt.datetime) -> dt.datetime:
    # The project's time zone (cached by Django); timezone.localtime() looks up the active one every call.
    return t.astimezone(timezone.get_default_timezone())


def _moment(rng: random.Random, now: dt.datetime, days: int, hours: tuple) -> dt.datetime:
    """A report time in the last ``days``: fewer at night and at weekends."""
    top = max(hours)
    while True:
        t = now - dt.timedelta(seconds=rng.random() * days * 86400)
        local = _local(t)
        weight = hours[local.hour] / top * (0.7 if local.weekday() >= 5 else 1.0)
        if rng.random() < weight:
            return t


def _drafts(ctx: _Ctx, count: int, days: int, buildings: list, first_id: int) -> list[_Draft]:
    rng = ctx.rng
    channels, shares = zip(*CHANNEL_SHARES, strict=True)
    names = [n for n in WEIGHTS if n in ctx.categories]
    raw = []
    for _ in range(count):
        channel = rng.choices(channels, shares)[0]
        at = _moment(rng, ctx.now, days, PATROL_HOURS if channel == Channel.PATROL else CALL_HOURS)
        month = _local(at).month
        if channel == Channel.SENSOR:
            pool = [n for n in ALARMS if n in ctx.categories]
            name = rng.choice(pool)
        else:
            column = 1 if channel == Channel.PATROL else 0
            weights = [WEIGHTS[n][column] * WEIGHTS[n][2].get(month, 1.0) for n in names]
            name = rng.choices(names, weights)[0]
        raw.append((at, channel, ctx.categories[name]))
    raw.sort(key=lambda r: r[0])
    in_my_grid = _grid_workers_cases(ctx, raw, buildings)
    drafts: list[_Draft] = []
    recent: list[_Draft] = []  # callers' drafts of the last three days: what a repeat call repeats
    seq: dict[str, int] = {}
    for i, (at, channel, category) in enumerate(raw):
        building = rng.choice(buildings)
        place = rng.choice(PLACES)
        day = _local(at)
        repeat = None
        if channel in (Channel.HOTLINE, Channel.RESIDENT):
            recent = [d for d in recent if d.reported_at > at - dt.timedelta(days=3)]
            if recent and rng.random() < 0.05 and i not in in_my_grid:  # the grid worker's are new problems
                repeat = rng.choice(recent)
                category, building = repeat.category, repeat.building or building
        if i in in_my_grid:
            building = in_my_grid[i]
        draft = _Draft(id=first_id + i, channel=channel, category=category, reported_at=at, text="",
                       building=building, urgent=False, repeat_of=repeat, merged=repeat is not None and
                       rng.random() < 0.8)
        other_words = ""
        if repeat is not None and not draft.merged:
            # A generator of its own, so the rest of the year is drafted as before.
            answer = random.Random(f"not-duplicate-{draft.id}")
            if answer.random() < NOT_DUPLICATE_SHARE:
                # The same kind of problem at the same place, but another one (what the flag cannot tell
                # apart): the operator reads it and answers 不是重复.
                draft.not_duplicate = answer.choice(NOT_DUPLICATE_NOTES)
                for _try in range(5):
                    other_words = answer.choice(SAID[category.name]).format(place=answer.choice(PLACES))
                    if other_words != repeat.said:
                        break
        address = building[5]
        said = ""
        if channel in (Channel.HOTLINE, Channel.RESIDENT):
            said = other_words or (repeat.said if repeat is not None else
                                   rng.choice(SAID[category.name]).format(place=place))
        draft.said = said
        if channel == Channel.HOTLINE:
            again = "，之前反映过还没解决" if repeat is not None and not other_words else ""
            draft.text = f"市民来电反映：{address}{said}{again}，{rng.choice(ASKS)}"
            draft.cancelled = repeat is None and rng.random() < 0.015 and i not in in_my_grid  # theirs stay in hand
            key = f"{day:%y%m%d}"
            seq[key] = seq.get(key, 0) + 1
            draft.external_id = f"{key}{seq[key]:05d}"
            draft.reporter_name = people.name(rng)[0] + rng.choice(("先生", "女士", "阿姨", "老师", "师傅"))
            draft.reporter_phone = people.mobile(rng) if rng.random() < 0.85 else f"021{rng.randrange(10**7, 10**8)}"
            draft.created_by = ctx.operator
            draft.created_data = {"hotline": {"time_limit": {"text": "5个工作日", "working_days": 5}}}
            if rng.random() < 0.25:
                draft.created_data["hotline"] = {"appeal_type": rng.choice(("投诉", "求助", "咨询", "建议"))}
            # A caller who cannot say where (待人工定位); not the grid worker's, whose place is their grid.
            if repeat is None and rng.random() < 0.03 and i not in in_my_grid:
                address = rng.choice(("菜场后面那条小路", "公交站旁边", "小区里面", "河边步道"))
                draft.building = None
            draft.address_text = address if draft.building is None else \
                f"{ctx.subdistrict.district}{ctx.subdistrict.name}{address}"
        elif channel == Channel.RESIDENT:
            draft.text = f"{said}。"
            draft.reporter_name = people.name(rng)
            draft.reporter_phone = people.mobile(rng)
            if ctx.resident is not None and rng.random() < 0.02:
                draft.reporter, draft.reporter_name = ctx.resident, ctx.resident.display_name
            draft.created_by = draft.reporter or ""
            draft.address_text = address
        elif channel == Channel.PATROL:
            seen = rng.choice(SEEN.get(category.name) or SAID[category.name]).format(place=place or "路边")
            draft.text = f"巡查发现：{address}{seen}"
            draft.created_by = ctx.grid_worker if ctx.grid_worker and ctx.grid_worker.grid_id == building[1] else \
                f"网格员 {people.name(rng)}"
            draft.address_text = address
        else:
            prefix, alarm = ALARMS[category.name]
            device = f"{prefix}-{building[0] % 997:03d}"
            draft.text = f"设备 {device} 报警：{alarm}"
            draft.external_id = f"ALM{day:%Y%m%d%H%M%S}{i % 100:02d}"
            draft.created_by = "物联感知平台"
            draft.created_data = {"device": device, "alarm_type": alarm, "evidence": {}}
            draft.address_text = address
        draft.urgent = bool(category.urgent or services.is_urgent_text(draft.text)
                            or (channel == Channel.SENSOR and category.name in ("电梯故障", "独居老人异常")))
        if channel in (Channel.HOTLINE, Channel.RESIDENT) and repeat is None and not draft.cancelled:
            recent.append(draft)
        drafts.append(draft)
    for i in in_my_grid:  # still in hand now, however small the demo (at full scale they are hours old)
        d = drafts[i]
        if d.repeat_of is None and not d.cancelled and d.building is not None:
            d.stuck = True
    # However small the demo, a few cases stuck past their time limit, so that 超期 has something to show.
    candidates = [d for d in drafts if ctx.now - dt.timedelta(days=25) < d.reported_at < ctx.now - dt.timedelta(days=5)
                  and d.repeat_of is None and not d.cancelled and d.channel != Channel.SENSOR]
    for d in rng.sample(candidates, min(len(candidates), max(STUCK_AT_LEAST, count // 500))):
        d.stuck = True
    return drafts


GRID_WORKER_OPEN = 4  # the newest cases put in the demo grid worker's grid: their phone queue is not empty


def _grid_workers_cases(ctx: _Ctx, raw: list[tuple], buildings: list) -> dict[int, tuple]:
    """draft index → a building of the demo grid worker's grid, for the newest few reports from callers and
    patrols, which stay in hand (``stuck``): at a hundred-odd grids, the grid of the one demo login would
    otherwise often have no open case on first sign-in. Chosen with a generator of their own, so the other
    cases are drafted as before."""
    if ctx.grid_worker is None or ctx.grid_worker.grid_id is None:
        return {}
    mine = [b for b in buildings if b[1] == ctx.grid_worker.grid_id]
    if not mine:
        return {}
    rng = random.Random(f"{ctx.subdistrict.code}:{len(raw)}")
    newest = [i for i in range(len(raw) - 1, -1, -1) if raw[i][1] != Channel.SENSOR][:GRID_WORKER_OPEN]
    return {i: rng.choice(mine) for i in newest}


def _suggestions(truths: list[Category], ctx: _Ctx) -> list[dict]:
    """What the classifier would have suggested, simulated: the true category most of the time, a neighbour
    now and then (as the real model errs on close categories), with two alternatives. Not the classifier
    itself: loading it costs the demo seconds (training it, when its model is missing or stale, far more),
    and its answers change with each model, which the demo's determinism cannot allow."""
    rng = ctx.rng
    events = [c for c in ctx.categories.values() if c.family == Category.Family.EVENT]
    position = {c.pk: i for i, c in enumerate(events)}
    neighbours = {c.pk: [i for i, o in enumerate(events) if o.major_code == c.major_code and o.pk != c.pk]
                  or list(range(len(events))) for c in events}
    out = []
    for truth in truths:
        if truth.pk not in position:  # the classifier knows only 事件: a 部件 text gets some event, weakly
            first, confidence = rng.randrange(len(events)), rng.uniform(0.2, 0.45)
        elif rng.random() < 0.08:
            first, confidence = rng.choice(neighbours[truth.pk]), rng.uniform(0.35, 0.6)
        else:
            first, confidence = position[truth.pk], rng.uniform(0.6, 0.98)
        others = [i for i in rng.sample(range(len(events)), 3) if i != first][:2]
        rest = (1 - confidence) * rng.uniform(0.5, 0.9)
        second = rest * rng.uniform(0.55, 0.8)
        out.append({"category": events[first].name, "code": events[first].code, "confidence": round(confidence, 4),
                    "alternatives": [{"category": events[others[0]].name, "confidence": round(second, 4)},
                                     {"category": events[others[1]].name, "confidence": round(rest - second, 4)}]})
    return out


# ------------------------------------------------------------------------------------------- timelines


def _route(ctx: _Ctx, category: Category, building: tuple | None, urgent: bool):
    """services.route, asked once per distinct (category, place, urgency)."""
    community = building[2] if building and ctx.community_scenarios else None
    key = (category.pk, building[3] if building else None, community, urgent)
    if key not in ctx.routes:
        probe = Case(subdistrict=ctx.subdistrict, category=category, urgent=urgent,
                     area_id=key[1], community_id=key[2])
        ctx.routes[key] = services.route(case=probe)
    return ctx.routes[key]


def _deadlines(ctx: _Ctx, process: Process, at: dt.datetime) -> dict:
    if process.handle_hours is not None:
        return services.deadlines(process=process, start=at)
    key = (process.pk, _local(at).date())
    if key not in ctx.dues:  # working-day limits depend on the day only
        ctx.dues[key] = services.deadlines(process=process, start=at)["handle_due"]
    contact = at + dt.timedelta(hours=process.first_contact_hours) if process.first_contact_required else None
    return {"handle_due": ctx.dues[key], "first_contact_due": contact}


def _daytime(rng: random.Random, t: dt.datetime) -> dt.datetime:
    """Departments work 8:00–20:00: a step due at night happens the next morning."""
    local = _local(t)
    if local.hour < 8:
        return t + dt.timedelta(hours=8 - local.hour, minutes=rng.randrange(0, 60))
    if local.hour >= 20:
        return t + dt.timedelta(hours=32 - local.hour, minutes=rng.randrange(0, 60))
    return t


class _Timeline:
    def __init__(self, ctx: _Ctx, draft: _Draft):
        self.ctx, self.draft = ctx, draft
        self.events: list[Step] = []
        self.status = ""
        self.department: Department | None = None
        self.t = draft.reported_at - dt.timedelta(seconds=1)
        self.processes: dict[tuple[str, str], Process] = {}
        self.placed: tuple | None = None

    def add(self, kind: str, at: dt.datetime, *, to: str | None = None, by=None, note: str = "",
            data: dict | None = None, department: Department | None = None) -> None:
        at = max(at, self.t + dt.timedelta(seconds=1))
        self.t = at
        is_user = isinstance(by, User)
        self.events.append(Step(
            kind, at, by.pk if is_user else None, (by.display_name if is_user else str(by or ""))[:150],
            self.status, to or self.status, department or self.department, note, data or {},
        ))
        self.status = to or self.status

    def handler_of(self, department: Department):
        h = self.ctx.handler
        return h if h is not None and h.department_id == department.pk else f"{department.name} 处置员"


def _case(ctx: _Ctx, d: _Draft, suggestion: dict) -> tuple[Case, list[Step]]:
    rng = ctx.rng
    b = d.building
    case = Case(
        id=d.id, subdistrict=ctx.subdistrict, number=f"{_local(d.reported_at):%Y%m%d}{d.id:07d}",
        channel=d.channel, external_id=d.external_id, description=d.text, address=d.address_text,
        lat=b[6] + rng.uniform(-6e-5, 6e-5) if b and d.channel == Channel.PATROL else (b[6] if b else None),
        lon=b[7] + rng.uniform(-6e-5, 6e-5) if b and d.channel == Channel.PATROL else (b[7] if b else None),
        building_id=b[0] if b else None, grid_id=b[1] if b else None, community_id=b[2] if b else None,
        area_id=b[3] if b else None, needs_placement=b is None, urgent=d.urgent, reporter_name=d.reporter_name,
        reporter_phone=d.reporter_phone, reporter=d.reporter, reported_at=d.reported_at, suggestion=suggestion,
    )
    if suggestion.get("code"):
        case.suggested_category = next((c for c in ctx.categories.values() if c.code == suggestion["code"]), None)
    given = d.channel in (Channel.PATROL, Channel.SENSOR)  # the reporter or the alarm names the category
    if given:
        case.category = d.category
    tl = _Timeline(ctx, d)
    _simulate(ctx, d, case, tl)
    events = [e for e in tl.events if e.at <= ctx.horizon]
    events = _overdue_warnings(ctx, events)
    last = events[-1]
    case.status = last.to_status
    case.version = sum(1 for e in events if e.kind not in (EventKind.CREATED, EventKind.OVERDUE))
    # The place, category and department as of the last event kept.
    kinds = {e.kind for e in events}
    if EventKind.REGISTERED in kinds or given:
        case.category = d.category
    if b is None and EventKind.PLACED in kinds:
        case.needs_placement = False
        grid = tl.placed
        case.grid_id, case.community_id, case.area_id = grid[1], grid[2], grid[3]
    if d.repeat_of is not None:
        # Intake's flag, and the operator's answer once it is made (services.decide_duplicate): 合并 keeps the
        # flag and records the merge as accepted, 不是重复 clears it.
        case.possible_duplicate_of_id = d.repeat_of.id
        answer = next((e for e in events if e.kind in (EventKind.MERGED, EventKind.NOT_DUPLICATE)), None)
        if answer is not None:
            case.duplicate_accepted, case.duplicate_decided_at = answer.kind == EventKind.MERGED, answer.at
        if EventKind.MERGED in kinds:
            case.duplicate_of_id = d.repeat_of.id
        elif EventKind.NOT_DUPLICATE in kinds:
            case.possible_duplicate_of_id = None
    department = process = None
    for e in events:
        if e.kind in (EventKind.DISPATCHED, EventKind.REOPENED):
            department, process = e.department, tl.processes[e.data["department"], e.data["process"]]
        elif e.kind == EventKind.RETURNED:
            department = None
    case.department, case.process = department, process
    for name, value in services.project(case=case, events=events).items():
        setattr(case, name, value)
    return case, events


def _simulate(ctx: _Ctx, d: _Draft, case: Case, tl: _Timeline) -> None:
    rng = ctx.rng
    op = ctx.operator or "城运中心"
    created = {"channel": d.channel, **d.created_data}
    if d.repeat_of is not None:
        created["possible_duplicate_of"] = f"{_local(d.repeat_of.reported_at):%Y%m%d}{d.repeat_of.id:07d}"
    tl.add(EventKind.CREATED, d.reported_at, to=Status.NEW, by=d.created_by, data=created)
    night = _local(d.reported_at).hour < 7
    desk = dt.timedelta(minutes=rng.uniform(5, 50) if not night else rng.uniform(60, 420))
    if ctx.now - d.reported_at < dt.timedelta(hours=36) and rng.random() < 0.5:
        desk = dt.timedelta(hours=rng.uniform(1, 40))  # today's inbox: not everything is registered yet
    if d.merged:
        tl.add(EventKind.MERGED, tl.t + desk, to=Status.CANCELLED, by=op,
               data={"into": created["possible_duplicate_of"]})
        return
    if d.not_duplicate:
        tl.add(EventKind.NOT_DUPLICATE, tl.t + desk / 2, by=op, note=d.not_duplicate,
               data={"candidate": created["possible_duplicate_of"]})
    if d.cancelled:
        tl.add(EventKind.CANCELLED, tl.t + desk, to=Status.CANCELLED, by=op, note=rng.choice(CANCEL_NOTES))
        return
    if d.building is None:
        grid = rng.choice(_grids_of(ctx))
        tl.placed = grid
        tl.add(EventKind.PLACED, tl.t + desk, by=op, data={"grid": grid[4]})
        d.building = (None, *grid[1:])  # routing by the place the operator chose
    previous = d.category.code if d.channel in (Channel.PATROL, Channel.SENSOR) else None
    data = {"category": d.category.code, "previous": previous}
    tl.add(EventKind.REGISTERED, tl.t + (desk if d.building[0] else dt.timedelta(minutes=rng.uniform(2, 20))),
           to=Status.REGISTERED, by=op, data=data)
    department, process = _route(ctx, d.category, d.building, d.urgent)
    if department is None:
        department = ctx.departments.get(defaults.FALLBACK_DEPARTMENT) or next(iter(ctx.departments.values()))
    process = process or ctx.fallback_process
    fast = process.handle_hours is not None
    when = tl.t + dt.timedelta(minutes=rng.uniform(2, 15) if fast else rng.uniform(5, 90))
    due = _dispatch(ctx, tl, when, department, process, by=op)

    if not fast and rng.random() < 0.04:  # 退回: not ours
        tl.add(EventKind.RETURNED, _daytime(rng, tl.t + dt.timedelta(hours=rng.uniform(0.5, 20))),
               to=Status.REGISTERED, by=tl.handler_of(department), note=rng.choice(RETURN_NOTES),
               data={"department": department.code})
        tl.department = None
        others = [ctx.departments[c] for c in ALTERNATES if c in ctx.departments and c != department.code]
        department = rng.choice(others) if others else department
        due = _dispatch(ctx, tl, tl.t + dt.timedelta(minutes=rng.uniform(20, 180)), department, process, by=op)
    _handle(ctx, d, tl, department, process, due)


def _grids_of(ctx: _Ctx) -> list[tuple]:
    if not ctx.grids:
        from jiedao.geo.models import Grid

        ctx.grids = [(None, g.pk, g.community_id, g.community.area_id, g.code)
                     for g in Grid.objects.filter(subdistrict=ctx.subdistrict).select_related("community")
                     .order_by("pk")]
    return ctx.grids


def _dispatch(ctx: _Ctx, tl: _Timeline, at: dt.datetime, department: Department, process: Process, *, by,
              kind: str = EventKind.DISPATCHED) -> dt.datetime:
    at = max(at, tl.t + dt.timedelta(seconds=1))
    due = _deadlines(ctx, process, at)
    tl.processes[department.code, process.code] = process
    tl.department = department
    tl.add(kind, at, to=Status.DISPATCHED, by=by, department=department, note="" if kind == EventKind.DISPATCHED
           else "市民对处理结果不满意，重新办理", data={
               "department": department.code, "process": process.code, "handle_due": due["handle_due"].isoformat(),
               "first_contact_due": due["first_contact_due"].isoformat() if due["first_contact_due"] else None})
    return due["handle_due"]


def _handle(ctx: _Ctx, d: _Draft, tl: _Timeline, department: Department, process: Process, due: dt.datetime,
            *, reopened: bool = False) -> None:
    rng = ctx.rng
    op = ctx.operator or "城运中心"
    who = tl.handler_of(department)
    fast = process.handle_hours is not None
    start = tl.t
    if process.first_contact_required:  # the clock for 先行联系 runs: accepted at once, day or night
        limit = dt.timedelta(hours=process.first_contact_hours)
        tl.add(EventKind.ACCEPTED, start + min(limit * 0.3, dt.timedelta(minutes=rng.uniform(3, 90))),
               to=Status.HANDLING, by=who)
        late = rng.random() < 0.05
        contact = start + limit * (rng.uniform(1.1, 3.0) if late else rng.uniform(0.35, 0.95))
        phone = "已电话联系市民，告知处理安排" if d.reporter_phone else "来电人未留电话，已现场查看"
        tl.add(EventKind.CONTACTED, contact, by=who, note=phone)
    else:
        accept = start + dt.timedelta(minutes=rng.uniform(3, 25) if fast else rng.uniform(10, 240))
        tl.add(EventKind.ACCEPTED, accept if fast else _daytime(rng, accept), to=Status.HANDLING, by=who)
    # 挂账: a long-standing problem (not a case kept in hand until after now: it would leave the queue)
    if process.code == "COMPLEX15" and rng.random() < 0.04 and not (d.stuck and not reopened):
        tl.add(EventKind.SUSPENDED, tl.t + dt.timedelta(days=rng.uniform(1, 6)), to=Status.SUSPENDED, by=op,
               note="涉及历史遗留问题，需多部门协调，列入挂账")
        if rng.random() < 0.5:
            return
        tl.add(EventKind.RESUMED, tl.t + dt.timedelta(days=rng.uniform(10, 60)), to=Status.HANDLING, by=op,
               note="协调会已明确责任单位，恢复办理")
    window = max(due - tl.t, dt.timedelta(minutes=30))
    if not fast and rng.random() < 0.06:  # 申请延期
        days = rng.choice((3, 5, 5, 10))
        tl.add(EventKind.EXTENSION_REQUESTED, _daytime(rng, tl.t + window * rng.uniform(0.2, 0.7)), by=who,
               note=f"需协调产权单位，申请延期 {days} 个工作日", data={"days": days})
        if rng.random() < 0.75:
            due = workdays.add_working_days(due, days)
            tl.add(EventKind.EXTENSION_APPROVED, tl.t + dt.timedelta(hours=rng.uniform(0.5, 20)), by=op,
                   data={"days": days, "handle_due": due.isoformat()})
        else:
            tl.add(EventKind.EXTENSION_REFUSED, tl.t + dt.timedelta(hours=rng.uniform(0.5, 20)), by=op,
                   note="时限内可以完成，请抓紧办理")
        window = max(due - tl.t, dt.timedelta(minutes=30))
    roll = rng.random()
    if roll < 0.92:  # most within the limit, many well before it
        handled = tl.t + window * min(0.97, rng.betavariate(1.3, 3.5))
        handled = min(_daytime(rng, handled), due) if not fast else handled
    elif roll < 0.985:
        handled = due + dt.timedelta(hours=rng.uniform(1, 96))
    else:  # stuck for weeks
        handled = due + dt.timedelta(days=rng.uniform(10, 45))
    if d.stuck and not reopened:
        handled = max(handled, ctx.now + dt.timedelta(days=rng.uniform(1, 30)))
    tl.add(EventKind.HANDLED, handled, to=Status.HANDLED, by=who, note=rng.choice(DONE))
    if rng.random() < 0.05:  # 返工
        tl.add(EventKind.REWORK, tl.t + dt.timedelta(hours=rng.uniform(1, 20)), to=Status.HANDLING, by=op,
               note=rng.choice(REWORK_NOTES))
        tl.add(EventKind.HANDLED, _daytime(rng, tl.t + dt.timedelta(hours=rng.uniform(4, 60))), to=Status.HANDLED,
               by=who, note="已再次到现场处理，问题已解决")
    tl.add(EventKind.CLOSED, tl.t + dt.timedelta(minutes=rng.uniform(20, 600)), to=Status.CLOSED, by=op)
    if d.channel in (Channel.HOTLINE, Channel.RESIDENT) and d.reporter_phone and rng.random() < 0.85:
        on_time = tl.events[-1].at <= due
        rating = rng.choices((3, 2, 1), (80, 13, 7) if on_time else (55, 25, 20))[0]
        tl.add(EventKind.VISITED, tl.t + dt.timedelta(hours=rng.uniform(4, 72)), by=op, note=RATING_NOTES[rating],
               data={"rating": rating})
        if rating == 1 and not reopened and rng.random() < 0.3:
            due = _dispatch(ctx, tl, tl.t + dt.timedelta(hours=rng.uniform(1, 24)), department, process, by=op,
                            kind=EventKind.REOPENED)
            _handle(ctx, d, tl, department, process, due, reopened=True)


def _overdue_warnings(ctx: _Ctx, events: list[Step]) -> list[Step]:
    """超期督办 events where the periodic check (services.warn_overdue, every few minutes) would have written
    them: once per time limit, while the case is in a department's hands past it."""
    from jiedao.cases.models import IN_HAND_STATUSES

    out: list[Step] = []
    due, warned, status, department = None, False, "", None

    def check(until: dt.datetime) -> None:
        nonlocal warned
        if due is not None and not warned and status in IN_HAND_STATUSES:
            at = max(due + dt.timedelta(minutes=10), out[-1].at + dt.timedelta(seconds=1))
            if at < until and at <= ctx.horizon:
                out.append(Step(EventKind.OVERDUE, at, None, "系统", status, status, department, "",
                                  {"handle_due": due.isoformat()}))
                warned = True

    for e in events:
        check(e.at)
        out.append(e)
        status, department = e.to_status, e.department
        if e.kind in (EventKind.DISPATCHED, EventKind.REOPENED, EventKind.EXTENSION_APPROVED):
            due, warned = dt.datetime.fromisoformat(e.data["handle_due"]), False
        elif e.kind == EventKind.RETURNED:
            due, warned = None, False
    check(ctx.horizon + dt.timedelta(seconds=1))
    return out
