# ruff: noqa: E501  (a data file of verbatim Chinese text: long lines keep each quotation whole)
"""The Caoyang Xincun 14th Five-Year plan (曹杨新村街道社区建设和发展“十四五”规划), as data.

Extracted from the plan's text (``shared/seeds/000_6224f66672573d40.txt``). Every figure carries the exact
sentence fragment it came from (``source_text``, a verbatim substring of the seed) and the figure as
written there (``text``, e.g. "1.7 万户"), so that a test can check each one against the seed.

What the seed does not say is marked as the subdistrict's own choice, not the plan's:
* 约束性 / 预期性 (binding / expected) per indicator — the plan asks for binding indicators to be assessed
  but does not label them; public-service and renewal commitments with a date are classed binding here;
* lead units (牵头单位) — the plan asks for them ("明确牵头单位、工作责任、年度目标") without naming them;
  the codes below are the demo subdistrict's offices;
* projects' schedules, annual targets and milestones — made by the demo (``planning.demo_data``).

Baselines are the 13th plan's results (2016–2020, baseline year 2020): "累计" figures are totals over
that period, the others are levels at its end.
"""

# Departments the lead-unit codes below refer to: (code, name, kind). The demo creates those missing.
DEPARTMENTS = [
    ("FWB", "社区服务办公室", "office"),
    ("GLB", "社区管理办公室", "office"),
    ("ZZB", "社区自治办公室", "office"),
    ("PAB", "社区平安办公室", "office"),
    ("FGB", "房管办", "functional"),
    ("LHSR", "绿化市容管理所", "handler"),
    ("SWS", "水务管理所", "handler"),
    ("JSZX", "城市建设管理中心", "functional"),
    ("JJB", "服务经济办公室", "office"),  # 成立服务经济办公室、企业服务中心 (chapter 1)
    ("CYZX", "城市运行管理中心", "office"),  # 建成街道城市运行管理中心 (chapter 1)
    ("DJB", "社区党建办公室", "office"),
]

PLAN = {
    "code": "caoyang-14th",
    "name": "曹杨新村街道社区建设和发展“十四五”规划",
    "source_text": "曹杨新村街道社区建设和发展 “十四五”规划",
    "start_year": 2021,
    "end_year": 2025,
    "baseline_year": 2020,
    "source_document": "曹杨新村街道社区建设和发展“十四五”规划（2021—2025 年）",
    "summary": "指导曹杨新村街道未来五年社区建设和发展的总体方案和行动纲领。",
    "summary_source_text": "是指导曹杨新村街道未来五年社区建设和发展的总体方案和行动纲领",
}

# 发展目标 (positions) and 奋斗目标 (what the plan strives for by 2025), chapter 3 section 3.
GOALS = [
    {"kind": "position", "number": 1, "title": "城市更新转型样板区",
     "source_text": "创新手段方式，推进旧住房成套改造，做好围墙内外道路建筑等设施更新，恢复曹杨新村邻里单位的经典空间格局，"
                    "倡导绿色共享生活方式，构建文化空间体系，为全市城市更新提供示范样板。"},
    {"kind": "position", "number": 2, "title": "城区精细化管理先行区",
     "source_text": "以“一网统管”试点为抓手，不断探索创新应用场景，健全“大数据+网格化+铁脚板”工作机制，"
                    "实现城区治理全覆盖、全过程、全天候。"},
    {"kind": "position", "number": 3, "title": "基层治理创新实践区",
     "source_text": "以法治、自治、智治建设为着力方向，形成党建引领、居委会主导、社会组织以及社区居民积极参与和支持的"
                    "社区治理工作格局。"},
    {"kind": "position", "number": 4, "title": "新时代精神文明传承区",
     "source_text": "依托历史文化和红色资源优势，紧跟新时代潮流，融合上海精神和普陀人精神，传承发扬劳模精神，彰显曹杨气质。"
                    "树立富有时代特色的曹杨文化新形象，塑造享誉国内外的新品牌。"},
    {"kind": "objective", "number": 1, "title": "服务企业全面升级",
     "source_text": "到 2025 年，新设登记、迁移落户企业明显增长，安商、稳商能力持续提高。"},
    {"kind": "objective", "number": 2, "title": "城市更新全面完成",
     "source_text": "“三个美丽”建设取得突破成效，非成套住房实现“愿改尽改”，小区环境和功能达到双提升。道路品质进一步提升，"
                    "人均公园绿地面积进一步增加，环境面貌不断改善，居民生活质量和生活品位显著提高。"},
    {"kind": "objective", "number": 3, "title": "民生服务全面提档",
     "source_text": "到 2025 年，5 分钟基本公共服务圈建成；**人均公共绿地面积达到 1.02 平方米；** 若干嵌入式服务设施在各片区"
                    "建成；就业更加充分，公共服务更加优质多样，社会保障更加公平和完善。"},
    {"kind": "objective", "number": 4, "title": "社区管理全面转型",
     "source_text": "到 2025 年，全区“一网统管”试点建设全面完成，智慧化的城市治理手段全面建立，政府治理与社会自我调节、"
                    "居民自治良性互动的生动格局基本形成。"},
    {"kind": "objective", "number": 5, "title": "文化软实力全面增强",
     "source_text": "到 2025 年，社会主义核心价值观更加深入人心，上海精神、普陀精神和曹杨精神进一步融合发扬，"
                    "市民文明素质和城区文明程度全面提高，历史文化与生态资源有机结合，特色文化",
     # A page break splits this sentence in the seed: the whole of it, for display.
     "text": "到 2025 年，社会主义核心价值观更加深入人心，上海精神、普陀精神和曹杨精神进一步融合发扬，"
             "市民文明素质和城区文明程度全面提高，历史文化与生态资源有机结合，特色文化品牌魅力有效彰显。"},
]

_13TH = "“十三五”期间累计"
_END_13TH = "“十三五”期末"


def _base(value: str, text: str, source_text: str, note: str = _13TH) -> dict:
    """A baseline from the 13th plan's results (year 2020)."""
    return {"value": value, "text": text, "year": 2020, "note": note, "source_text": source_text}


