"""The generated training corpus (训练语料): seeded templates × slot fillers, in the voices a case arrives in.

Each text is one category's phrases (phrases/*.py) set in a frame of one channel:

- a caller on the 12345 hotline or a resident on the portal, colloquial (``你好，我住在…，…，麻烦你们管一管``);
- a 12345 operator's summary (``市民来电反映：…，要求相关部门尽快处理。``), with the caller's 我 made 其;
- a grid worker's terse note (``网格巡查发现：…，已拍照上报。``) or an app report's title;
- a bare fact or title, as short as three characters.

The frames, openers, addresses, times and pleas are shared by every category, so the model learns to look
past them; the categories differ only in their own phrases. A few texts lose their punctuation or a
character, as typed on a phone. Everything is drawn from one ``random.Random(seed)``: the same seed gives
the same corpus, and so the same model.
"""

import random
import re
from collections.abc import Callable, Iterator

from jiedao.cases.classifier.phrases import PHRASES
from jiedao.cases.classifier.phrases.base import lines
from jiedao.cases.taxonomy import CLASSIFIED

SEED = 20240917
PER_CATEGORY = 500

# Slots every category may use. Words are separated by whitespace; they may contain markup themselves.
SHARED: dict[str, str] = {
    "road": """兰溪路 枫桥路 杏山路 梅岭南路 梅岭北路 曹杨路 花溪路 棠浦路 桐柏路 武宁路 中山北路 金沙江路 梅川路
               北石路 南石路 岚皋路 真北路 大渡河路 长寿路 宜昌路 白兰路 铜川路 泸定路 凯旋北路 光新路 志丹路
               新村路 常德路 古美路 虹梅路 打浦路 斜土路 丽园路 蒙自路 瑞金二路 宛平南路 莲花路 顾戴路 平阳路
               交通路 子长路 西康路 安远路 真华路 沪太路""",
    "village": """曹杨一村 曹杨二村 曹杨三村 曹杨四村 曹杨五村 曹杨六村 曹杨七村 曹杨八村 曹杨九村 曹杨新村
                  桃浦新村 古美一村 古美二村 平南小区 打浦桥小区 梅岭苑 枫林苑 杏山小区 兰溪青年公寓 真如花园
                  金沙小区 桂林苑 莲花公寓 长风新村 宜川新村 光新小区""",
    "addr": """{road}{num}弄{bldg}号 {road}{num}弄 {road}{num}号 {village}{bldg}号楼 {village}{bldg}号{room}室
               {road}{num}弄{bldg}号{room}室 {road}近{road} {road}{road}路口 {village} {village}{bldg}号
               普陀区{road}{num}弄 {road}XX弄X号 某小区{bldg}号楼 {village}{bldg}号{unit}单元 {road}{num}号门口
               {village}{bldg}号楼下 {road}与{road}交叉口 {road}{num}弄小区""",
    "num": "8 15 27 39 51 66 88 100 126 155 200 218 251 300 350 399 412 500 520 655 718 800 1000 1099",
    "bldg": "1 2 3 5 6 7 8 9 11 12 15 17 18 21 23 26 31 36 42 55 68",
    "room": "101 102 201 202 301 302 401 402 502 601 603 702 1001 1203 1502 1804",
    "unit": "1 2 3 4",
    "place": """小区门口 小区里 楼下 弄堂里 弄堂口 马路边 路边 路口 菜场门口 地铁站出口 学校门口 公交站旁边 河边
                公园门口 超市门口 医院门口 商场门口 桥下面 人行道上 小区大门口 单元门口 停车场 广场上
                绿地旁边 健身点旁边 {road}上 {road}边上 {village}门口 {road}{num}号附近""",
    "when": """每天晚上 天天 最近 这段时间 这几天 最近一个月 从上个月开始 一到晚上 一到周末 每天早上 凌晨 半夜
               昨天 今天早上 前天晚上 经常 长期 一直 近期 近一周 节假日 每天下午 晚上十点以后 早上六点多""",
    "dur": "好几天 一个多礼拜 半个多月 一个多月 好几个月 三四天 两个星期 大半年 很长时间 一年多 十来天",
    "n": "两 三 四 五 六 七 八 十 几 好几 十几 二十几 3 5 8 10 12",
    "many": "十几 二十多 七八 十来 好几十 十五六 三十多",
    "who": "有人 有住户 邻居 楼上邻居 隔壁邻居 附近居民 一户人家 楼下住户 对面楼的人 某住户 隔壁那家 有个老板",
    "shop": "饭店 小饭馆 面馆 水果店 便利店 超市 理发店 五金店 奶茶店 服装店 药店 烟杂店 小吃店 早餐店 快递点",
    "opener": """你好， 喂，你好， 您好， 你好，我要反映个问题， 我想投诉一下， 我要反映一个情况， 麻烦你们一下，
                 打扰一下， 喂， 你好啊， 你好我想问一下， 同志你好， 我是这里的居民， 我不是第一次打了，
                 我再反映一次， 你好，我打过好几次了， 侬好， 你好，请问一下， 师傅你好，""",
    "intro": """我住在{addr}， 我是{village}的， 我家在{addr}， 我们这里是{addr}， 地址是{addr}， 就在{addr}，
                我们{village}这边， {addr}这里， 我们小区， 我们这边，""",
    "feeling": """真的受不了了 实在没办法了 已经反映过好几次了 一直没人管 找了物业也没用 居委会说管不了
                  说了好多次都没用 真的太过分了 大家都很有意见 邻居们意见很大 不知道该找谁 这个问题存在很久了
                  拖了很久了 希望重视 心里很着急 打了好几次电话了 上次反映了也没下文 我都快急死了""",
    "plea": """希望尽快处理 麻烦派人来看看 请相关部门管一管 能不能帮忙协调一下 请尽快解决 希望有关部门重视
               请给个说法 麻烦你们了 谢谢 希望早点解决 请尽快处理并回复 帮帮忙 请你们来现场看一下
               希望给个答复 辛苦了""",
    "op_prefix": """市民来电反映： 来电人反映： 来电人称： 市民反映： 诉求人反映： 投诉人反映： 举报人反映：
                    市民来电称， 来电反映， 市民通过12345热线反映： 市民网上反映： 来电人表示， 【12345】市民反映：
                    工单内容： 市民来电投诉： 来电人诉求： 市民来信反映：""",
    "op_feel": """此问题已多次反映未解决 已持续较长时间 严重影响周边居民生活 来电人对此不满 存在安全隐患
                  影响居民正常生活 市民情绪较激动 来电人已与物业沟通无果 周边居民反映强烈""",
    "op_ask": """要求相关部门尽快处理 要求相关部门核实处理 要求尽快解决 希望相关部门予以处理 要求有关部门介入
                 请相关部门核实并处理 要求给予答复 要求相关职能部门处置 望尽快处理 请处理 要求尽快整改
                 请属地街道核实处置 要求派员到现场查看""",
    "op_tail": """（来电人要求匿名） 来电人要求回电。 请承办单位在规定时限内答复。 来电人不愿透露姓名。
                  （{surname}先生，要求回复） （{surname}女士） 请于5个工作日内回复。 来电人要求上门核实。
                  （系重复来电） （来电人已多次反映） 来电人对以往处理结果不满意。""",
    "surname": "张 王 李 赵 陈 刘 杨 黄 周 吴 徐 孙 朱 马 胡 郭 林 何 高 罗",
    "grid_prefix": """网格巡查发现： 巡查发现： 网格员上报： 巡查上报： 网格员巡查时发现， 日常巡查： 网格员接居民反映：
                      巡查： 【网格上报】 随手拍： 街面巡查： 网格巡查：""",
    "grid_act": """已拍照上报 已现场劝导 已通知相关部门 已联系物业 已告知居委 请相关部门处置 已上报城运中心 待处置
                   需派单处理 已设置临时警示 已录入系统 已做好登记 请尽快派单 需联勤联动处置 已通知责任单位""",
    "ticket": "2409170021 2410080135 2411020417 2501140088 2503210310",
}

