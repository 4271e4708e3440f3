"""The facility types a new installation starts with (jiedao/facilities/defaults.py says where they come from);
staff change them in the admin."""

from django.db import migrations

# A copy of jiedao/facilities/defaults.py as it stood when this migration was written.
TYPES = [
    # 养老服务: the seed's 500 m 区域服务圈 …
    ("elderly_hub", "社区综合为老服务中心", "elderly", "15min", True, False, "床", ["综合为老服务中心"]),
    ("elderly_subcentre", "综合为老服务分中心", "elderly", "500m", True, False, "床", []),
    ("meal_point", "社区助餐点", "elderly", "500m", True, True, "座", ["长者食堂", "助餐点", "老年助餐点"]),
    ("elderly_culture", "老年文化活动中心", "elderly", "500m", True, False, "人", []),
    ("all_age_centre", "全龄共享交往中心", "elderly", "500m", True, False, "人", []),
    # … and its 200 m 基本服务圈
    ("jiuling_home", "久龄家园", "elderly", "200m", True, False, "人", []),
    ("shared_kitchen", "共享厨房", "elderly", "200m", True, False, "座", []),
    ("health_post", "健康互助驿站", "elderly", "200m", True, False, "人", []),
    ("elderly_room", "老年活动场所", "elderly", "200m", True, False, "人", ["老年活动室"]),
    ("day_care", "老年日间照料中心", "elderly", "10min", True, False, "人", ["日间照料中心"]),
    ("care_home", "长者照护之家", "elderly", "15min", True, False, "床", ["养老院", "养老机构"]),
    # 医疗卫生
    ("health_centre", "社区卫生服务中心", "health", "15min", False, False, "床", []),
    ("health_station", "社区卫生服务站", "health", "500m", True, True, "人次", ["卫生服务站", "卫生站"]),
    ("pharmacy", "药店", "health", "10min", False, False, "", ["社区药房"]),
    # 教育与托育
    ("nursery", "托育点", "education", "5min", False, False, "托位", ["托育园", "托育服务点"]),
    ("kindergarten", "幼儿园", "education", "5min", False, False, "人", []),
    ("primary_school", "小学", "education", "10min", False, False, "人", []),
    ("middle_school", "初中", "education", "15min", False, False, "人", ["中学"]),
    # 文化体育
    ("culture_centre", "社区文化活动中心", "culture_sport", "3000m", False, False, "人", []),
    ("culture_room", "居民区文化活动室", "culture_sport", "5min", False, False, "人", ["文化活动室"]),
    ("library", "社区图书馆", "culture_sport", "15min", False, False, "座", ["图书分馆"]),
    ("fitness_point", "市民益智健身苑点", "culture_sport", "5min", False, False, "", ["健身点"]),
    ("sports_centre", "市民健身中心", "culture_sport", "15min", False, False, "人", []),
    # 商业服务
    ("wet_market", "菜市场", "commerce", "10min", False, False, "摊位", ["标准化菜市场"]),
    ("convenience_store", "便利店", "commerce", "5min", False, False, "", []),
    ("repair_point", "便民服务点", "commerce", "10min", False, False, "", ["修补服务点"]),
    # 绿地公园
    ("park", "社区公园", "green", "15min", False, False, "", ["公园"]),
    ("pocket_park", "口袋公园", "green", "5min", False, False, "", ["街心花园"]),
    # 公共服务
    ("affairs_centre", "社区事务受理服务中心", "public", "15min", False, False, "", []),
    ("area_centre", "片区综合管理服务中心", "public", "10min", False, False, "", []),
    ("party_station", "党群服务站", "public", "5min", False, True, "", ["居民区党群服务站"]),
    ("self_service", "24小时一网通办自助终端", "public", "5min", False, True, "台",
     ["一网通办自助终端", "自助终端"]),
    ("neighbourhood_centre", "邻里中心", "public", "10min", False, False, "", ["睦邻中心"]),
]


def forwards(apps, schema_editor):
    FacilityType = apps.get_model("facilities", "FacilityType")
    for order, (code, name, category, circle, elderly, basic, unit, aliases) in enumerate(TYPES):
        FacilityType.objects.get_or_create(code=code, defaults={
            "name": name, "category": category, "circle": circle, "elderly": elderly, "basic": basic,
            "capacity_unit": unit, "aliases": aliases, "order": order * 10,
        })


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
