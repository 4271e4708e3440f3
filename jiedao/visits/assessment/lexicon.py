"""The rules layer of the visit assessment (走访记录评估): cue phrases per risk type, found in a note's clauses.

A cue is a regular expression for words a social worker writes about a problem of one type (风险类型), at
one level: ``中`` (a concern: 腿脚不便, 楼道堆物, 低保) or ``高`` (danger now: 煤气味, 不想活, 起不来). A cue
does not count when the clause negates it (``没有闻到煤气味``, ``无堆物``, ``防诈骗``) or says it is solved
(``漏水已经修好``). The evidence shown to the worker is the clause that holds the cue: a real substring of
the note, so the page can highlight it.

The model (model.py) decides the risk and the types from the whole note; the cues' clauses are the evidence
shown for a type. The model is two, averaged: one reads the character n-grams alone, the other reads the cue
counts beside them (they carry the negation the n-grams cannot see) and the counts of ``state_counts``: the
clauses that say the state of what a cue names (``STATES``: resolved, past, persisting, someone else's;
safeguards in place), for a danger word says little until it is known whether the danger is there now. Cue
lists name *what is wrong*, never the checklist item alone: ``燃气`` is not a cue (every routine note says
燃气正常), ``漏气`` is.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

TYPES = ("健康", "安全", "心理", "环境", "生活困难")  # 风险类型, in the order they are reported
LEVELS = ("低", "中", "高")  # 风险等级

# (type, level) → cue patterns. Kept broad: the model, not the cue, decides a note's types.
CUES: dict[tuple[str, str], tuple[str, ...]] = {
    ("健康", "中"): (
        r"腿脚?不(太)?(好|便|灵|利索)", r"行动不便", r"走路不稳", r"拄拐", r"轮椅", r"助行器", r"要人(扶|搀)",
        r"需人(扶|搀)", r"扶着墙", r"下楼(梯)?(很|比较|有点)?(吃力|困难|不便|不方便)", r"上下楼(很|有点)?(吃力|困难)",
        r"高血压", r"血压(高|偏高|不稳)", r"糖尿病", r"血糖(高|控制不好|不稳)", r"冠心病", r"心脏病", r"慢阻肺",
        r"哮喘", r"气喘", r"咳嗽", r"头晕", r"听力(下降|差|不好)", r"耳背", r"视力(差|很差|下降|不好)",
        r"看不清", r"白内障", r"青光眼", r"骨折", r"摔(了|过)(一)?跤", r"跌(了|过)(一)?跤", r"摔倒", r"跌倒",
        r"卧床", r"瘫痪", r"偏瘫", r"中风", r"脑梗", r"帕金森", r"手抖", r"痴呆", r"认知(障碍|症)", r"糊涂",
        r"记性(差|不好)", r"忘事", r"失智", r"阿尔茨海默", r"癌", r"肿瘤", r"化疗", r"透析", r"结节",
        r"住院", r"手术后", r"疼得", r"痛得", r"腰(椎|痛|疼)", r"膝盖(不好|痛|疼)", r"关节", r"吞咽", r"呛",
        r"失能", r"残疾", r"肢体[一二三四]级", r"体弱", r"身体(不好|差|虚弱|越来越差)", r"病情", r"生病", r"病了",
        r"慢性病", r"慢病", r"复查", r"复诊", r"看医生", r"药(费)?吃", r"停(过|了)?(几天)?药", r"胰岛素",
        r"消瘦", r"瘦了", r"浮肿", r"肿",
        r"1[4-7]\d/(9|10)\d", r"发育(迟缓|落后)", r"不(大|太)会(讲|说)话",
    ),
    ("健康", "高"): (
        r"倒在地", r"跌坐", r"摔倒在地", r"跌倒在地", r"起不来", r"爬不起来", r"昏迷", r"意识不清", r"不省人事",
        r"说不清", r"口齿不清", r"嘴(巴|角)?.{0,3}歪",
        r"(讲|说)话.{0,2}含(含)?糊", r"胸(口)?闷", r"喘不上气", r"喘不过气", r"气急", r"高烧", r"发(高)?烧",
        r"吐血", r"便血", r"断药", r"药.{0,3}(吃完|用完|断了|没了)", r"(没|无)人照(顾|料|护|看)", r"无人看护",
        r"120(?<![\d号]120)(?![\d室号弄]|电话|号码|的电话)",
        r"救护车", r"急诊", r"送医", r"走丢", r"走失", r"(几|两|三|四|五|好几)天没(见|看见|看到)",
        r"敲门(很久)?(不应|没人应)", r"没人应", r"褥疮", r"瘫在床", r"尿湿", r"卧床不起", r"没小便",
        r"突然(晕|倒|不能)", r"不能动", r"没人.{0,4}翻身", r"(尾骶|骶尾|屁股|背上).{0,6}(红|破)",
        r"药.{0,3}(都|全)?(扔|丢)了", r"叫(也|都)?不应", r"门反锁",
        # round 4: signs of an emergency told without its name (heart attack, hypoglycaemia, dehydration,
        # infection, stroke, an unreadable blood pressure)
        r"胸(口|前)?.{0,2}(痛|疼|绞痛|压着)", r"(出|冒|一身)冷汗", r"低血糖", r"脱水", r"嘴(唇|巴)?.{0,2}干(裂|得)",
        r"(一|两|几)天(都)?没(怎么)?(喝水|喝过水|小便|解小便)", r"尿(很少|不出)",
        r"伤口.{0,4}(红肿|流脓|化脓|发黑|流水|发臭)", r"(半边|一侧|一边|左边|右边).{0,4}(没力|无力|发麻|不能动|动不了)",
        r"突然.{0,6}(说不出话|看不见|站不稳|走不稳|不认人)", r"(1[89]\d|2\d\d)/1[01]\d",
        r"见红", r"胎动.{0,3}(少|没了|减少|不动)", r"破水",
        # round 5: blood coughed, vomited or passed
        r"咳.{0,4}血", r"痰.{0,3}血", r"血丝", r"(大便|便便).{0,4}(发黑|黑|血)", r"柏油", r"尿血",
        r"小便.{0,2}(发红|红)", r"吐.{0,4}(咖啡色|血)",
    ),
    ("安全", "中"): (
        r"烟感.{0,8}(坏|不亮|没电|不响|失效|拆|没装|未装|过期)", r"没(有)?(装)?烟感", r"无烟感",
        r"软管.{0,4}(老化|发硬|裂|过期)", r"插线板", r"拖线板", r"接线板", r"串(着|联)",
        r"电线.{0,4}(老化|开裂|裸露|破)", r"老式(的)?电线",
        r"直排", r"电瓶车", r"电动(自行)?车", r"电池", r"油漆", r"稀料", r"易燃", r"酒精",
        r"门锁.{0,2}坏", r"关不(严|上)", r"诈骗", r"被骗", r"骗子", r"陌生人", r"灭火器", r"隐患",
        r"燃气报警器", r"熄火保护(坏|失灵)", r"防滑", r"地滑",
        # round 4: fraud told without the word 诈骗, a fire risk without a danger word
        r"免费.{0,6}(领|送|听课|讲座|旅游)", r"领(鸡蛋|礼品|大米|米|油)", r"保健品", r"推销", r"中奖", r"理财群",
        r"投资群", r"网恋", r"刷单", r"炭盆", r"炭火", r"煤炉", r"煤球炉", r"蜂窝煤", r"火盆", r"裂缝", r"铝线",
        r"(焊死|封死)", r"故障灯",
        # round 5: a hazard that exists with nothing happening now (a breaker that trips, a cylinder kept)
        r"空开.{0,4}跳", r"跳闸", r"液化气", r"钢瓶",
    ),
    ("安全", "高"): (
        r"煤气味", r"燃气味", r"臭鸡蛋(的)?(味|气味)", r"漏气", r"泄漏", r"焦味", r"焦糊", r"冒烟", r"烧焦",
        r"烧得发黑",
        r"火花", r"着火", r"起火", r"火苗", r"冒火", r"飞线", r"私拉(乱接)?电线", r"拉电线",
        r"(电瓶|电池|电动车|电瓶车).{0,10}充电", r"充电.{0,6}(电瓶|电池)", r"充一(整)?夜",
        r"(电瓶|电池).{0,10}(房间|屋里|卧室|家里|床边|客厅).{0,4}充",
        r"忘(了|记)关火", r"开着火", r"锅烧干", r"保险丝", r"铜丝", r"打(老婆|老公|人|她|他)",
        r"家暴", r"淤青", r"拿刀", r"报警", r"(门|东西).{0,2}(踢|砸)(坏|破|烂)", r"(踢|砸)(坏|破|烂)了?门",
        r"灶(台|头)?(边|旁)?(上)?.{0,3}味道",
        r"不敢回(去|家)", r"躲到.{0,6}(家|里)", r"直排.{0,16}(关死|关紧|头晕)",
        r"11[09](?<![\d号]11[09])(?![\d室号弄]|电话|号码|的电话)", r"转(账|钱)", r"安全账户", r"公检法", r"洗钱",
        r"(已经|已|前后|一共|先后)(交|转|付|汇|花)了.{0,5}(万|千)", r"还要(再)?(交|转|付|汇|打)", r"返利", r"会员费",
        r"保证金", r"(拿|要|交出|骗走?)(他们|她|他|老人)?(的)?房产证", r"养老项目", r"高回报",
        r"废气", r"一氧化碳", r"中毒", r"蜡烛", r"电炉", r"电热毯.{0,6}(破|焦|坏)", r"空调架",
        r"外机.{0,6}(掉|斜|松|挂)",
        r"(天花板|楼板|墙).{0,6}(塌|掉下)", r"塌了",
        r"(水泥|瓷砖|墙皮|外墙).{0,6}(掉下来|砸)", r"钢筋.{0,3}露", r"汽油", r"灭火", r"火灾",
        r"验证码", r"嘶嘶", r"(银行卡|密码).{0,6}(告诉|给了|报给|发给)", r"(屏幕|远程)共享", r"解冻费", r"手续费",
        r"(冒充|自称)(是)?(警察|公安|法院|检察院|医保|社保|银行|客服|领导)", r"泼硫酸", r"硫酸", r"扬言", r"威胁",
        r"恐吓", r"(要|说要|扬言要)(杀|砍|弄死|打死)", r"堵(她|他|人)", r"跟踪", r"承重墙", r"掉渣",
        r"裂缝.{0,6}(越来越|变大|变宽)", r"烧炭", r"木炭",
        # round 5: a fire that has started or nearly started, told by what is seen
        r"焦黄", r"烧黑", r"烤(焦|黄)", r"烫出", r"烫了.{0,3}(洞|焦)", r"烫手", r"火星", r"滋滋", r"(烧|烤|点)着了",
        r"烧布", r"熏黑", r"烧(穿|化)",
        r"(电表箱|电箱|配电箱|插座|灯座).{0,6}(滴水|进水|漏水|渗水)",
        r"(漏|渗|滴|流)水?(进|到)了?.{0,3}(电表箱|电箱|配电箱|插座|灯座)",
    ),
    ("心理", "中"): (
        r"情绪(很|比较|有点)?(低落|不好|不稳|差|一般|波动)", r"心情(很|比较|有点)?(不好|差|低落|郁闷)", r"闷",
        r"孤独", r"孤单", r"寂寞", r"没人(说|讲)(话|闲话)", r"哭", r"叹气", r"失眠", r"睡不着", r"想东想西",
        r"焦虑", r"发愁", r"压力(很|太)?大", r"撑不住", r"抑郁", r"没用了", r"吵架", r"争吵", r"矛盾",
        r"关系(很)?紧张", r"不开心", r"不愿(意)?(出门|见人|说话|讲话)", r"不(肯)?出门", r"关在(房间|家)",
        r"丧偶", r"去世", r"走了(以后|之后|半年|一年)", r"精神(状态)?(很|比较)?(差|不好|萎靡)", r"自闭(?!阀)", r"心理",
        r"憋屈", r"难过", r"伤心", r"不(接|回)(子女|电话)", r"轻生念头", r"不来看", r"没人(来)?看",
        r"把自己(锁|关)在", r"没(去|上)学", r"不(去|肯去)(上)?学", r"噩梦", r"看不起", r"闷闷不乐",
    ),
    ("心理", "高"): (
        r"不想活", r"想死", r"(要|想)?轻生", r"自杀", r"自残", r"割(手)?腕", r"跳楼", r"跳下去", r"遗书", r"一了百了",
        r"活着.{0,2}没(啥|什么)?意思", r"活着拖累", r"活(着|得)(太)?累", r"寻死", r"精神分裂", r"幻觉",
        r"我也(要)?(去|跟着去)(寻|找|陪)(伊|他|她|儿子|女儿|老头子|老伴|老太婆)", r"(撑|熬)不下去了",
        r"(明天|今天|今晚)就(结束|走了)", r"(后事|存折).{0,4}(交代|安排|理|收拾|放在|交给)",
        r"要害(她|他|我)", r"监听",
        r"摔东西", r"大喊大叫", r"不想要(这个)?孩子", r"坏妈妈", r"情绪(很|非常)?(不对|激动|失控)",
        r"(手臂|手腕|胳膊|手上|腿上).{0,6}(划痕|刀痕|割痕|烫痕)", r"一道道(划|伤|口子|红)", r"划(伤|破)自己",
        r"(不想|不要)再拖累",
        r"拖累你们", r"(一)?死了之", r"死了算了", r"死给", r"再见了", r"永别",
    ),
    ("环境", "中"): (
        r"堆物", r"堆放", r"堆满", r"堆了", r"堆着", r"堆到", r"杂物", r"纸板(箱)?", r"纸箱", r"垃圾", r"脏", r"乱扔",
        r"卫生(很|比较|较)?差", r"臭", r"异味", r"味道(很|太)?(重|大|冲)", r"霉", r"潮湿", r"渗水", r"漏水",
        r"漏雨", r"水渍", r"墙皮", r"脱落", r"积水", r"堵", r"返(臭|味)", r"蟑螂", r"老鼠", r"苍蝇", r"虫",
        r"(猫|狗).{0,4}(味|屎|尿|拉)", r"油烟", r"噪音", r"吵得", r"烟头", r"群租", r"违建", r"挡光", r"灯(也)?坏",
        r"黑乎乎", r"囤", r"破旧", r"失修",
    ),
    ("环境", "高"): (
        r"垃圾堆(到|成)", r"睡在垃圾", r"臭气冲天", r"堵住", r"堵死", r"长毛", r"烂了", r"腐烂", r"馊",
        r"泡塌", r"床上全是水",
    ),
    ("生活困难", "中"): (
        r"低保", r"困难户", r"经济(很|比较)?(困难|紧张|拮据|一般|压力)", r"开销", r"吃紧", r"负担(很|比较)?重",
        r"药费", r"退休金(只有|不高|很少|少)", r"请不起", r"没钱", r"舍不得", r"下岗", r"失业", r"没(有)?工作",
        r"找工作", r"就业", r"欠(了)?.{0,6}费", r"催缴", r"补助", r"救助", r"补贴", r"助餐", r"送餐",
        r"买菜(很|比较)?(困难|不便|难)", r"做饭(越来越)?(吃力|困难)", r"不会用(智能)?手机", r"无力赡养",
        r"挤在", r"学费", r"助学", r"收入(低|少|不高|不稳)", r"没(有)?收入", r"生活(很)?(困难|拮据)",
        r"照顾不过来", r"没人(帮|管)", r"保姆", r"护工", r"(不会|没法|不能)(做饭|烧饭|煮饭)", r"吃得(很)?简单",
    ),
    ("生活困难", "高"): (
        r"断电", r"断水", r"断粮", r"吃的都没有", r"没(有)?(正经)?吃(饭|东西)", r"没饭吃", r"没地方住",
        r"无家可归", r"赶出来", r"交不起", r"一分钱", r"卖血", r"没有被子", r"单衣", r"冻得", r"买米的钱",
        r"只剩一点米", r"工资没结", r"(米|吃的|粮|饭钱).{0,3}(吃光|吃完|用光|没了|见底)", r"停机", r"欠费.{0,3}(停|断)",
        r"冰箱.{0,4}空", r"没吃上.{0,4}饭", r"饿(着肚子|得)", r"换锁",
    ),
}

# A cue preceded by one of these within its clause (up to NEGATION_SPAN characters before it) does not count.
NEGATORS = re.compile(r"无|没|未|不|否认|防|排除")
NEGATION_SPAN = 4
# A clause that says the problem is over: its cues do not count.
SOLVED = re.compile(
    r"(已(经)?(由.{0,6})?(上门)?(自己)?(修好|解决|修复|更换|换(好|了|掉|过|成)|处理好|清理|搬走|运走|搬回|恢复|拆除|拆掉|拆了|"
    r"疏通|冻结|追回|结痂|康复|痊愈|整改好|整改完|拆线|补缴|补交|到账|批下来)|来电了|恢复供|修好了|恢复(?<![没不]恢复)得?(很|蛮|挺)?好|已(经)?上门(更)?换|已经拆|拆(了)?石膏|"
    r"已经过去|不再需要|不需要再|没(有)?再(漏|吵|犯|堵|出现|发生|响|闻到)|没再|恢复了(?<![没不未]恢复了)|已(经)?处理(?!中)|(已经|都)办好|睡得着了|好多了|康复|办结|结案|已落实|处理完毕|调解好|和好|"
    r"没事了|弄好了|清走了|到账了|处理好了(?<![没未]处理好了)|解决了(?<![没未]解决了)|搞定了(?<![没未]搞定了)|搬回去|运走了|(检|测|查)(过|了)?不漏|测试正常|整治后|整改后|虚惊|误报|(已经|都|早就|基本)好了)")
# Checklist words after a cue that say it was fine: ``堆物：无``.
AFTER_FINE = re.compile(r"^[：:\s]*(无|没有|正常|良好|未见)")
# Clauses: split on sentence and clause punctuation, keep the text between.
CLAUSE = re.compile(r"[^，,。．.；;！!？?\n\r、]+")

# One alternation per (type, level): a clause is searched ten times, not once per cue.
_COMPILED: list[tuple[str, str, re.Pattern]] = [
    (kind, level, re.compile("|".join(f"(?:{pattern})" for pattern in patterns)))
    for (kind, level), patterns in CUES.items()
]


@dataclass(frozen=True)
class Hit:
    """A cue found in a note: its type and level, and the clause holding it (start, end in the note)."""

    type: str
    level: str
    start: int
    end: int
    clause: str


def clauses(text: str) -> list[tuple[int, int, str]]:
    """The note's clauses as (start, end, text), stripped of surrounding blanks; offsets into ``text``."""
    out = []
    for match in CLAUSE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if stripped:
            start = match.start() + raw.index(stripped)
            out.append((start, start + len(stripped), stripped))
    return out