# Frames by channel, as (weight, templates). {fact}, {short}, {effect} and {ask} are the category's own.
FRAMES: list[tuple[float, list[str]]] = [
    (0.36, lines("""
        [{opener}][{intro}]{fact}，{effect}，{ask}。
        [{opener}][{intro}]{fact}。{feeling}，{plea}。
        [{opener}]{fact}，{fact}，{feeling}。
        [{intro}]{when}{fact}，{effect}。
        [{opener}]{fact}！{effect}！{ask}！
        [{opener}][{intro}]{fact}，{feeling}，{ask}，{plea}。
        {fact}，{plea}
        [{opener}]我想反映一下，{fact}，{effect}
        {fact}，地址：{addr}，{ask}
        {short}：{fact}。{ask}。
        [{opener}][{intro}]{fact}，{effect}，{feeling}
        [{opener}]{fact}，{feeling}，{plea}
        [{intro}]{fact}，{fact}，{ask}
        {fact}，{effect}，{plea}！
    """)),
    (0.30, lines("""
        {op_prefix}{addr}{fact}。{op_ask}。
        {op_prefix}{fact}，{effect}。{op_ask}。
        {op_prefix}其居住的{addr}{fact}，{effect}，{op_ask}。
        {op_prefix}{addr}{fact}，{fact}。{op_feel}，{op_ask}。
        {op_prefix}{fact}。{ask}。
        {op_prefix}{addr}：{short}。{fact}。{op_ask}。
        {op_prefix}{fact}，{op_feel}。来电人{ask}。
        工单编号{ticket}。{op_prefix}{addr}{fact}，{op_ask}。
        {op_prefix}{addr}{fact}，{op_feel}，{op_ask}。
        {op_prefix}{fact}，{op_feel}，{ask}。
        {op_prefix}{addr}{fact}，{op_ask}。{op_tail}
        {op_prefix}{fact}。{effect}。{op_ask}。{op_tail}
    """)),
    (0.16, lines("""
        {grid_prefix}{addr}{short}，{grid_act}。
        {grid_prefix}{addr}，{short}。
        {addr}{short}，{grid_act}
        {short}（{addr}）
        {grid_prefix}{fact}，{grid_act}。
        {addr} {short} {grid_act}
        {grid_prefix}{addr}{fact}。
    """)),
    (0.18, lines("""
        {fact}
        {short}
        {fact}，{fact}
        {short}，{addr}
        {fact}，{ask}
        {addr}{fact}
    """)),
]
OPERATOR = 1  # index in FRAMES: the operator rewrites the caller's 我 as 其