# Indicators. Keys: code, name, unit, chapter, section (numbers in the plan), goal ("kind:number"),
# direction (higher / lower / milestone / neutral), binding, measure (level / cumulative), source
# (entered / computed), lead_unit, baseline, target, numerator / denominator / factor (computed), description.
INDICATORS = [
    # ---- 第四章 打造惠企经济生态
    {"code": "new-enterprises", "name": "新设登记、迁移落户企业数", "unit": "家", "chapter": 4, "section": 1,
     "goal": "objective:1", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "JJB",
     "target": {"year": 2025, "note": "明显增长", "source_text": "新设登记、迁移落户企业明显增长"},
     "description": "在曹杨新登记或迁入的企业数量，规划要求到 2025 年明显增长。"},
    # ---- 第五章 重塑城区宜居空间
    {"code": "housing-signed-buildings", "name": "旧住房成套改造签约幢数", "unit": "幢", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FGB",
     "baseline": _base("70", "70", "累计完成旧住房成套改造签约 70 幢, 89716 平方米,受益居民 3037 户"),
     "description": "签约实施成套改造（厨卫独用）的老旧住房楼栋数。"},
    {"code": "housing-signed-area", "name": "旧住房成套改造签约面积", "unit": "平方米", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FGB",
     "baseline": _base("89716", "89716", "累计完成旧住房成套改造签约 70 幢, 89716 平方米,受益居民 3037 户"),
     "description": "签约实施成套改造的住房建筑面积。"},
    {"code": "housing-households", "name": "成套改造受益居民户数", "unit": "户", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FGB",
     "baseline": _base("3037", "3037", "累计完成旧住房成套改造签约 70 幢, 89716 平方米,受益居民 3037 户"),
     "description": "因成套改造住上厨卫独用住房的居民户数。"},
    {"code": "non-self-contained-housing", "name": "非成套住房“愿改尽改”", "unit": "", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "milestone", "binding": "binding", "source": "entered", "lead_unit": "FGB",
     "target": {"year": 2025, "note": "愿改尽改", "source_text": "非成套住房实现“愿改尽改”"},
     "description": "凡居民愿意改造的非成套老旧住房，到规划期末都完成成套改造。"},
    {"code": "repaired-buildings", "name": "旧住房综合修缮幢数", "unit": "幢", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FGB",
     "baseline": _base("289", "289", "累计完成旧住房综合修缮 289 幢,受益居民 1.7 万户"),
     "description": "完成屋面、立面、管线等综合修缮的住房楼栋数。"},
    {"code": "repaired-households", "name": "综合修缮受益居民户数", "unit": "户", "chapter": 5, "section": 1,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FGB",
     "baseline": _base("17000", "1.7 万户", "累计完成旧住房综合修缮 289 幢,受益居民 1.7 万户"),
     "description": "因综合修缮改善居住条件的居民户数。"},
    {"code": "beautiful-roads", "name": "美丽道路建成条数", "unit": "条", "chapter": 5, "section": 2,
     "goal": "objective:2", "direction": "higher", "binding": "binding", "measure": "cumulative",
     "source": "computed", "lead_unit": "JSZX", "numerator": "{planning.roads_completed}",
     "target": {"value": "8", "text": "8", "year": 2025, "note": "8 条",
                "source_text": "加快推动杨柳青路、梅岭北路等 8 条美丽道路建设"},
     "description": "表 3 所列美丽道路中已建成的条数，由项目进展自动统计。"},
    {"code": "public-green-per-capita", "name": "人均公共绿地面积", "unit": "平方米", "chapter": 5, "section": 3,
     "goal": "objective:3", "direction": "higher", "binding": "binding", "measure": "level",
     "source": "entered", "lead_unit": "LHSR",
     "target": {"value": "1.02", "text": "1.02", "year": 2025, "note": "达到 1.02 平方米",
                "source_text": "人均公共绿地面积达到 1.02 平方米"},
     "description": "街道内公共绿地面积除以常住人口，到 2025 年达到每人 1.02 平方米。"},
    {"code": "park-green-per-capita", "name": "人均公园绿地面积", "unit": "平方米", "chapter": 5, "section": 3,
     "goal": "objective:2", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "LHSR",
     "target": {"year": 2025, "note": "进一步增加", "source_text": "人均公园绿地面积进一步增加"},
     "description": "公园绿地面积除以常住人口，规划要求进一步增加。"},
    # ---- 第六章 共享民生事业成果
    {"code": "new-jobs", "name": "新增就业岗位", "unit": "个", "chapter": 6, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("2160", "2160", "累计新增就业岗位 2160 个"),
     "description": "街道范围内新增的就业岗位数。"},
    {"code": "startups-helped", "name": "帮助成功创业", "unit": "家", "chapter": 6, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("218", "218", "帮助成功创业 218 家"),
     "description": "在街道帮助下成功创业的企业（个体）数。"},
    {"code": "youth-employed", "name": "帮助长期失业青年就业", "unit": "人", "chapter": 6, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("222", "222", "帮助长期失业青年就业 222 人"),
     "description": "经帮扶实现就业的长期失业青年人数。"},
    {"code": "harmonious-firms", "name": "和谐劳动关系达标企业", "unit": "家", "chapter": 6, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("40", "40", "和谐劳动关系达标企业 40 家", note=_END_13TH),
     "description": "通过和谐劳动关系创建达标的企业数。"},
    {"code": "labour-mediation-rate", "name": "劳动人事争议案件调解率", "unit": "%", "chapter": 6, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "target": {"value": "60", "text": "60%", "year": 2025, "note": "60% 以上",
                "source_text": "实现劳动人事争议案件调解率 60% 以上"},
     "description": "劳动人事争议中通过调解解决的比例，力争到“十四五”末达到 60% 以上。"},
    {"code": "elderly-beds", "name": "新增养老床位", "unit": "张", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("36", "36", "新增养老床位 36 张"),
     "description": "新增的养老机构床位数。"},
    {"code": "care-homes", "name": "新建长者照护之家", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("1", "1", "新建长者照护之家 1 个"),
     "description": "新建的社区嵌入式长者照护之家数量。"},
    {"code": "elderly-service-centres", "name": "综合为老服务中心及分中心", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("5", "5", "综合为老服务中心及分中心 5 个", note=_END_13TH),
     "description": "为老年人提供一站式服务的综合为老服务中心及分中心数量。"},
    {"code": "elderly-canteens", "name": "长者食堂及助餐点", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("7", "7", "长者食堂及助餐点 7 个", note=_END_13TH),
     "description": "为老年人提供用餐服务的长者食堂和社区助餐点数量。"},
    {"code": "age-friendly-homes", "name": "“适老房”改造", "unit": "户", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("150", "150", "完成“适老房”改造 150 户"),
     "description": "完成防滑、扶手等适老化改造的老年人家庭户数。"},
    {"code": "home-safety-kits", "name": "居家四件套安装", "unit": "户", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("200", "200", "居家四件套安装 200 户"),
     "description": "安装居家安全“四件套”的老年人家庭户数。"},
    {"code": "elderly-learning-teams", "name": "老年人学习团队", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("74", "74", "培育老年人学习团队 74 个", note=_END_13TH),
     "description": "活跃的老年人学习团队数量。"},
    {"code": "learning-points", "name": "标准化学习点", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("20", "20", "标准化学习点 20 个", note=_END_13TH),
     "description": "社区标准化学习点数量。"},
    {"code": "remote-learning-points", "name": "老年远程教育收视点", "unit": "个", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("20", "20", "老年远程教育收视点 20 个", note=_END_13TH),
     "description": "老年远程教育收视点数量。"},
    {"code": "ageing-rate", "name": "60周岁及以上居民占比", "unit": "%", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "FWB",
     "numerator": "{registry.residents_60_plus}", "denominator": "{registry.residents}", "factor": "100",
     "source_text": "深度老龄化进一步加剧",
     "description": "登记居民中 60 岁及以上老人所占比例，用来把握老龄化程度，由实有人口库自动计算。"},
    {"code": "elderly-80-plus", "name": "80周岁及以上高龄老人", "unit": "人", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "FWB", "numerator": "{registry.residents_80_plus}",
     "source_text": "空巢独居、失能失智老人群体的养老服务问题仍是民生痛点",
     "description": "登记居民中 80 岁及以上高龄老人的人数，由实有人口库自动计算。"},
    {"code": "elderly-80-alone", "name": "高龄独居老人", "unit": "人", "chapter": 6, "section": 2,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "FWB", "numerator": "{registry.elderly_80_living_alone}",
     "source_text": "实施关爱高龄独居老人“夕阳圆梦——暖心陪伴”项目",
     "description": "独自居住的 80 岁及以上老人人数，是“夕阳圆梦——暖心陪伴”关爱项目的服务对象。"},
    {"code": "relief-person-times", "name": "社会救助人次", "unit": "人次", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("143600", "14.36 万人次", "累计救助人数 14.36 万人次"),
     "description": "获得社会救助的人次。"},
    {"code": "relief-amount", "name": "社会救助金额", "unit": "万元", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("12835.99", "12835.99", "累计救助金额 12835.99 万元"),
     "description": "发放的社会救助金额。"},
    {"code": "assisted-residents", "name": "在册帮困人数", "unit": "人", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("4815", "4815", "累计在册帮困人数 4815 人", note=_END_13TH),
     "description": "在册的帮困对象人数。"},
    {"code": "community-aid-times", "name": "社区市民综合帮扶人次", "unit": "人次", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("381", "381", "社区市民综合帮扶累计 381 人次"),
     "description": "获得社区市民综合帮扶的人次。"},
    {"code": "community-aid-amount", "name": "社区市民综合帮扶资金", "unit": "万元", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("369.94", "369.94", "累计支出帮扶资金 369.94 万元"),
     "description": "社区市民综合帮扶支出的资金。"},
    {"code": "military-support-funds", "name": "双拥工作经费", "unit": "万元", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "neutral", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("63", "63", "累计投入双拥工作经费 63 万元"),
     "description": "投入双拥（拥军优属、拥政爱民）工作的经费。"},
    {"code": "defence-education-events", "name": "国防教育活动", "unit": "次", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("78", "78", "开展国防教育活动 78 次"),
     "description": "开展的国防教育活动次数。"},
    {"code": "defence-education-participants", "name": "国防教育活动参与人次", "unit": "人次", "chapter": 6,
     "section": 3, "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("4310", "4310", "累计参与 4310 人次"),
     "description": "参加国防教育活动的人次。"},
    {"code": "army-support-organisations", "name": "拥军组织", "unit": "支", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("12", "12", "建立了 12 支拥军组织", note=_END_13TH),
     "description": "社区拥军组织数量。"},
    {"code": "army-volunteer-teams", "name": "拥军志愿者队伍", "unit": "支", "chapter": 6, "section": 3,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("21", "21", "建立了 12 支拥军组织和 21", note=_END_13TH),
     "description": "拥军志愿者队伍数量。"},
    {"code": "embedded-sports-coverage", "name": "嵌入式公共体育设施辖区全覆盖", "unit": "", "chapter": 6,
     "section": 4, "goal": "objective:3", "direction": "milestone", "binding": "expected", "source": "entered",
     "lead_unit": "FWB",
     "target": {"year": 2025, "note": "基本实现辖区全覆盖",
                "source_text": "建设嵌入式公共体育设施，基本实现辖区全覆盖"},
     "description": "利用公共绿地建设嵌入式体育设施，基本覆盖整个街道。"},
    {"code": "fitness-course-participants", "name": "企业健身课程服务人数", "unit": "人", "chapter": 6,
     "section": 4, "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "FWB",
     "baseline": _base("2000", "2000", "服务人次达 2000 余人", note="“十三五”期间累计，2000 余人"),
     "description": "为企业配送瑜伽课、工间操等健身课程服务的人数。"},
    # ---- 第七章 落实精细化管理理念
    {"code": "service-circle-5min", "name": "5分钟基本公共服务圈建成", "unit": "", "chapter": 7, "section": 1,
     "goal": "objective:3", "direction": "milestone", "binding": "binding", "source": "entered", "lead_unit": "GLB",
     "target": {"year": 2025, "note": "建成", "source_text": "5 分钟基本公共服务圈建成"},
     "description": "居民步行 5 分钟内可以到达基本公共服务设施，到 2025 年建成。"},
    {"code": "service-circle-coverage", "name": "5分钟服务圈覆盖户数比例", "unit": "%", "chapter": 7, "section": 1,
     "goal": "objective:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "GLB", "numerator": "{facilities.households_within_5min}",
     "denominator": "{registry.households}", "factor": "100",
     "source_text": "5 分钟基本公共服务圈建成",
     "description": "步行 5 分钟内能到达基本公共服务设施的家庭占全部家庭的比例，由设施与实有人口数据计算。"},
    {"code": "embedded-facilities", "name": "嵌入式服务设施在各片区建成", "unit": "", "chapter": 7, "section": 1,
     "goal": "objective:3", "direction": "milestone", "binding": "expected", "source": "entered", "lead_unit": "GLB",
     "target": {"year": 2025, "note": "若干嵌入式服务设施在各片区建成",
                "source_text": "若干嵌入式服务设施在各片区建成"},
     "description": "武宁、梅岭南、梅岭北三个片区都建成嵌入式社区服务设施。"},
    {"code": "waste-reduction-rooms", "name": "生活垃圾减量房", "unit": "处", "chapter": 7, "section": 1,
     "goal": "position:2", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "LHSR",
     "baseline": _base("141", "141", "累计完成 141 处生活垃圾减量房", note=_END_13TH),
     "description": "建成的生活垃圾减量房数量。"},
    {"code": "recycling-points", "name": "两网融合服务点", "unit": "处", "chapter": 7, "section": 1,
     "goal": "position:2", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "LHSR",
     "baseline": _base("86", "86", "86 处两网融合服务点", note=_END_13TH),
     "description": "生活垃圾分类与再生资源回收“两网融合”服务点数量。"},
    {"code": "garbage-room-monitoring", "name": "垃圾厢房监控接入“一网统管”比例", "unit": "%", "chapter": 7,
     "section": 2, "goal": "position:2", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "CYZX",
     "baseline": _base("80", "80%", "辖区内 80% 的垃圾厢房监控接入“一网统管”系统", note=_END_13TH),
     "description": "装有监控并接入城运中心“一网统管”系统的垃圾厢房所占比例。"},
    {"code": "one-network-pilot", "name": "“一网统管”试点建设全面完成", "unit": "", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "milestone", "binding": "binding", "source": "entered", "lead_unit": "CYZX",
     "target": {"year": 2025, "note": "全面完成", "source_text": "全区“一网统管”试点建设全面完成"},
     "description": "到 2025 年，“一网统管”城市运行管理试点全部建成。"},
    {"code": "app-scenarios", "name": "“一网统管”应用场景", "unit": "个", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "CYZX",
     "baseline": _base("46", "46", "围绕已开发的46类应用场景", note="规划编制时已开发"),
     "description": "城运中心已上线的城市管理应用场景数量。"},
    {"code": "handling-processes", "name": "“一网统管”处置流程", "unit": "项", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "CYZX",
     "baseline": _base("34", "34", "34项处置流程", note="规划编制时已梳理"),
     "description": "已梳理的跨部门处置流程数量。"},
    {"code": "connected-systems", "name": "对接区委办局系统", "unit": "家", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "CYZX",
     "baseline": _base("23", "23", "对接 23 家区委办局系统数据", note=_END_13TH),
     "description": "城运中心已对接数据的区级部门系统数量。"},
    {"code": "self-service-terminals", "name": "“一网通办”自助服务终端", "unit": "个", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "CYZX",
     "baseline": _base("3", "3", "曹杨新村邮政支局等 3 个自助服务终端", note=_END_13TH),
     "description": "可自助办理政务服务的终端数量。"},
    {"code": "on-time-closure-rate", "name": "12345 热线案件按时办结率", "unit": "%", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "CYZX",
     "numerator": "{cases.closed_on_time}", "denominator": "{cases.closed}", "factor": "100",
     "source_text": "先行联系率、按时办结率等各项指标均为全区前列",
     "description": "在规定时限内办结的热线和网格案件占全部办结案件的比例，由案件数据自动计算。"},
    {"code": "first-contact-rate", "name": "12345 热线案件先行联系率", "unit": "%", "chapter": 7, "section": 2,
     "goal": "objective:4", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "computed", "lead_unit": "CYZX",
     "numerator": "{cases.contacted_in_time}", "denominator": "{cases.dispatched}", "factor": "100",
     "source_text": "先行联系率、按时办结率等各项指标均为全区前列",
     "description": "处置部门在时限内先与市民联系的案件占全部派遣案件的比例，由案件数据自动计算。"},
    # ---- 第八章 展现社区共治气象
    {"code": "elevators-completed", "name": "加装电梯竣工数", "unit": "个", "chapter": 8, "section": 2,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "computed", "lead_unit": "ZZB", "numerator": "{elevators.retrofits_completed}",
     "baseline": _base("9", "9", "竣工加装电梯项目9个"),
     "description": "老旧多层住宅加装电梯完成竣工的数量，由加装电梯模块自动统计。"},
    {"code": "beautiful-stairwells", "name": "美丽楼组", "unit": "个", "chapter": 8, "section": 2,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("27", "27", "27个楼组申报成为美丽楼组"),
     "description": "获评“美丽楼组”的楼组数量。"},
    {"code": "owners-committee-elections", "name": "业委会换届改选小区", "unit": "个", "chapter": 8, "section": 2,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("30", "30", "完成30个小区业委会换届改选"),
     "description": "完成业主委员会换届改选的小区数量。"},
    {"code": "cross-appointment-rate", "name": "居委会业委会交叉任职率", "unit": "%", "chapter": 8, "section": 1,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("100", "100%", "居委会业委会交叉任职率100%", note=_END_13TH),
     "description": "居委会成员与业委会成员交叉任职的覆盖比例。"},
    {"code": "five-star-committees", "name": "五星居委会", "unit": "家", "chapter": 8, "section": 3,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "level",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("7", "7", "7家居委会获评五星居委会", note=_END_13TH),
     "description": "获评五星居委会的居委会数量。"},
    {"code": "social-organisations", "name": "培育社会组织", "unit": "家", "chapter": 8, "section": 3,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("74", "74", "累计培育社会组织74家"),
     "description": "街道培育的社区社会组织数量。"},
    {"code": "charity-projects", "name": "资助公益项目", "unit": "个", "chapter": 8, "section": 3,
     "goal": "position:3", "direction": "higher", "binding": "expected", "measure": "cumulative",
     "source": "entered", "lead_unit": "ZZB",
     "baseline": _base("84", "84", "资助公益项目84个"),
     "description": "街道资助实施的社区公益项目数量。"},
]