def _negated(clause: str, start: int, end: int) -> bool:
    if NEGATORS.search(clause[max(0, start - NEGATION_SPAN):start]):
        return True
    return bool(AFTER_FINE.match(clause[end:]))


@lru_cache(maxsize=65536)  # notes repeat their clauses ("家里收拾得很干净"): each is searched once
def _clause_cues(clause: str) -> tuple[tuple[str, str], ...]:
    """The (type, level) of every cue that counts in one clause, in the order of CUES."""
    if SOLVED.search(clause):
        return ()
    found = []
    for kind, level, pattern in _COMPILED:
        position = 0
        while (match := pattern.search(clause, position)) is not None:
            if not _negated(clause, match.start(), match.end()):
                found.append((kind, level))
                break
            position = match.start() + 1  # a negated cue: look for another one later in the clause
    return tuple(found)


# Situations: dangers a note tells without a danger word, by two things said together (in any clauses of the
# note, or within ``span`` clauses of each other), neither enough alone: a charcoal fire with the room shut or a
# headache (carbon monoxide, 一氧化碳), a person who cannot look after themselves whose carer is gone, late
# pregnancy with bleeding or pain, water up to the sockets. Unless a clause says care is in place (``unless``).
# A situation gives a cue of each of its types at its level in the clauses of both its parts (the evidence). Its
# second part said as a worry about later (担心以后没人管, 怕万一) is not there now, and does not count.
# (name, types, level, first, second, span or None, unless or None)
CARE_PRESENT = (r"(在|来|搬来|搬过来|全天|每天|天天|轮流).{0,3}(照顾|陪|照看|护理)|照顾得|"
                r"有(人|保姆|护工|阿姨)(照顾|陪|照看|在)|(接|搬)(到|去|回).{0,4}(家|住)|住(进|在)(养老院|护理院)")
