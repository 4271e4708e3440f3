"""安全隐患: e-bikes in lifts, e-bikes charged from trailing wires, blocked fire lanes and stairwells.

An e-bike taken up in a lift is 电瓶车入梯; charged from a wire run out of a window or a stairwell socket,
飞线充电; parked in the street, 非机动车乱停放 (streets.py). Clutter or an e-bike blocking a stairwell, and any
vehicle in a fire lane, are 消防通道占用; a car elsewhere is 机动车违停.
"""

from jiedao.cases.classifier.phrases.base import Phrases

PHRASES: dict[str, Phrases] = {
    "电瓶车入梯": Phrases(
        facts="""
            有人把{ebike}推进电梯
            {ebike}乘电梯上楼
            {who}推{ebike}进电梯，带回家充电
            电梯里经常有{ebike}
            电梯的阻车系统坏了，{ebike}又能进电梯了
            外卖员推着{ebike}坐电梯
            {who}把{ebike}带进电梯，别人都挤不进去
            {ebike}入户，停在家里充电
            {who}把{ebike}推上楼放在家里
            电梯阻车器报警了，{who}还是硬把{ebike}推进去
            {who}每天骑{ebike}进电梯回家
            {ebike}进电梯，太危险了，万一在电梯里起火
            电梯里停着一辆{ebike}
            物业不管，{ebike}照样进电梯
            {who}把{ebike}电瓶拆下来带进电梯拎回家
            电梯里都是{ebike}的轮胎印
            {who}拿东西把电梯门卡住，把{ebike}推进去
            高层住户的{ebike}都从电梯上楼
            {ebike}进电梯把电梯轿厢撞坏了
            {who}的{ebike}停在{floor}楼的楼道里，都是坐电梯上去的
            {who}用布把{ebike}盖起来，躲过识别推进电梯
            电梯里放了一辆{ebike}，人只能贴着墙站
            {who}骑{ebike}回来直接推进电梯，说他还凶
            {ebike}上电梯的现象还是很多，贴了告示也没用
        """,
        short="""
            电瓶车入梯
            电动自行车进电梯
            {ebike}入户
            电动车乘电梯上楼
            {ebike}进电梯
        """,
        effects="""
            电梯里起火逃都逃不掉
            太危险了
            大家坐电梯都提心吊胆
            别人都挤不进去
        """,
        asks="""
            要求安装电梯阻车系统
            请物业加强劝阻
            希望查处电瓶车进电梯
            请消防部门来管一管
        """,
        slots={
            "ebike": "电瓶车 电动自行车 电动车 助动车 电动滑板车 电瓶助力车 外卖电瓶车 电动摩托车",
            "floor": "十 十五 二十 十八 八 十二",
        },
    ),
    "飞线充电": Phrases(
        facts="""
            {who}从楼上窗户拉电线下来给{ebike}充电
            {who}私拉电线给{ebike}充电
            {place}有人飞线充电
            充电的电线横穿{crossing}
            楼道里私接插座给{ebike}充电
            {who}从家里接线到楼下充电
            插线板直接放在地上充{ebike}，下雨天很危险
            小区没有充电桩，到处都是飞线
            充电线挂在树上、窗外
            {who}偷接公共电源给{ebike}充电
            {who}从{floor}楼吊了一根电线下来充电
            {who}在车棚里私拉电线充电，电线都老化了
            {crossing}上拖着好几根电线，是给{ebike}充电的
            {who}把插座接到窗户外面，给{ebike}充电
            {who}用接线板从楼道电表箱接电充{ebike}
            {who}天天晚上拉线给{ebike}充电，线从窗口垂下来
            {place}的{ebike}都是飞线充电，乱七八糟的电线
            {who}拉了一根长长的电线到路边给{ebike}充电
            {who}在楼道里拉线充电，整晚都在充
            电线从阳台垂到楼下，接着{ebike}
            {who}私拉乱接电线充电，插头都烧黑了
            {who}从阳台垂下来一根插线板，楼下的{ebike}一辆接一辆在充
            {who}把电线拖过马路给{ebike}充电
            楼道的公共插座被人用来充{ebike}
            {crossing}里电线拉得像蜘蛛网，全是私接的
            {who}在窗外挂了个插座，给楼下的{ebike}充电
        """,
        short="""
            飞线充电
            私拉电线充电
            私接电源
            {ebike}飞线充电
            楼道私拉电线充电
        """,
        effects="""
            很容易着火
            下雨天会漏电
            小孩子碰到会触电
            万一起火后果不堪设想
        """,
        asks="""
            请拆除飞线
            希望小区建集中充电桩
            请物业来处理
            请消防部门检查一下
        """,
        slots={
            "ebike": "电瓶车 电动自行车 电动车 三轮车 助动车 电动汽车 电瓶 老年代步车",
            "crossing": "人行道 小区道路 楼道 绿化带 通道 车棚",
            "floor": "二 三 四 五 六",
        },
    ),
    "消防通道占用": Phrases(
        facts="""
            消防通道被{vehicle}占用
            {obstacle}堵住了消防通道
            楼道里堆满了{obstacle}
            安全出口被锁住了
            疏散通道里堆放了很多{obstacle}
            消防车道上停满了{vehicle}
            有人在消防通道上装地锁占车位
            消防栓被{obstacle}挡住了
            {who}在楼道里停电瓶车、堆纸箱，一旦着火跑不出去
            生命通道被堵了
            消防通道被划成了停车位
            {shop}把货物堆在消防通道上
            {vehicle}停在消防通道上，消防车根本进不来
            楼梯间被{obstacle}堵得只剩一条缝
            {who}把{obstacle}放在楼道里，{dur}了
            安全出口的门被{obstacle}挡住了
            {place}的消防通道天天被{vehicle}堵死
            {shop}的后门消防通道被封死了
            小区消防车道被占，{vehicle}停得满满的
            楼道堆物严重，{obstacle}占了半个楼梯
            {who}在楼道里堆放{obstacle}，说了也不搬
            疏散楼梯被当成仓库，堆满了{obstacle}
            消防通道上摆了{obstacle}
            {who}在消防通道上搭了个棚子
            {vehicle}长期占用消防通道，物业也不管
            消防车道的黄线上停着{vehicle}
            楼梯转角堆满了{obstacle}，人只能侧着身子过
            安全通道的门被铁链锁上了
            {who}在消防通道上放了{obstacle}，还装了地锁
            楼道里停了好几辆{obstacle}，晚上走路都会撞到
            标着消防车道的路上停满了{vehicle}
        """,
        short="""
            消防通道占用
            楼道堆物
            堵塞疏散通道
            消防车道被占
            安全出口堵塞
            占用消防通道
            生命通道被堵
        """,
        effects="""
            着火了人都跑不出去
            消防车进不来
            安全隐患太大了
            出了事谁负责
        """,
        asks="""
            请消防部门来检查
            要求清理楼道堆物
            希望在消防通道设置禁停标识
            请物业立即清理
            请派出所消防民警处理
        """,
        slots={
            "vehicle": "私家车 汽车 面包车 货车 车辆 电瓶车 快递车 外卖车",
            "obstacle": """杂物 纸板箱 旧家具 电瓶车 自行车 旧报纸 鞋柜 花盆 煤气罐 建材 货物 废品 泡沫箱
                           旧沙发 木板 柜子 婴儿车 三轮车 纸板 鞋架""",
            "shop": "饭店 商场 超市 菜场 商铺 仓库 宾馆 网吧",
        },
    ),
}
