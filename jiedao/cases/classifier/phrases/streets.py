"""街面秩序 and the street facilities of 设施管理 (路灯, 井盖): how people describe them.

Lines drawn between neighbours: a car on the pavement is 机动车违停, but a car (or anything) in a fire lane is
消防通道占用 (housing.py); bicycles and e-bikes parked in the street are 非机动车乱停放, an e-bike in a lift is
电瓶车入梯; noise from dogs is 犬只扰民, every other noise 噪音扰民; a shop's goods or a stall on the pavement
are 占道经营, its sign or a board advertising it 广告店招.
"""

from jiedao.cases.classifier.phrases.base import Phrases

PHRASES: dict[str, Phrases] = {
    "占道经营": Phrases(
        facts="""
            {place}有流动摊贩卖{goods}
            {shop}把货架摆到人行道上做生意
            {shop}出店经营，{goods}摆了一地
            {place}有人摆摊设点卖{goods}
            夜排档占了半条马路，桌子一直摆到路中间
            马路菜场又出来了，{place}全是卖{goods}的
            有人骑着三轮车停在{place}卖{goods}
            {shop}在门口人行道上摆桌子椅子做生意
            {repair}占道{repair_act}，人行道上全是油污
            {place}的地摊越来越多了
            占道经营很严重，城管一来就跑，走了又摆回来
            {shop}把{stuff}都放到店外面来了
            早点摊占用人行道卖{goods}
            {place}有人推着小车卖{goods}，一直到半夜
            {shop}跨门营业，{goods}堆到了马路上
            小贩在{place}铺了塑料布卖{goods}
            {place}一到晚上就摆满了摊位
            流动摊贩在{place}叫卖{goods}
            {shop}占用公共通道堆货卖货
            {place}有人用面包车后备箱卖{goods}
            摊贩占用盲道卖{goods}
            {place}的{goods}摊子把路都堵了
            {shop}在门口搭了个摊子卖{goods}
            夜市摊点占道经营，油烟垃圾一大堆
            卖{goods}的把{stuff}摆到了马路上
            {place}全是卖{goods}的小推车
            {shop}把炉灶搬到门口来做，桌子摆到马路边
            {place}有人铺了一块布卖{goods}
            {place}的摊贩越来越多，把人行道占满了
            {shop}门口摆满了{stuff}，人只能从边上挤过去
            {seller_vehicle}停在{place}卖{goods}
            有人开着{seller_vehicle}在{place}摆摊卖{goods}
        """,
        short="""
            占道经营
            出店经营
            流动摊贩
            跨门营业
            乱设摊
            {place}设摊
            占道设摊
            {shop}出店经营
            占道{repair_act}
        """,
        effects="""
            行人只能走到机动车道上
            到处都是垃圾污水
            交通都堵住了
            轮椅婴儿车都过不去
            吵吵闹闹的
        """,
        asks="""
            请城管来整治
            要求取缔流动摊贩
            希望长效管理
            请城管执法部门处理
            希望规范设摊
        """,
        slots={
            "goods": """水果 蔬菜 小吃 烧烤 炒面 煎饼 衣服 袜子 手机壳 鲜花 旧货 鞋子 玩具 海鲜 早点 大饼油条
                        臭豆腐 烤红薯 小龙虾 日用品 盗版光碟 小百货 炒饭 糖炒栗子 烤肠 棉花糖 手机贴膜 活鱼 鸡鸭
                        盆栽""",
            "stuff": "冰柜 货架 促销台 桌椅 纸箱 货物 花盆 衣架",
            "repair": "汽修店 洗车店 电瓶车修理铺 自行车修理摊 修鞋摊",
            "repair_act": "修车 洗车 维修",
            "seller_vehicle": "货车 小货车 面包车 三轮车 卡车 皮卡",
        },
    ),
    "非机动车乱停放": Phrases(
        facts="""
            {place}的{bike}乱停乱放
            {bike}停在盲道上
            {bike}把{place}堵死了
            {place}堆满了{bike}
            {place}共享单车淤积，{bikepile}
            {bike}停在人行道中间，人都走不过去
            车棚空着不停，{bike}都停在{place}
            车棚里的僵尸自行车{dur}没人动，占着位置
            {place}非机动车停放无序，{bikepile}
            {bike}横七竖八倒在地上
            共享单车被人扔进了河里
            {bike}把{shop}门口堵死了
            {bike}停在{place}，挡住了出入口
            {place}的{bike}停了一大片，轮椅都推不过去
            {place}的{bike}停得乱七八糟
            {bike}占用非机动车道停放
            {bike}停在公交站台旁边，乘客上下车不方便
            小区门口的{bike}没人管理，乱停一气
            {place}堆了几百辆{bike}，{bikepile}
            共享单车运维不来清理，{place}全是单车
            {bike}停在{place}的机动车道上
            废弃的{bike}堆在{place}，轮子都没了
            {bike}停在小区出入口，车子都进不来
            {place}没有非机动车停放点，{bike}随便乱停
            {place}全被{bike}占了
            {bike}一直排到马路上，出门要绕一大圈
            车棚里一堆没人要的破自行车，锁都锈死了
            {bike}乱扔，连楼道口都有
            {place}的{bike}把路堵得只剩一条缝
        """,
        short="""
            非机动车乱停放
            共享单车堆积
            {bike}乱停
            僵尸自行车
            非机动车占用盲道
            {place}非机动车停放无序
            共享单车乱停放
        """,
        effects="""
            人都走不过去
            老人被绊倒过
            推婴儿车都没法走
            特别影响市容
            出入很不方便
        """,
        asks="""
            请共享单车公司来清理
            希望划定非机动车停放区域
            请城管整治
            希望多设几个停车点
            请清理僵尸车
        """,
        slots={
            "bike": """共享单车 自行车 电瓶车 电动自行车 电动车 哈啰单车 美团单车 助动车 三轮车 外卖电动车
                       快递三轮车 单车 摩拜单车 非机动车 小黄车 青桔单车 外卖骑手的车 快递小哥的车 黄的蓝的单车""",
            "bikepile": "横七竖八的 堆成了山 倒了一地 一排排的 挤得满满的",
        },
    ),
    "机动车违停": Phrases(
        facts="""
            {car}停在人行道上
            {place}有人乱停车
            {car}在{place}双排停放
            {car}堵住了{gate}
            {car}长期占用公交车站
            {car}停在盲道上
            {car}在路口违停，挡住了视线
            有辆{car}停在{place}{dur}没动过，是僵尸车
            {car}停在非机动车道上
            接送孩子的{car}在{place}乱停
            {place}机动车违法停车很严重
            {car}停在斑马线上
            晚上{road}两侧停满了{car}
            {car}违停堵住路，打挪车电话也不接
            有人把{car}停在{gate}，别人进不去出不来
            {car}占用人行道停放，行人只能走马路
            {road}上{car}乱停，造成交通拥堵
            {car}停在小区门口的黄线上
            {car}停在{place}占了半条路
            {place}路边违停的{car}越来越多
            {car}停在禁停路段，一停就是一整天
            {car}停在{gate}，{dur}了
            外地牌照的{car}长期停放在{road}边上
            {place}有好几辆{car}违停，{when}都这样
            {car}在公交专用道上停车
            饭店的客人把{car}停在人行道上吃饭
            {car}停了{dur}没动过，轮胎都瘪了，落满了灰
            僵尸车停在{place}，车身上全是{dirt}
            {car}占着{gate}，车上也没留电话
            {place}家长接孩子的{car}停成两排
            {place}马路两边全停满了{car}，公交车都过不去
            {car}停在{place}，把人行道占了，推婴儿车只能走机动车道
            {car}停在{place}把路堵死了，救护车消防车都进不来
            {when}都有{car}停在{gate}，进出都不方便
        """,
        short="""
            机动车违停
            违法停车
            {car}违停
            僵尸车
            占用人行道停车
            {place}乱停车
            双排停车
            机动车占用{lane}
            {car}占用{lane}停放
        """,
        effects="""
            行人只能走马路
            交通堵得一塌糊涂
            早晚高峰特别堵
            救护车开不进来
            很容易出事故
        """,
        asks="""
            请交警来贴罚单
            希望加装违停抓拍
            要求拖走车辆
            请交警部门处理
            希望加强违停管理
        """,
        slots={
            "car": """汽车 私家车 小轿车 面包车 货车 大货车 出租车 网约车 渣土车 外地牌照车 商务车 轿车 小车
                      SUV 厢式货车 机动车 车辆 车子 小汽车""",
            "gate": "车库门口 小区大门 单元门口 店门口 学校门口 仓库门口 弄堂口 停车场出口",
            "dirt": "灰 鸟屎 树叶 罚单 落叶",
            "lane": "人行道 盲道 非机动车道 公交车道 公交站台 斑马线 消防栓前 小区出入口",
        },
    ),
    "噪音扰民": Phrases(
        facts="""
            {source}太吵了
            {source}{when}还在{noise}
            隔壁装修，{when}就开始{noise}
            工地夜间施工，{noise}
            广场舞的音响声音开得太大
            楼上{when}{thump}，咚咚咚的
            {shop}门口的音响放得震天响
            {source}噪音很大，{when}都这样
            {when}{noise}的声音很大，根本睡不着
            夜间施工噪音扰民，半夜还在打桩
            楼上跺脚、拖椅子、摔东西，{when}不停
            邻居半夜唱歌喝酒吵闹
            {device}{when}嗡嗡响
            清早{source}就在{noise}
            商店门口的喇叭循环叫卖，吵死了
            {source}{noise}，声音大得窗户都在震
            楼下{source}的噪声太大
            {when}{source}吵吵闹闹，一直到凌晨
            {device}噪音超标，{when}都在响
            {source}的噪音扰民问题{dur}了
            装修队周末也在{noise}
            楼上邻居{when}{thump}，说了也没用
            {shop}晚上营业声音太大，客人大声喧哗
            马路上改装车{when}轰油门炸街
            {source}{when}放音乐
            隔壁{when}{noise}，墙都在震
            楼上{when}拖东西，{furniture}在地板上拉来拉去
            {place}有人拿着音箱唱歌，一直唱到很晚
            {device}整夜嗡嗡响，吵得人神经衰弱
            隔壁邻居{when}吵架摔东西
            {source}{when}就开始轰轰轰
            {place}{when}放高音喇叭，吵死人
            {source}{when}{sound}的，吵得人睡不着
            {when}{source}还在{sound}地响
            {source}{sound}个不停，打电话投诉了好几次都没人管
        """,
        short="""
            噪音扰民
            夜间施工噪音
            装修噪音
            广场舞噪音
            社会生活噪音
            {source}噪音
            设备噪音扰民
            施工噪音扰民
        """,
        effects="""
            吵得睡不着觉
            孩子没法写作业
            老人心脏受不了
            都快神经衰弱了
            第二天上班都没精神
            整夜失眠
        """,
        asks="""
            要求停止夜间施工
            希望控制一下音量
            请环保部门来测噪音
            请派出所来处理
            请城管查处夜间施工
        """,
        slots={
            "source": """楼上邻居 隔壁装修 工地 广场舞 KTV 酒吧 商铺音响 空调外机 棋牌室 菜场卸货 改装车
                         夜宵店 水泵房 变压器 健身房 琴房 楼上小孩 隔壁邻居 对面工厂 施工队 幼儿园 培训班
                         烧烤摊 快递站""",
            "noise": """敲敲打打 电钻打墙 电锯切割 唱歌 打麻将 放音乐 拖家具 跳绳 弹琴 吵架 卸货 机器轰鸣
                        鸣喇叭 切割钢筋 打桩 搅拌混凝土 大声喧哗 砸墙 蹦迪""",
            "thump": "跳绳 跺脚 拖椅子 砸东西 小孩跑来跑去 拍球 走路很重 敲地板",
            "device": "空调外机 冷却塔 水泵 变压器 排风机 发电机 鼓风机 冷库压缩机",
            "furniture": "椅子 桌子 凳子 柜子 床",
            "sound": "轰隆隆 咚咚咚 叮叮当当 嗡嗡嗡 砰砰砰 哐哐哐 吵吵嚷嚷",
            "shop": "服装店 手机店 超市 药店 理发店 商场 水果店 奶茶店",
        },
    ),
    "犬只扰民": Phrases(
        facts="""
            {who}家的{dog}整天叫个不停
            {dog}{when}狂吠，吵得人睡不着
            {who}遛{dog}不拴绳
            {dog}在小区里咬人了
            {dog}随地大小便，主人也不清理
            {who}在家里养了好几条狗，臭味很大
            小区里有人养烈性犬，出门也不拴
            {place}流浪狗成群，晚上乱叫
            {who}家的狗没办证，也没打疫苗
            {dog}追着小孩跑，把孩子吓哭了
            {place}的狗屎到处都是，一不小心就踩到
            主人把{dog}关在阳台上，一直叫
            {who}在楼道里养狗，气味很大
            {who}家的{dog}{when}叫，{dur}了
            养狗的人不牵绳，{dog}扑人
            {dog}把路过的老人咬伤了
            {who}的{dog}冲着路人狂叫
            {place}有人遛狗不清理粪便
            {who}养的{dog}很凶，小区里的人都怕
            {dog}半夜一直嚎叫，我们一家都被吵醒
            {who}养了{n}条{dog}，吵得整栋楼不得安宁
            {dog}在电梯里撒尿，主人装作没看见
            {who}家的狗白天没人在家就一直叫
            {place}遛狗的人很多，{dog}到处乱跑
            {dog}不戴嘴套，看到人就扑上来
            {who}家的{dog}叫声扰民，沟通过很多次了
            阳台上拴着一条{dog}，有人路过就叫
            {who}在楼道里放了狗笼子，{dog}又叫又臭
            {place}全是狗大便，一踩一脚
            {dog}冲过来，把孩子吓得直哭
            {dog}又咬人了，这个月已经好几次了
        """,
        short="""
            犬只扰民
            遛狗不拴绳
            犬吠扰民
            违规饲养烈性犬
            犬只伤人
            犬只粪便未清理
            流浪犬聚集
            不文明养犬
        """,
        effects="""
            晚上根本睡不着
            小孩子都不敢下楼
            老人出门都害怕
            楼道里臭烘烘的
            吵得人心烦意乱
        """,
        asks="""
            希望养狗的人文明养犬
            请派出所来处理
            要求查处违规养犬
            请把流浪狗抓走
            请居委会协调一下
        """,
        slots={
            "dog": """狗 大狗 小狗 泰迪 金毛 柯基 哈士奇 狼狗 烈性犬 流浪狗 宠物狗 大型犬 藏獒 比特犬 土狗
                      阿拉斯加 萨摩耶 德牧 狗狗 大黄狗 大黑狗 黄狗 黑狗 串串""",
        },
    ),
    "路灯损坏": Phrases(
        facts="""
            {place}的{lamp}不亮了
            {lamp}坏了好几盏
            {lamp}一闪一闪的
            {lamp}白天亮着，晚上反而不亮
            {lamp}的灯杆被车撞歪了
            {lamp}的灯罩掉了
            {lamp}的检修门开着，电线都露在外面
            {road}整条路的{lamp}都黑了
            {lamp}线路故障，一片漆黑
            晚上{place}一片漆黑，{lamp}坏了没人修
            {lamp}不亮{dur}了
            {place}的{lamp}时亮时不亮
            {lamp}灯杆倾斜，随时会倒
            {lamp}的灯泡坏了
            {road}的{lamp}损坏，夜间照明不足
            {lamp}亮度太暗，跟没有一样
            {place}好几根{lamp}都是坏的
            {lamp}的灯头掉下来吊在半空
            {lamp}被树枝挡住了，再加上坏了一盏，晚上看不清路
            {lamp}底座松动，灯杆晃动
            {place}的{lamp}从来没亮过
            {road}晚上黑咕隆咚的，{lamp}好久都不亮了
            {lamp}一直闪，像坏掉一样
            {lamp}歪了，快要倒在马路上
            {place}的{lamp}全坏了，{dur}没人修
        """,
        short="""
            路灯不亮
            路灯损坏
            {lamp}故障
            灯杆倾斜
            路灯检修门缺失
            {lamp}不亮
            照明设施损坏
        """,
        effects="""
            晚上走路看不见
            老人出门很不方便
            晚上回家心里害怕
            容易摔跤
            治安也不好
        """,
        asks="""
            请路灯管理部门来修
            希望尽快恢复照明
            请尽快更换灯泡
            请把灯杆扶正
        """,
        slots={
            "lamp": """路灯 庭院灯 景观灯 草坪灯 步道灯 高杆灯 小区路灯 马路灯 弄堂路灯 桥上的路灯 道路照明灯 灯柱子
                       地灯 灯杆 照明设施""",
        },
    ),
    "井盖问题": Phrases(
        facts="""
            {place}的{cover}不见了
            {cover}破了，碎成几块
            {cover}松动，车子开过去咣当咣当响
            {cover}下沉，比路面低了一截
            {cover}凸起来，高出路面一大块
            {cover}被人偷走了
            {cover}移位了，露出半个井口
            {cover}丢了，只用{temp}挡着
            {cover}翘起来了，有人被绊倒
            {cover}周边路面破碎，{cover}都陷下去了
            {road}上有个{cover}缺失，很危险
            {cover}裂开了，踩上去会晃
            {cover}盖不严，留着一条缝
            {place}的{cover}塌了
            {cover}响声很大，每辆车开过都哐当一声
            {cover}破损，小孩差点掉下去
            {cover}和路面不平，自行车经过会颠倒
            {cover}被车压坏了
            {cover}下面是空的，盖子已经断裂
            {cover}不知道被谁掀开了
            {place}的{cover}锈烂了
            {cover}一边高一边低，走路会崴脚
            {cover}碎掉一半，用{temp}盖着
            {cover}陷下去十几公分
            {cover}翘起来，把人绊倒了
        """,
        short="""
            井盖缺失
            井盖破损
            井盖松动
            井盖下沉
            井盖移位
            {cover}缺失
            {cover}破损
            井盖异响
        """,
        effects="""
            晚上看不见容易掉下去
            很危险
            小孩子经过太危险了
            车子经过差点翻车
        """,
        asks="""
            请尽快补装井盖
            请权属单位来处理
            希望尽快更换
            请先设置警示标志
        """,
        slots={
            "cover": """井盖 窨井盖 雨水井盖 污水井盖 电力井盖 通信井盖 自来水井盖 燃气井盖 下水道井盖
                        检查井盖 雨水箅子 电信井盖 圆铁盖子 井口盖子 盖板""",
            "temp": "一块木板 一个塑料桶 几块砖头 锥桶 树枝",
        },
    ),
}
