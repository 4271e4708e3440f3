"""The Caoyang Xincun demo subdistrict (曹杨新村街道, 普陀区), as data.

Names come from the seeds (the 14th Five-Year plan's estates, tables 1–3 and roads; its three 片区
武宁 / 梅岭南 / 梅岭北). Geometry is APPROXIMATE: a schematic layout around the real location
(31.24 N, 121.41 E) with the right size (about 2.1 km²), not survey data. Which 居委 lies in which 片区
is likewise schematic.
"""

SUBDISTRICT = {
    "code": "310107005",
    "name": "曹杨新村街道",
    "district": "普陀区",
    # lon_min, lat_min, lon_max, lat_max of the schematic outline
    "bbox": (121.4020, 31.2370, 121.4180, 31.2510),
}

# 片区: name, bbox, (rows, cols) of its 居委 cells, 居委 names in row-major order from the north-west.
AREAS = [
    ("梅岭北片区", (121.4020, 31.2440, 121.4100, 31.2510), (2, 3),
     ["曹杨一村", "北岭园", "兰岭园", "曹杨二村", "曹杨三村", "北杨园"]),
    ("梅岭南片区", (121.4020, 31.2370, 121.4100, 31.2440), (2, 3),
     ["曹杨四村", "南杨园", "桐柏园", "曹杨五村", "曹杨六村", "沙溪园"]),
    ("武宁片区", (121.4100, 31.2370, 121.4180, 31.2510), (3, 3),
     ["曹杨七村", "枣阳园", "兰溪园", "曹杨八村", "杏梅园", "花溪园", "曹杨九村", "桂巷新村", "金梅园"]),
]

# Grids per 居委 cell: rows × cols.
GRID_SPLIT = (2, 2)

# Roads from the plan (table 3 and its text), as schematic polylines [(lon, lat), ...].
ROADS = {
    "杨柳青路": [(121.4020, 31.2510), (121.4180, 31.2510)],
    "桂巷路": [(121.4100, 31.2475), (121.4180, 31.2475)],
    "枣阳路": [(121.4020, 31.2440), (121.4180, 31.2440)],
    "梅川路": [(121.4020, 31.2405), (121.4180, 31.2405)],
    "中宁路": [(121.4100, 31.2385), (121.4180, 31.2385)],
    "武宁路": [(121.4020, 31.2370), (121.4180, 31.2370)],
    "梅岭北路": [(121.4047, 31.2440), (121.4047, 31.2510)],
    "梅岭南路": [(121.4047, 31.2370), (121.4047, 31.2440)],
    "梅岭支路": [(121.4073, 31.2405), (121.4073, 31.2475)],
    "兰溪路": [(121.4100, 31.2370), (121.4100, 31.2510)],
    "杏山路": [(121.4140, 31.2370), (121.4140, 31.2510)],
    "曹杨路": [(121.4180, 31.2370), (121.4180, 31.2510)],
}
ROAD_ALIASES = {"曹杨路": ["曹杨公路"], "武宁路": ["武宁路段"]}

# Door plates of estates that the plan names explicitly (兰溪路 200 弄, 梅川路 141 弄); others get a
# lane on their nearest road.
FIXED_LANES = {"兰溪园": ("兰溪路", "200"), "沙溪园": ("梅川路", "141")}

# Extra estates (大楼) named in table 2, inside a 居委.
EXTRA_ESTATES = {"枣阳园": ["中桥大楼"], "兰溪园": ["兰花大楼"]}

# Buildings per 居委 (the old 新村 are denser), roughly 2,000 in all.
BUILDINGS_PER_COMMUNITY = 95

DEPARTMENTS = [
    ("CGZD", "城管执法中队", "handler"),
    ("SCJG", "市场监督管理所", "functional"),
    ("FGB", "房管办", "functional"),
    ("LHSR", "绿化市容管理所", "handler"),
    ("PCS", "曹杨新村派出所", "functional"),
    ("SWS", "水务管理所", "handler"),
    ("FWB", "社区服务办公室", "office"),
    ("GLB", "社区管理办公室", "office"),
    ("ZZB", "社区自治办公室", "office"),
    ("PAB", "社区平安办公室", "office"),
    ("WYGS", "物业服务企业联勤站", "handler"),
    ("JSZX", "城市建设管理中心", "functional"),
]

# The two smaller subdistricts from the second seed, to exercise tenancy. Codes follow the scheme;
# geometry is schematic.
SMALL_SUBDISTRICTS = [
    {
        "code": "310112009", "name": "古美路街道", "district": "闵行区",
        "bbox": (121.3880, 31.1470, 121.3980, 31.1560),
        "area": "古美片区", "communities": ["古美一村", "古美二村", "平吉一村"],
        "roads": {"古美路": [(121.3880, 31.1515), (121.3980, 31.1515)],
                  "平吉路": [(121.3930, 31.1470), (121.3930, 31.1560)]},
    },
    {
        "code": "310101015", "name": "打浦桥街道", "district": "黄浦区",
        "bbox": (121.4630, 31.2010, 121.4730, 31.2090),
        "area": "打浦桥片区", "communities": ["瑞金南路居委", "建国新村", "丽园居委"],
        "roads": {"瑞金南路": [(121.4680, 31.2010), (121.4680, 31.2090)],
                  "建国中路": [(121.4630, 31.2050), (121.4730, 31.2050)]},
    },
]