# a heat source and something that burns, apart (a metre off, unplugged, moved away) or gone: not a fire risk now
_FIRE_APART = r"离.{0,6}(米|远|近)|隔开|拔(掉)?插头|定时|(挪|移)开|扔(掉|了)|换(了|的)|不用了"
SITUATIONS: tuple[tuple[str, tuple[str, ...], str, str, str, int | None, str | None], ...] = (
    ("一氧化碳", ("健康", "安全"), "高",
     r"炭盆|炭火|炭炉|木炭|烧炭|煤炉|煤球炉|蜂窝煤|煤饼|火盆|烧煤|(燃气)?热水器.{0,6}(直排|没有烟道|烟管.{0,3}(脱|掉|断))",
     r"门窗.{0,4}(紧闭|关|封)|(关|闭)(得)?(紧|死|牢|严)|(不|没)(开|留)(窗|缝)|头(痛|疼|晕|昏)|恶心|想吐|犯困|迷糊|"
     r"(没|无)力|站不(稳|住)|晕(倒|过去)", None, None),
    ("无人照护", ("健康", "生活困难"), "高",
     r"失明|双目|盲人|视障|视力残疾|看不见|智力(障碍|残疾)|智障|精神残疾|痴呆|认知(障碍|不清|症)|糊涂|瘫痪|偏瘫|卧床|"
     r"失能|坐轮椅|下不了床|起不了床|不能(自理|走路|下床)|只能(躺|卧床)|聋哑|唐氏|脑瘫|骨折",
     r"(保姆|护工|阿姨|钟点工|照顾(他|她)的|老伴|妈妈|母亲|父亲|爸爸|家人|女儿|儿子|子女|老婆|老公).{0,6}"
     r"(走了|离开|辞职|辞工|去世|过世|不干了|住院|回老家|没来|联系不上|不在了|不管)|"
     r"(没|无)人(照顾|照料|照看|管|来|做饭|送饭|看护|护理|翻身)|(不会|没法|不能)(做饭|烧饭|煮饭|用燃气|用煤气)|"
     r"冰箱.{0,4}空|没吃(的|上)|(几|两|三)天没(吃|洗)|自己摸着", None, CARE_PRESENT),
    ("孕产期急症", ("健康",), "高",
     r"孕|怀孕|怀着|妊娠|产妇|产后|坐月子|月子里|预产期",
     r"见红|出血|流血|破水|羊水|(肚子|腹部|下腹|小肚子).{0,6}(痛|疼)|腹痛|胎动.{0,4}(少|没|减|不动)|抽筋|抽搐|"
     r"头(痛|疼).{0,6}(眼花|看不清)|发(高)?烧|伤口.{0,4}(红|肿|流|脓)|(腿|脚|脸).{0,3}肿", None, None),
    ("治疗中断", ("健康",), "高",
     r"透析|血透|化疗|放疗|胰岛素|抗凝药|救心丸",
     r"漏(了|过|掉)|耽误|没去成|去不了|(没|无)人(送|陪|接)|(打|吃|用)(完|光)了|断了", None, None),
    ("火源贴可燃物", ("安全",), "高",
     r"油汀|取暖器|小太阳|电暖(器|气)|暖风机|电炉|热得快|电烤|烤火炉|电熨斗|酒精炉|蚊香|蜡烛|烟头|香烟|煤油炉|卡式炉",
     r"纸板|纸箱|被子|被褥|窗帘|报纸|床垫|棉被|衣服|塑料袋|床单|沙发|旧书|泡沫|木板|杂物", 1, _FIRE_APART),
    ("灶边可燃物", ("安全",), "高", r"(煤气|燃气)?灶(头|台)?", r"报纸|纸板|纸箱|塑料袋|杂物", 0, _FIRE_APART),
    ("水电交汇", ("安全", "环境"), "高",
     r"积水|进水|水淹|淹了|漫(到|进|过)|泡在水|一地(的)?水|全是水|积了.{0,4}水",
     r"插座|插头|(插|拖|接)线板|电线|电热毯|电器|电源|配电|电闸|电箱|通(着)?电", 1, None),
)
WORRY = re.compile(r"担心|怕|以后|将来|万一|如果|要是|老了")
_SITUATIONS = [(name, kinds, level, re.compile(first), re.compile(second), span,
                re.compile(unless) if unless else None)
               for name, kinds, level, first, second, span, unless in SITUATIONS]