# The operator's third person, applied in order.
_THIRD_PERSON = [("我们小区", "其所在小区"), ("我们楼", "其所住楼栋"), ("我家", "其家"), ("我们", "其"), ("我", "其")]

_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_TOKEN = re.compile(r"\{([^{}]*)\}")
_PUNCT = re.compile(r"[，。！：；、（）]")


def expander(parts: dict[str, list[str]], rng: random.Random) -> Callable[[str], str]:
    """A function expanding a template with ``parts`` (slot name → words) until no markup is left."""

    def token(match: re.Match) -> str:
        name = match.group(1)
        return rng.choice(name.split("|") if "|" in name else parts[name])

    def optional(match: re.Match) -> str:
        return match.group(1) if rng.random() < 0.5 else ""

    def expand(template: str) -> str:
        text = template
        for _ in range(8):  # slot words nest at most a few levels deep
            new = _TOKEN.sub(token, _OPTIONAL.sub(optional, text))
            if new == text:
                return new
            text = new
        raise ValueError(f"模板展开过深：{template}")

    return expand


def category_parts(name: str) -> dict[str, list[str]]:
    """The shared slots overlaid with one category's phrases and slots."""
    shared = {slot: words.split() for slot, words in SHARED.items()}
    own = PHRASES[name].parts()
    for slot in ("effect", "ask"):  # a category without its own falls back on the shared pleas
        own[slot] = own[slot] or shared["plea"]
    return shared | own


def _roughen(text: str, rng: random.Random) -> str:
    """Typing as on a phone, sometimes: no punctuation, spaces for commas, a dropped character."""
    roll = rng.random()
    if roll < 0.08:
        text = _PUNCT.sub("", text)
    elif roll < 0.14:
        text = _PUNCT.sub(" ", text).strip()
    if len(text) > 12 and rng.random() < 0.08:
        i = rng.randrange(len(text))
        text = text[:i] + text[i + 1 :]
    return text


def texts_for(name: str, *, count: int = PER_CATEGORY, seed: int = SEED) -> list[str]:
    """``count`` distinct generated texts of category ``name`` (fewer if the templates run dry)."""
    rng = random.Random(f"{seed}:{name}")
    expand = expander(category_parts(name), rng)
    weights = [w for w, _ in FRAMES]
    seen: dict[str, None] = {}
    for _ in range(count * 4):
        if len(seen) >= count:
            break
        group = rng.choices(range(len(FRAMES)), weights)[0]
        text = expand(rng.choice(FRAMES[group][1]))
        if group == OPERATOR:
            for old, new in _THIRD_PERSON:
                text = text.replace(old, new)
        text = _roughen(text.replace("，，", "，").replace("。。", "。"), rng)
        seen.setdefault(text)
    return list(seen)


def generate(*, count: int = PER_CATEGORY, seed: int = SEED) -> Iterator[tuple[str, str]]:
    """(category, text) pairs: ``count`` texts for every category, categories in taxonomy order."""
    for name in CLASSIFIED:
        for text in texts_for(name, count=count, seed=seed):
            yield name, text
