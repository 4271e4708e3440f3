"""The facility types (设施类型) the platform ships with; staff change them in the admin.

They cover the seed's lists (the elderly's 500 m 区域服务圈 and 200 m 基本服务圈, 古美路's 15 分钟养老服务圈, the
片区's 综合管理服务中心, the 三公里文化服务圈) and the categories of the Shanghai 15-minute community life-circle
planning guideline (上海市15分钟社区生活圈规划导则): elderly care, health, education and childcare, culture
and sport, commerce, green space and public service, with the 24-hour 一网通办 self-service terminals.

Each type has its standard circle (``circle``: the reach the plan asks of it), whether it serves the
elderly (``elderly``: weighted by residents aged 60+, measured at the elderly's walking speed) and whether it
counts for the 5 分钟基本公共服务圈 (``basic``: planning's indicator ``facilities.households_within_5min``).
Migration 0002 installs them; the names are marked with ``gettext_noop`` so that they read in English.
"""

from django.utils.translation import gettext_noop

# code, name, category, circle, elderly, basic, capacity unit, other names accepted on import
TYPES = [
    # 养老服务: the seed's 500 m 区域服务圈 …
    ("elderly_hub", gettext_noop("社区综合为老服务中心"), "elderly", "15min", True, False, "床", ["综合为老服务中心"]),
    ("elderly_subcentre", gettext_noop("综合为老服务分中心"), "elderly", "500m", True, False, "床", []),
    ("meal_point", gettext_noop("社区助餐点"), "elderly", "500m", True, True, "座",
     ["长者食堂", "助餐点", "老年助餐点"]),
    ("elderly_culture", gettext_noop("老年文化活动中心"), "elderly", "500m", True, False, "人", []),
    ("all_age_centre", gettext_noop("全龄共享交往中心"), "elderly", "500m", True, False, "人", []),
    # … and its 200 m 基本服务圈
    ("jiuling_home", gettext_noop("久龄家园"), "elderly", "200m", True, False, "人", []),
    ("shared_kitchen", gettext_noop("共享厨房"), "elderly", "200m", True, False, "座", []),
    ("health_post", gettext_noop("健康互助驿站"), "elderly", "200m", True, False, "人", []),
    ("elderly_room", gettext_noop("老年活动场所"), "elderly", "200m", True, False, "人", ["老年活动室"]),
    ("day_care", gettext_noop("老年日间照料中心"), "elderly", "10min", True, False, "人", ["日间照料中心"]),
    ("care_home", gettext_noop("长者照护之家"), "elderly", "15min", True, False, "床", ["养老院", "养老机构"]),
    # 医疗卫生
    ("health_centre", gettext_noop("社区卫生服务中心"), "health", "15min", False, False, "床", []),
    ("health_station", gettext_noop("社区卫生服务站"), "health", "500m", True, True, "人次", ["卫生服务站", "卫生站"]),
    ("pharmacy", gettext_noop("药店"), "health", "10min", False, False, "", ["社区药房"]),
    # 教育与托育
    ("nursery", gettext_noop("托育点"), "education", "5min", False, False, "托位", ["托育园", "托育服务点"]),
    ("kindergarten", gettext_noop("幼儿园"), "education", "5min", False, False, "人", []),
    ("primary_school", gettext_noop("小学"), "education", "10min", False, False, "人", []),
    ("middle_school", gettext_noop("初中"), "education", "15min", False, False, "人", ["中学"]),
    # 文化体育
    ("culture_centre", gettext_noop("社区文化活动中心"), "culture_sport", "3000m", False, False, "人", []),
    ("culture_room", gettext_noop("居民区文化活动室"), "culture_sport", "5min", False, False, "人", ["文化活动室"]),
    ("library", gettext_noop("社区图书馆"), "culture_sport", "15min", False, False, "座", ["图书分馆"]),
    ("fitness_point", gettext_noop("市民益智健身苑点"), "culture_sport", "5min", False, False, "", ["健身点"]),
    ("sports_centre", gettext_noop("市民健身中心"), "culture_sport", "15min", False, False, "人", []),
    # 商业服务
    ("wet_market", gettext_noop("菜市场"), "commerce", "10min", False, False, "摊位", ["标准化菜市场"]),
    ("convenience_store", gettext_noop("便利店"), "commerce", "5min", False, False, "", []),
    ("repair_point", gettext_noop("便民服务点"), "commerce", "10min", False, False, "", ["修补服务点"]),
    # 绿地公园
    ("park", gettext_noop("社区公园"), "green", "15min", False, False, "", ["公园"]),
    ("pocket_park", gettext_noop("口袋公园"), "green", "5min", False, False, "", ["街心花园"]),
    # 公共服务
    ("affairs_centre", gettext_noop("社区事务受理服务中心"), "public", "15min", False, False, "", []),
    ("area_centre", gettext_noop("片区综合管理服务中心"), "public", "10min", False, False, "", []),
    ("party_station", gettext_noop("党群服务站"), "public", "5min", False, True, "", ["居民区党群服务站"]),
    ("self_service", gettext_noop("24小时一网通办自助终端"), "public", "5min", False, True, "台",
     ["一网通办自助终端", "自助终端"]),
    ("neighbourhood_centre", gettext_noop("邻里中心"), "public", "10min", False, False, "", ["睦邻中心"]),
]