_T1 = "旧住房成套改造工程"
_T2 = "屋面及相关设施改造工程"


def _row(table: int, row: int, name: str, category: str, lead_unit: str, chapter: int, section: int) -> dict:
    """A row of tables 1–3: its name is its source text."""
    return {"code": f"t{table}-{row:02d}", "name": name, "category": category, "lead_unit": lead_unit,
            "chapter": chapter, "section": section, "table": table, "row": row, "source_text": f"{row}\t{name}"}


# Projects: every row of tables 1–3, then the projects the text names.
PROJECTS = [
    _row(1, 1, f"曹杨五村 63-65、68-71、76-77 号{_T1}", "housing", "FGB", 5, 1),
    _row(1, 2, f"曹杨五村 210-225 号{_T1}", "housing", "FGB", 5, 1),
    _row(1, 3, f"曹杨一村 4-49、54-98、100-134、140-145（含甲）、146-169、170（含甲）-180 号{_T1}", "housing", "FGB",
         5, 1),
    _row(1, 4, f"曹杨二村 234-236 {_T1}", "housing", "FGB", 5, 1),
    _row(1, 5, f"曹杨二村 101-111、123-130、149-157、160-177、211-232 号{_T1}", "housing", "FGB", 5, 1),
    _row(2, 1, f"北岭园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 2, f"北杨园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 3, f"枣阳园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 4, f"梅川路 141 弄{_T2}", "repair", "FGB", 5, 1),
    _row(2, 5, f"兰溪园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 6, f"沙溪园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 7, f"桐柏园{_T2}", "repair", "FGB", 5, 1),
    _row(2, 8, f"中桥大楼{_T2}", "repair", "FGB", 5, 1),
    _row(2, 9, f"桂巷新村 77-79 号{_T2}", "repair", "FGB", 5, 1),
    _row(2, 10, f"桂巷新村 80-82 号{_T2}", "repair", "FGB", 5, 1),
    _row(2, 11, f"兰花大楼{_T2}", "repair", "FGB", 5, 1),
    _row(2, 12, f"曹杨六村 140-141 号{_T2}", "repair", "FGB", 5, 1),
    _row(2, 13, f"兰溪路 200 弄{_T2}", "repair", "FGB", 5, 1),
    _row(2, 14, f"兰岭园{_T2}", "repair", "FGB", 5, 1),
    _row(3, 1, "杨柳青路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 2, "梅岭北路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 3, "兰溪路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 4, "梅岭南路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 5, "梅岭支路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 6, "梅川路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 7, "桂巷路美丽道路建设", "road", "JSZX", 5, 2),
    _row(3, 8, "杏山路美丽道路建设", "road", "JSZX", 5, 2),
    {"code": "xiao-yujianong", "name": "小俞家弄改造", "category": "business", "lead_unit": "JJB",
     "chapter": 4, "section": 3, "source_text": "为小俞家弄改造、武宁路X6-01商办楼项目、华东电力设计院新建大楼、等重点项目顺利推进保驾护航",
     "summary": "配合推进小俞家弄地块改造，打造住宅与办公和谐相融的建筑群。"},
    {"code": "wuning-x6-01", "name": "武宁路X6-01商办楼项目", "category": "business", "lead_unit": "JJB",
     "chapter": 4, "section": 3, "source_text": "武宁路X6-01商办楼项目",
     "summary": "配合推进武宁路 X6-01 地块商业办公楼建设。"},
    {"code": "ecepdi-building", "name": "华东电力设计院新建大楼", "category": "business", "lead_unit": "JJB",
     "chapter": 4, "section": 3, "source_text": "华东电力设计院新建大楼",
     "summary": "为华东电力设计院新建大楼的顺利推进做好服务保障。"},
    {"code": "caoyang-wuning-landscape", "name": "曹杨路和武宁路景观整治", "category": "streetscape", "lead_unit": "JSZX",
     "chapter": 5, "section": 2, "source_text": "加快推动曹杨路和武宁路景观整治",
     "summary": "整治提升曹杨路、武宁路两条主要道路的沿街景观。"},
    {"code": "wuning-zhongning-poles", "name": "武宁路至中宁路路段合杆", "category": "streetscape", "lead_unit": "JSZX",
     "chapter": 5, "section": 2, "source_text": "武宁路至中宁路路段的合杆",
     "summary": "把武宁路至中宁路路段的各类杆件合并设置，让街道更整洁。"},
    {"code": "xingshan-road-waterlogging", "name": "杏山路(枣阳路 - 环浜南桥)道路积水点改善",
     "category": "streetscape", "lead_unit": "SWS", "chapter": 5, "section": 2,
     "source_text": "杏山路(枣阳路 - 环浜南桥)道路积水点改善",
     "summary": "改造杏山路枣阳路至环浜南桥路段的排水，雨天不再积水。"},
    {"code": "overhead-lines", "name": "曹杨路、武宁路架空线入地工程", "category": "streetscape", "lead_unit": "JSZX",
     "chapter": 5, "section": 2, "source_text": "推进曹杨路、武宁路架空线入地工程",
     "summary": "把曹杨路、武宁路上空的电线电缆移到地下。"},
    {"code": "baixi-park", "name": "百禧公园", "category": "public_space", "lead_unit": "JSZX",
     "chapter": 5, "section": 3, "source_text": "贯彻人民城市理念建造百禧公园",
     "summary": "在原铁路综合市场、农贸市场地块建设贯穿南北的百禧公园，集休闲、展示曹杨新村历史和慢行交通于一体。"},
    {"code": "huanbang-park-belt", "name": "环浜公园带", "category": "public_space", "lead_unit": "LHSR",
     "chapter": 5, "section": 3, "source_text": "打造邻里绿地、环浜公园带",
     "summary": "沿曹杨环浜打造连续的公园绿带和邻里绿地。"},
    {"code": "textile-elderly-home", "name": "纺织养老院", "category": "elderly", "lead_unit": "FWB",
     "chapter": 6, "section": 2, "source_text": "加快推动纺织养老院建设",
     "summary": "建设纺织养老院，增加养老床位。"},
    {"code": "zaoyang-park-trail", "name": "枣阳公园健身步道", "category": "public_space", "lead_unit": "LHSR",
     "chapter": 6, "section": 4, "source_text": "在枣阳公园等公园绿地内增设健身步道等",
     "summary": "在枣阳公园等绿地增设健身步道，打造体绿结合的健身空间。"},
    {"code": "yujianong-road-kindergarten", "name": "俞家弄路幼儿园", "category": "education", "lead_unit": "FWB",
     "chapter": 6, "section": 5, "source_text": "支持俞家弄路幼儿园项目建设",
     "summary": "建设俞家弄路幼儿园，增加托幼学位。"},
    {"code": "xingmeiyuan-health-station", "name": "杏梅园卫生服务站", "category": "health", "lead_unit": "FWB",
     "chapter": 7, "section": 1, "source_text": "着力推进杏梅园卫生服务站项目改造建设",
     "summary": "改造建设杏梅园社区卫生服务站，让居民在家门口看病配药。"},
    {"code": "meilingbei-centre", "name": "梅岭北片区分中心", "category": "community", "lead_unit": "GLB",
     "chapter": 7, "section": 1, "source_text": "积极推进梅岭北片区分中心建设",
     "summary": "建设梅岭北片区综合服务分中心，就近提供党群、医疗、养老等服务。"},
    {"code": "xingmeiyuan-committee", "name": "杏梅园居委会改造", "category": "community", "lead_unit": "ZZB",
     "chapter": 7, "section": 1, "source_text": "推进杏梅园、南杨园、兰溪园等居委会改造建设",
     "summary": "改造杏梅园居委会办公和活动用房。"},
    {"code": "nanyangyuan-committee", "name": "南杨园居委会改造", "category": "community", "lead_unit": "ZZB",
     "chapter": 7, "section": 1, "source_text": "推进杏梅园、南杨园、兰溪园等居委会改造建设",
     "summary": "改造南杨园居委会办公和活动用房。"},
    {"code": "lanxiyuan-committee", "name": "兰溪园居委会改造", "category": "community", "lead_unit": "ZZB",
     "chapter": 7, "section": 1, "source_text": "推进杏梅园、南杨园、兰溪园等居委会改造建设",
     "summary": "改造兰溪园居委会办公和活动用房。"},
    {"code": "access-control", "name": "小区电子门禁和人脸识别系统改造", "category": "governance", "lead_unit": "PAB",
     "chapter": 7, "section": 1, "source_text": "结合“雪亮工程”，完成小区电子门禁和人脸识别系统改造",
     "summary": "结合“雪亮工程”，为小区更换电子门禁和人脸识别系统。"},
    {"code": "one-household-one-code", "name": "“一户一码一档”试点建设", "category": "governance", "lead_unit": "CYZX",
     "chapter": 7, "section": 2, "source_text": "推动“一户一码一档”试点建设",
     "summary": "为每户居民建立二维码和电子档案，试点精细化服务。"},
    {"code": "village-history-museum", "name": "村史馆大修", "category": "culture", "lead_unit": "DJB",
     "chapter": 9, "section": 2, "source_text": "着力推进村史馆大修项目建设",
     "summary": "大修曹杨新村村史馆，整合社区中心 4–5 层办公功能，优化展览流线。"},
    {"code": "culture-centre", "name": "社区文化中心大修", "category": "culture", "lead_unit": "DJB",
     "chapter": 9, "section": 2, "source_text": "推进社区文化中心大修项目建设",
     "summary": "大修社区文化活动中心，改善健身、交流、培训空间，解决剧场供电不足、屋顶加固等问题。"},
    {"code": "civilisation-practice-centre", "name": "新时代文明实践中心分中心", "category": "culture",
     "lead_unit": "DJB", "chapter": 9, "section": 3, "source_text": "积极建设街道新时代文明实践中心分中心",
     "summary": "依托武宁片区建设街道新时代文明实践中心分中心。"},
]


# The plan's text: chapters → sections → tasks (chapters 4–10: one task per paragraph, its lead phrase
# as the title). Paragraphs split by a page break in the seed are joined; `text` is verbatim otherwise.
CHAPTERS = [
    {"number": 1, "title": "“十三五”发展成效", "kind": "review", "sections": [
        {"number": 1, "title": "服务经济卓有成效",
         "text": (
             "制度平台优化完善。落实街道服务经济工作实施方案，成立服务经济办公室、企业服务中心。建立健全重点企业服务专员、物业联勤联动等八项制度，优化信息展示、服务对接、招商引资(税)、党建公益"
             "四大平台。建立“1+1”企业服务“双专员”机制，深化楼长制，在电科大厦试点探索“楼委会”工作。**四好商会创建有效推进。**顺利完成曹杨商会社团化改革，建立商会功能型党支部。荣获上"
             "海市工商联优秀商会、上海市工商联“‘四好’商会”等奖项。"
         ),
        },
        {"number": 2, "title": "民生保障日臻完善",
         "text": (
             "养老保障显著提升。“十三五”期间，新建长者照护之家 1 个，新增养老床位 36 张，综合为老服务中心及分中心 5 个，长者食堂及助餐点 7 个。完成“适老房”改造 150 户，居家"
             "四件套安装 200 户。实现养老机构与社区卫生服务中心签约服务全覆盖。培育老年人学习团队 74 个，标准化学习点 20 个，老年远程教育收视点 20 个。**救助保障不断优化。**"
             "“十三五”期间，累计救助人数 14.36 万人次，累计救助金额 12835.99 万元，累计在册帮困人数 4815 人。社区市民综合帮扶累计 381 人次，累计支出帮扶资金 369"
             ".94 万元。落实完成孤儿回归社会的安置。**就业保障愈发夯实。**“十三五”期间，累计新增就业岗位 2160 个，帮助成功创业 218 家，帮助长期失业青年就业 222 人，和谐"
             "劳动关系达标企业 40 家。成功打造了《曹“Young”梦工厂》创业就业品牌项目。**双拥优抚工作力度加大。**“十三五”期间，累计投入双拥工作经费 63 万元。开展国防教育活动 "
             "78 次，累计参与 4310 人次。建立了 12 支拥军组织和 21支拥军志愿者队伍。率先建立独立的社区双拥(优抚)之家,并试点设立退役军人服务站。连续第八届被评为上海市双拥模范街"
             "道。"
         ),
        },
        {"number": 3, "title": "城区品质持续优化",
         "text": (
             "美丽家园建设有序推进。“十三五”期间,累计完成旧住房成套改造签约 70 幢, 89716 平方米,受益居民 3037 户。累计完成旧住房综合修缮 289 幢,受益居民 1.7 万户"
             "。**美丽街区建设取得成效。**完成俞家弄旧改基地征收平地以及铁路综合市场和农贸市场清退签约工作。开展各类拆除整治工作,成为全区首批接受无违建先进居村(街镇)市级验收单位。打造桂巷"
             "路、花溪路特色景观街。**垃圾分类治理全面覆盖。**“十三五”期间,累计完成 141 处生活垃圾减量房、86 处两网融合服务点以及“三合一”中转站建设,在硬件上实现全覆盖。建立“房"
             "长制”“桶长制”“监督员制”及“沿街商铺”大数据系统和“五星”评价机制,辖区内 80% 的垃圾厢房监控接入“一网统管”系统,垃圾分类智能化管理纳入市级案例。构建居民区垃圾分类“12"
             "345”工作模式,试行 21 天奖励机制,建立居民区自查、机关干部抽查、第三方督察的三查体系。荣获第一批上海市生活垃圾分类示范街道的称号。"
         ),
        },
        {"number": 4, "title": "城区管理全面巩固",
         "text": (
             "“一网通办”工作积极落实。在全区率先建成“24 小时一网通办自助区”,贯通市大数据中心数据,设置了社区事务受理服务中心、金梅园百姓客厅、曹杨新村邮政支局等 3 个自助服务终端。受理"
             "服务中心获上海市居住证工作先进街镇(受理网点)2020 年度社保服务优秀社区。**“一网统管”工作率先探索。**全区最早先行先试建设“一网统管”“智联普陀 3.0”平台,建成街道城"
             "市运行管理中心,对接 23 家区委办局系统数据,完成区域实景建模以及人口等信息数据对接集成工作,构建“1+9”应用模块,实现商铺门责任制落实、食品消防安全等二维码监管、历史风貌保护"
             "区等重点区域监控报警以及全景化查看应用。**网格管理服务逐步完善。**建成武宁、梅岭南、梅岭北等三个网格化综合服务管理片区,构建设置党群服务、医疗站点、长者照护等多种功能,形成“党"
             "群网、管理网、服务网”三网合一的社会治理格局。街道网格中心“12345”市民服务热线案件办理先行联系率、按时办结率等各项指标均为全区前列。"
         ),
        },
        {"number": 5, "title": "科教文体稳步推进",
         "text": (
             "科教工作取得佳绩。曹杨科普创新屋获得区级比赛二等奖、机关王比赛三等奖、西马特杯比赛优秀奖、宋庆龄青少年发明奖三等奖等奖项。社区学校被上海市社区学校内涵建设标准化合格学校,多人分别荣"
             "获上海社区教育教学大奖赛奖项。**文化事业再上台阶。**持续开展“曹杨之春”、“悠悠午间”等特色品牌活动以及“中医理疗进社区”等志愿服务工作。建成普陀区首家标准化运行的文化中心,并"
             "获评上海市文化和旅游局的一级社区文化活动中心。曹杨文化青年中心荣获“青春上海 Act+ 年度好伙伴”优秀组织奖。**体育事业不断壮大。**“十三五”期间,累计完成 xx 条健身步道"
             "。首创“跃动曹杨”全民健身节,搭建校园特色展示平台、居民学校互动平台、白领社区参与平台。为企业配送瑜伽课、工间操等健身课程,服务人次达 2000 余人。"
         ),
        },
        {"number": 6, "title": "社区治理不断优化",
         "text": (
             "自治项目积极推进。“十三五”期间，成立全市首家“加装电梯指导办公室”，竣工加装电梯项目9个。27个楼组申报成为美丽楼组，打造形成曹杨楼组特色品牌。实施曹杨星璀璨社区自治力提升计划。"
             "打造楼风概念，绘制曹杨社区治理参访图。以花溪园为试点，开展OSM居委会标准化建设项目。通过红色议事厅、1+3+X联席会议机制等，营造良好协商自治氛围。**队伍建设不断加强。**完成"
             "30个小区业委会换届改选，居委会业委会交叉任职率100%。实施居委会主任赋能计划，7家居委会获评五星居委会。形成全市第一份居民区工作思维导图集。**社会组织培育成效突出。**“十三"
             "五”期间，累计培育社会组织74家，孵化并培育本土专业社会组织史信彪社区治理工作室。资助公益项目84个。积极开展能力建设沙龙及各类主题公益活动，成立曹杨社会组织联合会和社区基金会，“"
             "曹杨益家”网站上线运行。社会组织服务中心荣获“上海市公益基地”称号。**获批全区唯一一家基层立法联系点。**完成立法联系点软硬件建设，建立工作规则、工作流程、信息采集的架构与单位名"
             "录。\n曹杨新村街道在取得上述成效的同时也面临着许多**短板和问题**，主要是：**一是经济发展面临资源制约。**辖区面积小，市场主体多，高品质楼宇载体缺乏，可开发资源有限。商业设施"
             "及业态老旧，对消费群体的吸引力不足。**二是民生保障存在压力。**深度老龄化进一步加剧，多层次、多元化养老供给仍待增加，托底保障工作面临一定压力。**三是城区品质有待提升。**区域"
             "内建筑和基础设施老旧，与中心城区的定位及居民的需求不相匹配，亟待实施大规模更新。"
         ),
        },
    ]},
    {"number": 2, "title": "“十四五”发展环境", "kind": "context", "sections": [
        {"number": 1, "title": "把握新阶段、新机遇",
         "text": (
             "1、从全市来看，践行双城理念、深化两网建设为曹杨街道实现一流社区治理指明了方向。\n为深入贯彻落实习近平总书记考察上海重要讲话精神，全面落实“人民城市人民建，人民城市为人民”重要理念"
             "，普陀区正积极探索符合超大城市中心城区特点和规律的城市治理新路。政务服务“一网通办”和城市运行“一网统管”两张网建设，牵引和推动城区治理模式创新、治理方式重塑、治理体系重构。曹杨街"
             "道作为全国第一个工人新村，也是“智联普陀”3.0版试点区域，正处于精细治理的“探索创新期”，力争在城区治理体系和治理能力现代化的道路上做开路先锋，开启智慧化管理的新时代。\n2、从全"
             "区来看，新发展格局为曹杨地区功能提升、品质升级提供关键性发展契机。\n“十四五”期间，全区提出的“一带一心一城”新发展布局，空间战略进一步聚焦，苏河水岸经济发展带和真如副中心建设全面"
             "展开，科创中心“一轴一园一中心”的空间布局也进一步明确，高端人才、技术、资金集聚后的外溢效应和辐射效应将会逐渐显现，联通长三角城市群的枢纽功能将得到释放。曹杨街道位于普陀区中心区域"
             "，南临三长地区，北接真如副中心，所辖的武宁路沿线，集中了以电科所、测绘院、华东电力、五零所为引领、代表科技创新的团队联盟，更是创新轴的发展起始站，对曹杨地区的经济发展将有很大的助力"
             "。应当充分把握全区战略聚焦的机遇，在科创功能集聚、产业功能发挥、经济发展等领域向更高水平迈进。\n3、从曹杨来看，城市更新改造示范区试点工作、整体规划的调整以及项目的布局为区域整体面"
             "貌焕新带来历史性机遇。\n全市“十四五”规划提出，探索在曹杨等地区开展城市更新改造示范区试点工作，在法律法规、政策支持、流程优化、机制完善等方面预计都将出台系统性的措施。当前，《曹杨"
             "新村保护更新实施规划与美好生活建设行动》正启动设计，一批高水平的设计专家齐聚曹杨，共同为曹杨设计规划蓝图。社区的控制性详规将按照最新的规划实现局部调整，一批优质项目也有望陆续落地，"
             "曹杨社区将迎来焕发新生的历史性机遇。"
         ),
        },
        {"number": 2, "title": "直面新要求、新挑战",
         "text": (
             "1、服务经济的职能与现有资源不相匹配，给基层工作开展带来了新的挑战2015 年底，街道取消招商引资后，街道经济职能大大削弱。目前经济下行压力较大，对街道服务经济也提出了新的要求。街"
             "道的人、财、物力量均较为有限，服务经济的职能与现有资源不相匹配，给基层工作开展带来了新的挑战。\n2、深度老龄化及人民群众对美好生活的向往对社区公共服务提出了更高的要求“十四五”期间"
             "，曹杨街道的老龄化深度还将进一步加剧，空巢独居、失能失智老人群体的养老服务问题仍是民生痛点，对社区养老的需求进一步提升。同时，随着时代发展，人民群众对公共民生服务也提出了更高的要求"
             "，亟需通过服务设施的提质换挡，回应人民期待。如何统筹好各方资源，提供均衡、优质的公共服务供给是未来五年曹杨面临的一大挑战。\n3、大规模城区更新面临诉求多元、矛盾复杂、空间有限等诸多"
             "挑战“十四五”时期，普陀区全面步入破旧立新、转型蝶变的新阶段。曹杨街道社区整体建设年代较长，住宅质量、居住标准、环境品质、公共空间等普遍老旧，且存在诸多安全隐患。旧住房成套改造、加"
             "装电梯、增设车位、基础设施更新等需求迫切且体量较大，在实际操作中又面临诉求多元、矛盾复杂、空间有限等诸多问题，全面推进面临挑战。"
         ),
        },
    ]},
    {"number": 3, "title": "发展理念和总体思路", "kind": "strategy", "sections": [
        {"number": 1, "title": "指导思想",
         "text": (
             "以习近平新时代中国特色社会主义思想为指导，全面贯彻党的十九大和十九届二中、三中、四中、五中全会精神，坚持稳中求进工作总基调，坚持新发展理念，协调推进“四个全面”战略布局，自觉践行“"
             "人民城市人民建、人民城市为人民”的重要理念，紧紧围绕全区“创新发展活力区、美好生活品质区”和“美好曹杨”的总目标，聚焦“治理”和“宜居”两大关键，突出“共享发展、品质发展、创新发展"
             "、传承发展”，努力实现由“美丽家园”向“幸福乐园”的转变，打造现代社区治理新标杆、都市宜居生活新典范。"
         ),
        },
        {"number": 2, "title": "基本原则",
         "text": (
             "—— **坚持以人为本，共享发展。** 要以满足人民对美好生活的向往为出发点，精准发力，久久为功，着力解决群众“急难愁盼”，攻坚“老旧”难题。努力实现幼有善育、学有优教、劳有厚得、"
             "病有良医、老有颐养、住有宜居、弱有众扶的美好愿景。\n—— **坚持幸福宜居，品质发展。** 要以幸福宜居为发展导向，正视短板弱项，全面改善基础设施环境和城区风貌，大力推进同心家园建"
             "设，打造全龄、全域人群友好的人居环境，提升城区宜居水平和居民幸福感。\n—— **坚持精细治理，创新发展。** 要以社会化、精细化、智能化推动社会共建共治，不断创新治理手段，以绣花般"
             "的细心、耐心和工匠精神画好城市治理和社会治理的蓝图，使曹杨更具吸引力、更有温度、更富魅力。\n—— **坚持精神引领，传承发展。** 大力彰显曹杨文化魅力，坚持融合上海精神和普陀精神"
             "，传承发扬爱国主义精神、劳模精神、工匠精神等正能量，塑造曹杨文化品牌和内涵气质。"
         ),
        },
        {"number": 3, "title": "发展目标",
         "text": (
             "—— **城市更新转型样板区。** 创新手段方式，推进旧住房成套改造，做好围墙内外道路建筑等设施更新，恢复曹杨新村邻里单位的经典空间格局，倡导绿色共享生活方式，构建文化空间体系，为"
             "全市城市更新提供示范样板。\n—— **城区精细化管理先行区。** 以“一网统管”试点为抓手，不断探索创新应用场景，健全“大数据+网格化+铁脚板”工作机制，实现城区治理全覆盖、全过程"
             "、全天候。\n—— **基层治理创新实践区。** 以法治、自治、智治建设为着力方向，形成党建引领、居委会主导、社会组织以及社区居民积极参与和支持的社区治理工作格局。\n—— **新时代"
             "精神文明传承区。** 依托历史文化和红色资源优势，紧跟新时代潮流，融合上海精神和普陀人精神，传承发扬劳模精神，彰显曹杨气质。树立富有时代特色的曹杨文化新形象，塑造享誉国内外的新品牌"
             "。\n“十四五”时期，曹杨街道发展的奋斗目标是：\n服务企业全面升级。 到 2025 年，新设登记、迁移落户企业明显增长，安商、稳商能力持续提高。**城市更新全面完成。** “三个美丽"
             "”建设取得突破成效，非成套住房实现“愿改尽改”，小区环境和功能达到双提升。道路品质进一步提升，人均公园绿地面积进一步增加，环境面貌不断改善，居民生活质量和生活品位显著提高。**民生"
             "服务全面提档。** 到 2025 年，5 分钟基本公共服务圈建成；**人均公共绿地面积达到 1.02 平方米；** 若干嵌入式服务设施在各片区建成；就业更加充分，公共服务更加优质多"
             "样，社会保障更加公平和完善。**社区管理全面转型。** 到 2025 年，全区“一网统管”试点建设全面完成，智慧化的城市治理手段全面建立，政府治理与社会自我调节、居民自治良性互动的"
             "生动格局基本形成。**文化软实力全面增强。** 到 2025 年，社会主义核心价值观更加深入人心，上海精神、普陀精神和曹杨精神进一步融合发扬，市民文明素质和城区文明程度全面提高，历"
             "史文化与生态资源有机结合，特色文化品牌魅力有效彰显。"
         ),
        },
    ]},
    {"number": 4, "title": "打造惠企经济生态", "kind": "tasks", "sections": [
        {"number": 1, "title": "营造优良营商环境",
         "tasks": [
             {"title": "提升惠企服务水平",
              "text": (
                  "提升惠企服务水平。结合税收代征、在地统计等条线工作，跟进掌握小规模纳税企业的纳税情况，并从统计口加强同规模以上中大型企业的联系。适当开展政策咨询、诉求解答等活动，对重点企业开展组团"
                  "式服务等。持续开展“悠悠午间·关爱员工”系列活动。加强与辖区内学校、居民区的沟通，助力楼宇内企业与周边设施实现停车资源共享。"
              ),
             },
             {"title": "加强企业间互促联动",
              "text": (
                  "加强企业间互促联动。鼓励商会企业围绕街道中心任务出谋划策、牵桥搭线、以商引商，助推区域经济高质量发展。创设楼宇(园区)企业高管沙龙会，加强企业高层互动性。做好企业及社区间供需对接，"
                  "助力企业研发成果及产品应用社区，有效结合园区众创空间服务及社区就业等民生问题，达成街道与企业间良性互动。"
              ),
             },
             {"title": "发挥功能平台纽带作用",
              "text": (
                  "发挥功能平台纽带作用。发挥“武宁创新发展轴”沿线大院大所集聚的独特优势，依托“筑梦曹杨”区域化党建联盟等、小小践行家等活动平台，推动平台成为安商稳商留商招商的载体和桥梁。依托G2创"
                  "新轴的构建，加强与长三角在科技创新、产业发展的协同合作。"
              ),
             },
         ],
        },
        {"number": 2, "title": "加大招商引资力度",
         "tasks": [
             {"title": "创新招商方式",
              "text": (
                  "创新招商方式。统筹考虑招商的前瞻布局、空间布局和工作布局。积极主动走出去招商，对招商部门、团队内非公务员岗位实行更加灵活的激励措施，对出境招商活动、团组申请等予以支持。借助长三角现"
                  "有海外招商载体，加强与国(境)外招商中介机构联系，在重点区域组织实施中介招商和境外委托(代理)招商。"
              ),
             },
             {"title": "强化招商举措",
              "text": (
                  "强化招商举措。探索招商引资跨区域利益协同机制，助推实体型企业异地落地和利益分享。充分发挥企业资源优势，加强商业载体建设、产业发展、商业环境更新、社区民生保障等方面的全方位合作，引进"
                  "打造一批新的重点商业项目或新业态。支持商圈立足自身优势，提升商业配套，加快吸引知名零售品牌、新兴体验业态等入驻。"
              ),
             },
         ],
        },
        {"number": 3, "title": "完善本地商务商业服务",
         "tasks": [
             {"title": "加强商务商业基础设施建设",
              "text": (
                  "加强商务商业基础设施建设。适时推进区内老旧商务楼宇整体更新，加强与上级部门和相关单位的沟通对接，为小俞家弄改造、武宁路X6-01商办楼项目、华东电力设计院新建大楼、等重点项目顺利推"
                  "进保驾护航，打造住宅、办公相互和谐的建筑群，融合景观和基础设施，打造有意义的开放式公共空间，同时满足当地办公人士及居民的需求。鼓励商业设施的数字化建设，支持社区加强商业基础设施智能"
                  "化、数字化改造，做好相关配套建设，积极引进新零售门店入驻。推进末端网点建设，鼓励将智能快递柜与信报箱、送奶箱、生鲜投递柜、无人货柜等物流末端功能进行整合。探索在邻里中心、菜市场等场"
                  "所布设公共冷柜。"
              ),
             },
             {"title": "全力提升商业服务水平",
              "text": (
                  "全力提升商业服务水平。培育打造小店经济，以历史街区、特色商业空间为重点，培育一批蕴含海派文化、承载城市记忆的特色小店，丰富商业文化内涵。推动传统菜市场向线上线下融合菜市场转变。鼓励"
                  "符合条件的菜市场向新型生鲜超市方向发展，提高生鲜超市经营生鲜食品的经营能力与水平。鼓励各标准化菜市场在示范性改造过程中增加菜市场内配套早餐供应的品牌、品类、供应量。鼓励便利店、超市"
                  "、食堂中业态积极调整，引入早餐服务，引导社区食堂、楼宇食堂增加早餐供应。"
              ),
             },
         ],
        },
    ]},
    {"number": 5, "title": "重塑城区宜居空间", "kind": "tasks", "sections": [
        {"number": 1, "title": "建设宜居美丽家园",
         "tasks": [
             {"title": "着力推进旧住房成套改造",
              "text": (
                  "着力推进旧住房成套改造。加快推进曹杨一村、二村、五村等旧住房成套改造工程。开展精细化成套改造工作，保留城市风貌、保护城市肌理。最大限度地统筹规划，注重厨卫独用的私人空间改造，注重小"
                  "区公共设施、绿化环境、周边生态等整体打造。优先打造曹杨一村为旧住房改造样板工程，以点带面，逐步改善曹杨新村老旧住宅整体居住环境，提升居住幸福感。"
              ),
             },
             {"title": "推进旧住房综合修缮",
              "text": (
                  "推进旧住房综合修缮。加快推进部分路段、小区屋面及相关设施改造工程。全面落实“应修尽修”，重点补齐防水隔热、立面粉刷、供水排水、水电煤设施、绿化工程、停车空间、步行网络、生命通道等功"
                  "能短板。着力解决小区功能短板，实施停车位增设、垃圾箱房改造、绿化品质提升、公共楼道修缮、出墙管排水能力升级等功能、品质双提升工程，打造一批旧住房综合修缮精品案例。"
              ),
             },
             {"title": "加强小区内综合整治",
              "text": (
                  "加强小区内综合整治。加强无群租小区创建，做好小区出入口门禁管控，利用后台人口管理系统，及时发现群租线索，通过块长甄别，建立长效综合管理机制。试点推进微型小区归并的集约化管理，实现老"
                  "旧小区规模化管理，推进物业费的调价，为物业企业走出困境提供实际支撑。妥善解决小区内飞线问题。"
              ),
             },
         ],
        },
        {"number": 2, "title": "重塑美丽特色街区",
         "tasks": [
             {"title": "加强景观整治提升",
              "text": (
                  "加强景观整治提升。推进市政设施景观优化示范建设。加快推动曹杨路和武宁路景观整治、武宁路至中宁路路段的合杆以及杏山路(枣阳路 - 环浜南桥)道路积水点改善等工程建设。以特色街区和示范"
                  "街区为重点，协调市、区相关部门，推进曹杨路、武宁路架空线入地工程。"
              ),
             },
             {"title": "打造美丽街道",
              "text": (
                  "打造美丽街道。加快推动杨柳青路、梅岭北路等 8 条美丽道路建设。打造“特色街道”示范项目，加快标识、家具、照明、店面改造提升。根据建筑使用功能和街道活动的不同，打造历史风貌道路、市"
                  "井商业街道、社区服务街道、文化展示街道、书香教育街道、健康休闲街道、林荫漫步街道形成七类全覆盖的美丽街道体系。"
              ),
             },
             {"title": "构建特色街区体系",
              "text": (
                  "构建特色街区体系。以风貌保护道路、优秀历史建筑等历史文化资源以及各类公共文化设施为核心，构建文化特色街区。以现状曹杨商场、桂巷商业步行街的提质改造为抓手，通过业态优化、风貌整治、景"
                  "观提升，塑造商业特色街区。结合百禧公园建设，开放业余大学场地，营建阶梯小剧场等艺术活动场所，开展艺术展览与演艺活动，打造艺术特色街区。结合住区更新改造，集中设置老年友好服务设施，打"
                  "造开放式适老街区。与环浜规划、健康美丽街道结合，提升完善健康服务设施及空间环境，塑造优美怡静、安全舒适、幸福和谐的健康特色街区。依托曹杨二中核心教育资源，打造教育特色街区。"
              ),
             },
             {"title": "塑造社区门户形象",
              "text": (
                  "塑造社区门户形象。抓住道路规划建筑色彩、重点立面、围墙、绿化小品、灯光照明、广告店招、地面铺装等七大要素，对重点路段进行统一规划、设计、建设。实施地铁出站口环境整治与提升，缩小人行"
                  "道转弯半径和过街距离。梳理自行车停放点，鼓励制定潮汐式停车协议，解决部分区域停车问题，畅通公共通道。增加不锈钢围栏的历史印记，凸显曹杨历史文化元素。打造“漫步曹杨”文化景墙，雕刻曹"
                  "杨建村规划图。"
              ),
             },
         ],
        },
        {"number": 3, "title": "构建睦邻友好社区",
         "tasks": [
             {"title": "优化开放公共空间",
              "text": (
                  "优化开放公共空间。整体规划设计铁路综合市场、铁路农贸市场整治地块，贯彻人民城市理念建造百禧公园，打造贯穿南北，集服务于社区居民日常活动、展示曹杨新村发展历程以及慢行交通一体的具有纪"
                  "念意义的文化、创意、游憩复合型公共空间。通过建设口袋公园、转角绿地、节点景观等形式，将部分封闭空间打开释放，并叠加“小微精特”工程。鼓励支持并大力推广“社区微更新”，全面实施社区规"
                  "划师制度，优化拓展制度内涵，进一步加大属地化、市场化专业力量参与，建立微更新项目的建设项目立项与储备，拓展居民公共活动空间，提升城区品质。"
              ),
             },
             {"title": "优化生态绿色空间",
              "text": (
                  "优化生态绿色空间。提升生态服务、保障、文化等功能，构建蓝绿生态之居。推进以屋顶、墙体、桥体、拉杆、护网等为主的立体绿化，引导推动墙面绿化、阳台绿化、棚架绿化等多样化立体绿化形式。打"
                  "造邻里绿地、环浜公园带。实现雨水花园改造，提升道路绿化景观，保障社区道路的降水、排水安全。发挥信息化、智能化在城区绿地建设与管理的作用，加强景观设施中特色植物元素的融入。利用信息化"
                  "技术提升公共空间的智能交互体验。结合“一网统管”试点建设工作，探索智慧公园场景应用，强化绿地的全过程监管。"
              ),
             },
             {"title": "完善慢行活力空间",
              "text": (
                  "完善慢行活力空间。统一市政道路系统的慢行道路建设标准，打造“骑、跑、步”相结合的曹杨社区慢行系统。加强与公共交通设施的无缝衔接、提升慢行交通出行环境，形成一条“活力出行，绿色换乘”"
                  "的交通链。完善与慢行系统配套的相关设施，加强机动车限行路段管理及非机动车停车和慢行空间精细化治理。"
              ),
             },
         ],
        },
    ]},
    {"number": 6, "title": "共享民生事业成果", "kind": "tasks", "sections": [
        {"number": 1, "title": "推动更加充分就业",
         "tasks": [
             {"title": "统筹就业保障工作",
              "text": (
                  "统筹就业保障工作。坚持精准发力与靶向施策，探索协调推进各类重点群体就业的新方式和新方法，稳住区内就业保障的底线。强化对特殊群体的就业援助，开展针对性的职业指导、定向培训、职业体验实"
                  "训等服务，帮助失业青年实现市场化就业。完善公益性岗位安置、企业吸纳和灵活就业相结合的困难人员就业帮扶机制。进一步发挥网格片区中心的作用，拓展就业援助基地托底安置功能，结合曹杨街道实"
                  "际，探索更多就业内容。"
              ),
             },
             {"title": "健全就业服务体系",
              "text": (
                  "健全就业服务体系。充实基层就业服务队伍力量，提高基层服务人员专业化能力和服务水平，加强服务队伍职业保障，充分发挥其在公共就业服务中的积极作用。加速推动“互联网+”就业服务新模式运用"
                  "，加快推进服务载体、渠道和手段的信息化与智能化，进一步提升高质量就业的服务效率。"
              ),
             },
             {"title": "维护和谐劳动关系",
              "text": (
                  "维护和谐劳动关系。深入推进和谐劳动关系创建。加大劳动关系法律和政策宣传力度。建立劳动关系预警预防机制，积极稳妥处置群体性劳动关系矛盾。加强劳动人事争议仲裁调解工作，进一步推进劳动争"
                  "议调解中心实效化建设，提升队伍专业化，最大限度将劳动人事争议化解在基层。力争在“十四五”末，实现劳动人事争议案件调解率 60% 以上。"
              ),
             },
         ],
        },
        {"number": 2, "title": "提升养老服务水平",
         "tasks": [
             {"title": "完善养老设施布局",
              "text": (
                  "完善养老设施布局。加快推动纺织养老院建设。基于老年人日常活动半径和活动频率，划分以 500 米半径为主的区域服务圈和 200 米半径为主的基本服务圈，将区域服务圈、基本服务圈内所需"
                  "的服务设施进行优化布局。区域服务圈内增设综合为老服务分中心，社区助餐点、社区卫生服务站、老年文化活动中心、全龄共享交往中心。基本服务圈内新增一批久龄家园、共享厨房、健康互助驿站以及"
                  "老年活动场所。统筹辖区内各类养老服务资源，联动社区卫生中心等医疗资源，加快推进养老服务体系建设和养老设施建设。鼓励民间资本参与养老机构建设，重点发展以长期照护为主的社区型、保障型养"
                  "老机构。积极推进综合性社区居家养老设施建设，推进养老服务补贴与长护险平稳衔接。发展更多嵌入式养老服务。着重提升养老机构设施水平，推动消防等安全设备改造。"
              ),
             },
             {"title": "持续做好适老性改造",
              "text": (
                  "持续做好适老性改造。重点对老龄化程度较高、建成较早的社区进行建筑和设施改造，满足老年人对居所的安全、卫生、便利和舒适等需求。对住宅楼公共空间进行功能性改造，增加无障碍设施，放大单元"
                  "号码等外部标识。在室内铺设防滑地砖、消除地面高差；在卫生间安装扶手等，消除安全隐患。增设老年保健室，便于老年人日常锻炼与康复。改善地面标识，通过鲜明颜色、夜光功能等涂料，提升老年人"
                  "日夜间行走安全性。"
              ),
             },
             {"title": "倡导积极老龄化",
              "text": (
                  "倡导积极老龄化。鼓励老有所为，帮助老年人持续参与社区活动，实施关爱高龄独居老人“夕阳圆梦——暖心陪伴”项目。持续深入开展“银龄行动”、“老伙伴”社区活动。继续开展老年教育，发展老年"
                  "人文化和体育团队。"
              ),
             },
         ],
        },
        {"number": 3, "title": "强化托底保障功能",
         "tasks": [
             {"title": "完善社会救助体系",
              "text": (
                  "完善社会救助体系。充分发挥社会救助工作联席会议制度作用，科学制定救助标准，拓展完善救助方式。开展救助管理标准化建设，推进救助管理信息化建设与救助业务工作相结合。有序推动社会救助项目"
                  "“一网通办”，提高政务服务质量与效率。进一步加大社会救助监督指导力度，加强社会救助基层能力建设。"
              ),
             },
             {"title": "提升残疾人保障水平",
              "text": (
                  "提升残疾人保障水平。加大残疾人社会救助力度。进一步增强残疾人创业就业增收能力，完善残疾人就业指导。保障残疾人健康管理。加大法制宣教和监督执法力度，倡导社会各界保障残疾人权益。推进残"
                  "疾人文化活动进社区。畅通残疾人信访渠道。推进无障碍设施建设。"
              ),
             },
             {"title": "做好双拥优抚工作",
              "text": "做好双拥优抚工作。继续做好对退役军人、双拥优抚对象的关爱工作，开展“枫桥式退役军人服务站”创评工作。进一步管理好退役军人服务站，发挥服务站功能作用，努力建设成为“军人之家”。",
             },
         ],
        },
        {"number": 4, "title": "提升体育服务能级",
         "tasks": [
             {"title": "拓展嵌入式增量空间",
              "text": (
                  "拓展嵌入式增量空间。充分利用公共绿地资源，建设嵌入式公共体育设施，基本实现辖区全覆盖。引入社区嵌入式“共享健身房”，鼓励支持民办商业健身房建设。在枣阳公园等公园绿地内增设健身步道等"
                  "，打造体绿结合的全民健身空间。探索对区域内的存量资源进行改造，形成体育健身资源的增量空间。"
              ),
             },
             {"title": "完善体育设施共享及运营管理",
              "text": (
                  "完善体育设施共享及运营管理。加大学校体育场馆开放力度，缓解资源矛盾。积极探索“互联网+体育”的运营管理模式，借助智能化管理手段，提升社区体育设施信息化管理水平，让居民享有高效、便捷"
                  "的体育公共服务。"
              ),
             },
         ],
        },
        {"number": 5, "title": "强化幼弱服务供给",
         "tasks": [
             {"title": "加强托幼服务资源供给",
              "text": (
                  "加强托幼服务资源供给。支持俞家弄路幼儿园项目建设。增强托幼一体化功能，在有条件的公办幼儿园和新建幼儿园开设托班，鼓励民办幼儿园开设普惠性托班。健全托育服务机构规范管理制度，抓住源头"
                  "准入和过程管理，依托网格化管理机制，确保托育服务市场规范健康发展。"
              ),
             },
             {"title": "探索儿童成长设施建设",
              "text": (
                  "探索儿童成长设施建设。打造资源共享的集约型儿童阅读环境，加强社区少儿阅览室的投入，推进公共电子阅览室建设，建设适宜不同年龄阶段儿童的多样化优质图书资源。探索家、校、社区儿童图书资源"
                  "共建、共享模式。加强公共开放型儿童游乐场、游戏空间、运动空间建设。打造儿童友好型社区。"
              ),
             },
         ],
        },
    ]},
    {"number": 7, "title": "落实精细化管理理念", "kind": "tasks", "sections": [
        {"number": 1, "title": "提升家门口的服务水平",
         "tasks": [
             {"title": "解决一批群众急难愁问题",
              "text": (
                  "解决一批群众急难愁问题。配合推动普陀区中心医院建设，着力推进杏梅园卫生服务站项目改造建设。妥善解决就医困难、群租扰民、居改非、沿街商品管理等难题。推进老旧电梯维修更新改造。结合小区"
                  "综合修缮，推动小区封闭管理、生命通道建设、非机动车棚改造、便民服务设施等项目实施。结合“雪亮工程”，完成小区电子门禁和人脸识别系统改造。探索大件垃圾、建筑垃圾不落地预约机制。探索试"
                  "点共享停车，鼓励办公、商业与居住区域的车位共享。持续开展“美丽楼组”建设，打造有温度的楼道。"
              ),
             },
             {"title": "打造以片区为特色的社区服务体系",
              "text": (
                  "打造以片区为特色的社区服务体系。积极推进梅岭北片区分中心建设。推进杏梅园、南杨园、兰溪园等居委会改造建设。健全基本公共服务标准体系，积极打造社区10分钟生活圈和家门口“一站式”“一"
                  "门式”服务综合体。推动党建、群团、养老、医疗、教育、文体、亲子等资源和项目与片区对接融合，让家门口服务站点成为市民群众生活中的新型“便利店”。深化推广“社区云”、远程视频帮办等智慧"
                  "社区应用，加快推进电子政务服务进片区，推动线上线下联动融合、标准统一，实现社区服务覆盖全民、便捷可及。围绕全龄段参与、全龄段服务的目标，鼓励创新打造“零距离+”品牌项目。"
              ),
             },
             {"title": "加快构建便民服务综合体",
              "text": (
                  "加快构建便民服务综合体。推动有条件的社区建设集合菜市场、餐饮、家政、托幼、维修等于一体的社区便民服务综合体，推动传统社区商业向居民区体验中心、生活中心、社交平台等新型中高端社区生活"
                  "圈转型。倡导新型邻里中心建设，以片区综合管理服务中心为依托，构筑“5分钟生活服务圈”。推动社区商业线上线下融合，拓展社区定点服务、上门服务、网订店取等新兴社区服务模式。进一步支持社"
                  "区商业拓展功能，逐步向生鲜超市、餐饮空间、休闲娱乐等多功能复合业态方向拓展，提升社区商业能级，打造便民消费圈。"
              ),
             },
         ],
        },
        {"number": 2, "title": "深化“一网统管”试点建设",
         "tasks": [
             {"title": "着力加强平台建设",
              "text": (
                  "着力加强平台建设。以数据为基础、平台为支撑、应用为导向，突出普陀特色和曹杨特色，做好“智联普陀”试点工作。围绕已开发的46类应用场景、34项处置流程，加大前端感知终端覆盖密度，丰富"
                  "城市管理应用场景，在实战中强化应用，加快形成跨部门、跨层级、跨区域运行体系，开发“实有人口信息采集”“平安建设动态评估”等应用模块，推动“一户一码一档”试点建设，实现城市管理和社会"
                  "治理的科学化、精细化、智能化。"
              ),
             },
             {"title": "提升应用能力",
              "text": (
                  "提升应用能力。全面梳理业务处置闭环流程，依托“1+3+N”网格化系统，形成基层综合执法和联勤联动的新机制，提高快速处置能力。提升线上线下协同的精准治理能力，推广政务微信的应用，实现"
                  "城区运行所有人员账号“应开尽开”、“应用尽用”，营造“观全面、管到位、防见效”的智能应用生态，实现“一屏观天下，一网管全城”的生动愿景。"
              ),
             },
         ],
        },
        {"number": 3, "title": "大力推进平安社区建设",
         "tasks": [
             {"title": "持续推进治安防控",
              "text": (
                  "持续推进治安防控。利用智能化技术水平和大数据系统，切实提高社区技防水平。完善小区监控系统，推进防盗窗钩工程。有序推进小区防盗锁链安装工作。加强人口管理工作。加强平安志愿者队伍建设，"
                  "深化动态巡逻与邻里守望相结合的工作模式，着力构建立体化信息化的社会治安防控体系。"
              ),
             },
             {"title": "守牢运行安全底线",
              "text": (
                  "守牢运行安全底线。加强店铺、单位、楼宇、建筑工地等点位日常安全运行监管，加强与第三方合作，协助对辖区单位门店进行监管。加强高空坠物安全管理，开展建筑外立面附加设施安全隐患排查。建立"
                  "住宅小区电梯“社区公共保险”制度，推进老旧电梯维修更新改造，保障老旧电梯运行安全。完善微型消防站建设，持续做好高层住宅消防设施设备检测及维修。"
              ),
             },
             {"title": "着力推进安全宣传及监管",
              "text": (
                  "着力推进安全宣传及监管。积极拓展宣传阵地、拓宽宣传渠道，围绕防火、防骗、防盗等主题扎实开展平安建设宣传教育活动。着重提升老年群体的防骗意识。加大消防演练和消防培训教育力度，持续开展"
                  "消防安全大检查。加强与区应急局安监中心密切配合形成合力，对安全生产监督的重点难点进行联合检查和整治。"
              ),
             },
             {"title": "深入推进普法维稳",
              "text": (
                  "深入推进普法维稳。贯彻落实区“七五”普法工作规划，切实有效地开展法制宣传教育工作。深入推进街道、居民区两级法律顾问制度。不断加强基层人民调解员能力。做好群众矛盾化解的信访维稳工作。"
                  "做好兵役、双拥、国防动员、防灾减灾、安置帮扶、禁毒宣传等工作。"
              ),
             },
         ],
        },
    ]},
    {"number": 8, "title": "展现社区共治气象", "kind": "tasks", "sections": [
        {"number": 1, "title": "加强基层组织融合发展",
         "tasks": [
             {"title": "健全多元主体的治理格局",
              "text": (
                  "健全多元主体的治理格局。健全完善以居民区党组织为领导核心，居委会为主导，业委会为主体，物业服务企业、社区民警、城管执法力量、社会组织、群众团体等共同参与的居民区治理格局。加强党建引"
                  "领业委会建设，发挥居民区党组织领导核心作用，强化居委会在业主大会、业主委员会组建、换届和日常运作中的指导和监督职责。推进业主委员会规范化运作，增强业主自治能力，不断优化业主自我管理"
                  "机制，规范居民居住生活秩序和行为。加强社区各组织间信息共享。"
              ),
             },
             {"title": "有效整合社会各阶层力量",
              "text": (
                  "有效整合社会各阶层力量。紧紧依托党建服务中心、园区党建服务站点，吸引、挖掘更多新的社会阶层人士资源，不断壮大“星联曹杨”队伍。全面深入持久地开展民族团结进步创建活动。以“凝聚侨心，"
                  "汇集侨智，发挥侨力”为工作主线，发挥新一届侨联班子的作用，鼓励更多侨友参与“侨之家”活动。继续发挥党派人士建言献策、民主监督的职责，鼓励畅达社情民意，参与“美丽家园”建设。积极用好"
                  "政协委员资源，进一步深化与区政协办的共建机制，让政协委员成为助力曹杨区域发展的新生力量。广泛挖掘和培育青年参与业委会建设和社区治理，通过“青年议事社”等形式，进一步调动青年在社区中"
                  "的主人翁意识，营造共治共管的社区氛围。"
              ),
             },
             {"title": "构建社区合作网络体系",
              "text": (
                  "构建社区合作网络体系。整合社区资源，依托政府组织、民营组织、社会组织、志愿团体和居民自治组织以及个人等各种网络体系，用好第三方组织的专业性和独立性，充分发挥各种组织的专业优势和个人"
                  "能力，有效应对和解决社区内的问题。形成以问题为导向的社区自治合作网络。提升居委会的群众动员能力和资源链接能力，居委会从过度行政化的状态逐步转变为推动社区自治最主要的力量。"
              ),
             },
         ],
        },
        {"number": 2, "title": "加强居民小区自治共治",
         "tasks": [
             {"title": "有序推进加装电梯工作",
              "text": (
                  "有序推进加装电梯工作。结合旧住房改造，充分发挥红色议事厅、1+3+X联席会议机制优势，组建党员群众共同参与的专项议事协调小组，畅通业主与有关单位沟通渠道，争取业主支持，积极推动加装"
                  "电梯覆盖更多小区。创新开展“互联网+梯”模式，通过加装条件可行性评分、工程智能报价、动画展示加装等全流程展示，助推加装电梯工作推进效率。组建曹杨新村街道加梯顾问团，邀请专业律师加入"
                  "，在自治共治项目开展各环节尤其是合同签订上提供法律支撑。"
              ),
             },
             {"title": "深化“美丽楼组”创建",
              "text": "深化“美丽楼组”创建。结合“三旧换三新”、市域社会治理现代化工作等，挖掘打造精品项目。沿用楼风概念，鼓励更多居民参与，总结打造楼组楼风，形成小区特色治理理念和文化标志。",
             },
             {"title": "深化住宅小区综合治理",
              "text": (
                  "深化住宅小区综合治理。继续探索党建引领“1+3+X”工作机制，强化居民主体意识、民主意识和参与意识，用小区公约、楼组公约等引导形成小区治理共同价值观，推动社区走向“善治”。推广“满"
                  "意物业”，发挥物业和环境委员会的作用，切实提升住宅小区综合治理实效。引进物业顾问单位，为小区管理事务、街道物业矛盾调处中心提供专业指导和业务咨询，为化解有关矛盾、规范住宅小区日常运"
                  "作提供各方面的专业技术支撑。"
              ),
             },
         ],
        },
        {"number": 3, "title": "提升基层综合服务水平",
         "tasks": [
             {"title": "畅通民意表达",
              "text": (
                  "畅通民意表达。完善听民意、聚民智、惠民生的制度机制，推动工会、共青团、妇联等群团组织更好面向园区、楼宇、社区、网上、一线开展工作。搭建更多民意“直通车”平台，推进基层立法联系点建设"
                  "，更好发挥政务服务“一网通办”系统、“12345”市民热线等渠道作用。用好曹杨地区实有人口库，进一步完善居民分色管理，加强对重点人群、重点工作的服务。持续推进四百走访常态化，形成对"
                  "社工队伍“分配任务-提醒任务-完成任务-问题处置-扫码反馈-AI回访评估”的闭环管理，做到事前有布置、事中有监管、事后有评价。"
              ),
             },
             {"title": "加强社区服务队伍建设",
              "text": (
                  "加强社区服务队伍建设。鼓励社会组织参与社会治理。以社区民生需求为导向，大力培育扶持社区社会组织发展，重点培育一批业务能力强、服务水平高、公信力突出的品牌社会组织。深化社区工作者队伍"
                  "建设，健全岗位等级序列和职业发展体系。"
              ),
             },
         ],
        },
    ]},
    {"number": 9, "title": "弘扬特色品质文化", "kind": "tasks", "sections": [
        {"number": 1, "title": "打造多元文化集聚地",
         "tasks": [
             {"title": "夯实劳模文化",
              "text": (
                  "夯实劳模文化。关爱劳模先进，做好困难群体慰问补助工作。夯实劳模信息，继续收集属地化劳模的照片资料、丰富劳模精神展示馆的意义和内涵。加强劳模文化宣传工作，拓展网络、新媒体宣传新平台。"
                  "结合片区中心建设，打造劳模育人特色专栏，将劳模精神融入片区化建设工作中，通过劳模故事的形式，展示劳模品质，延伸劳模文化育人的传播空间。"
              ),
             },
             {"title": "传播红色文化",
              "text": (
                  "传播红色文化。积极拓展红色教育，推动主题教育制度化常态化，以建立“不忘初心、牢记使命”制度为契机，打造精品课堂，深入开展党史、新中国史、改革开放史、社会主义发展史教育。不断丰富红色"
                  "体验，以文教融合、文旅融合机制为依托，以互动体验为载体，传播革命历史。充分用好文教结合机制，面向青少年举办爱国宣讲等系列活动，推动中小学生学习社会实践活动与红色议事厅等资源开放相结"
                  "合。充分用好文旅结合机制，探索开展实景移动党课，吸引党员群众深度了解红色场馆背后的峥嵘岁月、革命历史、人文精神。"
              ),
             },
             {"title": "弘扬公益文化",
              "text": (
                  "弘扬公益文化。大力弘扬公益文化，健全常态化社会捐助机制，推动社区捐助网络信息化建设。鼓励社会力量开展社会救济、社会互助以及志愿服务活动。深化“全国最美志愿服务社区”内涵，做亮“七彩"
                  "学雷公益行”志愿服务品牌，推进街道和居民区新时代文明实践两级阵地网络建设。进一步做强曹杨百灵鸟志愿服务品牌，加大公益志愿精神培育，提升街道志愿者服务中心和居民区志愿服务站点软硬件建"
                  "设水平。广泛普及志愿理念，搭建社会各界参与志愿活动的公共服务平台。组建青年志愿服务队，加强志愿服务组织和志愿者队伍建设。逐步把曹杨街道打造成为志愿服务活动的组织地、志愿服务资源的整"
                  "合地、志愿服务文化的传播地。"
              ),
             },
         ],
        },
        {"number": 2, "title": "丰富文化资源和项目",
         "tasks": [
             {"title": "推动文化服务圈建设",
              "text": (
                  "推动文化服务圈建设。深化市民修身行动，打造“漫步曹杨”主题。打造“一居一品”群文团队以及“居委学习示范点”。深入推动“三公里文化服务圈”建设，加强群众文体团队建设，积极探索社区活动"
                  "向社区单位、楼宇园区、“两新”组织的延伸拓展，力求使其成为凝聚区域力量的新载体。深化更好发挥社区教育发展联盟的作用，深化学习型社区创建的实效。通过文教、体教结合的方式，积极挖掘各类"
                  "教育资源。"
              ),
             },
             {"title": "丰富品牌项目建设",
              "text": (
                  "丰富品牌项目建设。深化“曹杨之春”“做一天曹杨人”“夕阳圆梦”“老妈妈合唱团”等一批历久弥新且独具特色的项目和品牌建设。深化拓展“星公益”系列活动，与“爱心暑托班”、“基层理论宣讲"
                  "团”强强联手，推动新社会阶层人士“星公益”斜杠课堂进校区、进园区、进小区，打造公益新品牌。深度融合街道文化和企业需求，推动文化进楼宇进企业，探索“文化搭台，经济唱戏”的融合发展之路"
                  "。"
              ),
             },
             {"title": "加强文化基础设施建设",
              "text": (
                  "加强文化基础设施建设。着力推进村史馆大修项目建设，整合村史馆及社区中心4-5层办公功能，优化升级展览流线。推进社区文化中心大修项目建设，优化功能布局，改善健身、交流、培训等活动空间"
                  "，妥善解决剧场部分房间供电不足、屋顶结构加固等问题。"
              ),
             },
         ],
        },
        {"number": 3, "title": "建设精神文明新高地",
         "tasks": [
             {"title": "持续推进文明城区创建",
              "text": "持续推进文明城区创建。依托武宁片区，积极建设街道新时代文明实践中心分中心，探索打造创新社会治理新载体。升级打造居民区志愿服务站点为新时代文明实践站，持续推进各实践站特色化打造。",
             },
             {"title": "深化群众性精神文明建设",
              "text": (
                  "深化群众性精神文明建设。积极推进文明社区、文明单位、文明行业、文明校园、文明家庭建设。深化创建长效机制，积极培育更多有影响力和生命力的群众性精神文明创建项目，深化特色品牌，推动创建"
                  "工作再上新台阶。"
              ),
             },
             {"title": "提高文明创建参与率",
              "text": (
                  "提高文明创建参与率。发挥党员干部的战斗堡垒、示范引领作用，持续开展环境卫生清洁、非机动车秩序维护等活动。加大“除陋习，践行‘新七不’规范”、“文明健康 有你有我”等弘扬时代新风行动"
                  "。加强对居民文明行为养成的常态化教育引导。推动非公有制经济组织、社会组织等多元主体参与精神文明创建，提升精神文明同创共建成效。"
              ),
             },
         ],
        },
    ]},
    {"number": 10, "title": "规划保障措施", "kind": "safeguards", "sections": [
        {"number": 1, "title": "加强党建引领",
         "tasks": [
             {"title": "发挥街道党组织总揽全局、协调各方的领导核心作用",
              "text": (
                  "发挥街道党组织总揽全局、协调各方的领导核心作用。统筹街道建设工作中的重大事项，督促检查规划贯彻实施情况，做到街道发展长期规划与解决当前突出问题有效结合，与普陀区国民经济和社会发展规"
                  "划有效结合，制订贯彻落实街道发展规划的实施意见或行动方案等。协调街道有关职能部门、委派单位、社区自治组织、社区社会组织以及社区居民，做到各司其职、紧密配合、通力合作，合力推进区域化"
                  "党建、社区共治和居民自治工作。"
              ),
             },
         ],
        },
        {"number": 2, "title": "完善规划实施",
         "tasks": [
             {"title": "完善规划实施",
              "text": (
                  "完善项目落实机制，明确责任分工，加强指导、统筹、协调，分解规划纲要确定的发展目标、重点任务和重大项目，明确牵头单位、工作责任、年度目标和推进举措，强化各部门主动与区有关单位的沟通协"
                  "调，积极争取各方支持。积极配合上海市、普陀区两级政府的相关规划、政策及项目在曹杨街道区域内的实施和落地，积极争取重大功能性项目的倾斜支持与增量配置，充分激活民间资本进入公共服务、基"
                  "础设施、环境保护等各领域的项目建设。"
              ),
             },
         ],
        },
        {"number": 3, "title": "实施监督评估",
         "tasks": [
             {"title": "实施监督评估",
              "text": (
                  "健全监督体系，重视群众和舆论监督，健全政府与企业园区、居民群众的信息沟通和交流机制，发挥媒体和社会舆论的监督作用，提高规划透明度，促进各类规划有效实施。完善规划监测评估机制，开展规"
                  "划纲要年度跟踪监测、中期评估和期末全面评估，及时跟进重大项目进展，完善规划主要指标监测、评估、考核制度，强化对约束性指标完成情况的评价考核。"
              ),
             },
         ],
        },
        {"number": 4, "title": "倡导广泛参与",
         "tasks": [
             {"title": "倡导广泛参与",
              "text": (
                  "广泛凝聚社会共识和各方力量，紧紧围绕规划的主要目标、任务和导向，提高街道居民对规划目标、惠民政策、文件精神、法律法规的知情度和参与度。充分利用线上线下手段，强化解读与告知，着力推进"
                  "规划实施的信息公开，健全政府与企业、群众的信息沟通和反馈机制。"
              ),
             },
         ],
        },
    ]},
]