def _said(pattern: re.Pattern, clause: str) -> bool:
    """``pattern`` said in ``clause``, not negated there; a solved clause says nothing."""
    position = 0
    while (match := pattern.search(clause, position)) is not None:
        if not _negated(clause, match.start(), match.end()):
            return True
        position = match.start() + 1
    return False


def situation_hits(parts: list[tuple[int, int, str]]) -> list[Hit]:
    """The cues of SITUATIONS found in a note's clauses ``parts`` (from ``clauses``)."""
    found = []
    live = [(i, part) for i, part in enumerate(parts) if not SOLVED.search(part[2])]
    for _name, kinds, level, first, second, span, unless in _SITUATIONS:
        a = [(i, part) for i, part in live if _said(first, part[2])]
        if not a:
            continue
        b = [(i, part) for i, part in live if _said(second, part[2]) and not WORRY.search(part[2])]
        pairs = [(pa, pb) for i, pa in a for j, pb in b if span is None or abs(i - j) <= span]
        if not pairs or (unless is not None and any(unless.search(part[2]) for _, part in live)):
            continue
        for start, end, clause in {part for pair in pairs for part in pair}:
            found += [Hit(kind, level, start, end, clause) for kind in kinds]
    return found


def hits(text: str) -> list[Hit]:
    """Every cue that counts in ``text``, one per (type, level, clause), in the note's order: the cue words of
    its clauses and the SITUATIONS told across them."""
    parts = clauses(text)
    found = [Hit(kind, level, start, end, clause)
             for start, end, clause in parts for kind, level in _clause_cues(clause)]
    found = list({(h.type, h.level, h.start): h for h in found + situation_hits(parts)}.values())
    found.sort(key=lambda h: (h.start, TYPES.index(h.type), LEVELS.index(h.level)))
    return found


# The state of what the cues name, beside them (model.py's cued model reads these counts as features): a danger
# word says little until it is known whether the danger is there now. Per clause with a cue (or, for
# persistence, the clause after one):
# - resolved: the clause, or one of the two after it, says it is over (SOLVED: 已拆除, 测过不漏, 结案 …);
# - past: it is told of an earlier time (上个月, 去年, 以前) and not as going on;
# - persists: it goes on or gets worse (讲过不听, 还在, 天天, 每晚, 又, 还要再交, 约了后天);
# - elsewhere: it is someone else's problem (隔壁, 邻居家, 对门);
# and per clause, cue or not: safeguards in place (装了, 有保姆全天陪, 人走就拔插头, 会用).
STATES = ("resolved", "past", "persists", "elsewhere", "safeguard")
PAST = re.compile(r"上(次|回|趟|个月|礼拜|星期|周)|去年|前年|以前|之前|那次|当时|曾经|年轻时|早年|原来|原先")
PERSISTS = re.compile(r"(讲|说|劝|提醒)过.{0,4}不听|不听劝|还在|仍在|仍然|照样|照旧|继续|一直(没|不|在)|还没|还是|"
                      r"天天|每天|每晚|每夜|夜夜|整夜|又(有|要|来|在|犯|开始)|还要|约了|不肯|硬撑|越来越|屡次|好几次|反复")
ELSEWHERE = re.compile(r"隔壁|邻居家|对门|楼上那|楼下那|别人家|别家|其他(人|户)")
SAFEGUARD = re.compile(r"(装|安装|配|换)(了|好)|有(保姆|护工|人陪|人照顾)|全天|(会|能)(用|自理)|熟练|够用|记得|按时|"
                       r"拔(掉)?插头|定期|离.{0,2}(一|两|1|2)米|新(买|换|装)的|测试.{0,2}(正常|会响|有响)")


def state_counts(text: str) -> dict[str, int]:
    """How many clauses of ``text`` say each of STATES about the problems its cues name."""
    counts = dict.fromkeys(STATES, 0)
    parts = [clause for _, _, clause in clauses(text)]
    persists = [PERSISTS.search(clause) is not None for clause in parts]
    over = [SOLVED.search(clause) is not None for clause in parts]
    cue_before, last_cue = False, -9  # a cue in the clause before; the last clause with a cue not yet over
    for i, clause in enumerate(parts):
        if SAFEGUARD.search(clause):
            counts["safeguard"] += 1
        solved = over[i]
        past = not persists[i] and PAST.search(clause) is not None
        elsewhere = ELSEWHERE.search(clause) is not None
        following = any(persists[i + 1:i + 2]) or any(over[i + 1:i + 3])
        # the cue patterns are the costly part: only for a clause whose state is said, or before one
        cue = (solved or past or persists[i] or elsewhere or following) and any(
            pattern.search(clause) for _, _, pattern in _COMPILED)
        if solved and (cue or i - last_cue <= 2):  # over, said of it or in one of the two clauses after it
            counts["resolved"] += 1
        elif cue and past:
            counts["past"] += 1
        if persists[i] and (cue or cue_before):
            counts["persists"] += 1
        if cue and elsewhere:
            counts["elsewhere"] += 1
        cue_before = cue and not solved
        last_cue = i if cue_before else -9 if solved else last_cue
    return counts
