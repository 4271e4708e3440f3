"""市场监管 and 社区服务: how people describe them.

养老服务需求 is a request for a service (meals, care at home, day care, a bed, adaptations), often for an
elderly person who lives alone; 独居老人异常 is a sign that something has happened to one (not seen for
days, no answer, post piling up, a fall, a smell), which the 居委 must check at once.
"""

from jiedao.cases.classifier.phrases.base import Phrases

PHRASES: dict[str, Phrases] = {
    "食品安全": Phrases(
        facts="""
            {seller}在卖过期的{food}
            吃了{seller}的东西以后{sick}
            {food}里吃出了{foreign}
            {seller}没有营业执照和食品经营许可证
            {seller}后厨很脏，有老鼠蟑螂
            {seller}用地沟油
            {seller}卖三无食品
            变质的{food}还在卖
            {seller}的从业人员没有健康证
            菜场卖注水肉、病死猪肉
            点的外卖有问题，吃完{sick}
            {seller}生熟不分，切完生肉直接切熟食
            {seller}的{food}发霉了还在卖
            {seller}卖的{food}已经过了保质期
            在{seller}买的{food}有股怪味
            {seller}把过期的{food}改了日期重新卖
            {seller}食材直接放在地上，卫生太差
            {seller}用工业原料加工{food}
            {seller}的餐具不消毒，油腻腻的
            {seller}无证经营，在家里做{food}卖
            孩子吃了学校附近{seller}的{food}，{sick}
            {seller}卖的{food}包装上没有生产日期
            {seller}的冰柜坏了，{food}都化了还在卖
            {seller}的{food}里有{foreign}，老板不承认
            {seller}的厨师不戴口罩、不戴帽子，很不卫生
            {seller}的碗筷没洗干净，上面还有菜渣
            {seller}做{food}不洗手，苍蝇在上面飞
            买回来的{food}是馊的，{seller}还说新鲜
            {who}自己在家做{food}卖，没有任何证照
            {seller}把过期的{food}放在货架上卖给小孩
        """,
        short="""
            食品安全
            销售过期食品
            无证经营餐饮
            食品卫生差
            疑似食物中毒
            {seller}食品安全问题
            三无食品
        """,
        effects="""
            孩子还在医院挂水
            一家人都拉肚子
            太不放心了
            吃了以后浑身不舒服
        """,
        asks="""
            请市场监管部门查处
            要求赔偿并处罚商家
            请食药监部门来检查
            希望加强食品安全检查
        """,
        slots={
            "seller": """超市 便利店 小卖部 饭店 外卖商家 熟食店 面包店 菜场摊位 早餐店 奶茶店 学校食堂 食堂
                         烧烤店 小吃店 网店 蛋糕店 水果店 肉摊""",
            "food": """牛奶 面包 熟食 猪肉 海鲜 零食 饮料 蛋糕 盒饭 酸奶 鸡蛋 月饼 速冻水饺 辣条 米粉 豆制品
                       奶粉 卤菜 外卖""",
            "foreign": "头发 虫子 苍蝇 钢丝球 塑料片 蟑螂 玻璃碴 指甲 石子",
            "sick": "上吐下泻 肚子疼 食物中毒 发烧拉肚子 过敏起疹子 进了医院",
        },
    ),
    "劳动纠纷": Phrases(
        facts="""
            {employer}拖欠工资{months}个月了
            老板欠薪跑路了
            {employer}不和我签劳动合同
            {employer}不给交社保
            被{employer}无故辞退，一分补偿都没有
            {employer}加班不给加班费
            工作时受了伤，{employer}不认工伤
            包工头拖欠农民工工资
            {employer}扣着我的身份证和押金不还
            试用期被辞退，工资也不结
            {employer}逼我自己辞职，不想给补偿
            {employer}给的工资低于最低工资标准
            {employer}拖欠{many}个工人的工资
            我在{employer}干了{months}个月，工资一直拖着不发
            {employer}随便扣工资，罚款比工资还多
            离职以后{employer}不给结工资
            {employer}经营不下去了，欠了员工{months}个月工资
            {employer}每天让我们干十二个小时，也没有加班费
            {employer}不给休年假，也不给补
            {employer}说我违反规定，把工资全扣了
            {employer}让我签空白合同
            工地做完了，{employer}一直拖着不给工钱
            {employer}克扣工资，还拖欠社保
            我被{employer}开除了，想申请劳动仲裁
            {employer}用各种理由不发工资
            走的时候{employer}扣了我{money}说是押金
            {employer}说效益不好，先发一半工资，后面一直没补
            {employer}不给我结工钱，还诬赖我
            {employer}把我调到外地，我不去就说我旷工要开除
            {employer}卷着我们{many}个人的工钱跑了
        """,
        short="""
            劳动纠纷
            拖欠工资
            欠薪
            未签劳动合同
            未缴纳社保
            违法解除劳动合同
            工伤认定纠纷
        """,
        effects="""
            家里都快揭不开锅了
            房租都交不起了
            过年都回不了家
            找了很多次都没用
        """,
        asks="""
            请劳动监察部门介入
            希望帮忙讨回工资
            想问申请劳动仲裁要怎么办
            要求公司支付补偿金
            请人社部门处理
        """,
        slots={
            "employer": """公司 老板 饭店老板 工厂 包工头 装修公司 物流公司 外卖站点 快递公司 保洁公司 培训机构
                           超市 单位 用人单位 工地老板 劳务公司 中介 雇主 家政公司 东家 餐馆老板""",
            "months": "两 三 四 五 六 半 好几",
            "money": "两千块 三千块 一个月工资 五百块 全部工资",
        },
    ),
    "养老服务需求": Phrases(
        facts="""
            想为家里老人申请{service}
            家里老人{condition}，需要{service}
            长护险怎么申请，要准备什么材料
            想给家里做适老化改造，{adapt}
            想找一家日间照料中心，白天照顾一下老人
            附近养老院还有没有床位
            社区什么时候能有老年食堂
            老人需要上门护理服务
            想借{aid}给老人用
            想给独居的父母装紧急呼叫设备
            小区里老年活动室太少了
            高龄津贴怎么申请
            家里有失能老人，想申请照护服务
            想了解居家养老服务怎么收费
            老人想报名社区助餐点
            {relation}年纪大了行动不便，想申请{service}
            {relation}一个人住，想申请{service}
            {relation}{condition}，家里人白天要上班，没人照顾
            想给{relation}申请长护险评估
            社区有没有上门{home_service}的服务
            老人想去长者照护之家住一段时间
            {relation}刚出院，需要有人上门护理
            想咨询一下助老服务，{relation}{condition}
            能不能安排助老员定期上门看看{relation}
            老年人助餐点的饭菜能不能送上门
            想申请{aid}，听说街道有补贴
            希望小区增加养老服务设施
            {relation}想住养老院，哪里有公办的
            想给{relation}办理老年综合津贴
            {relation}{condition}，我一个人照顾不过来，想找人上门帮忙
            听说社区有老人免费体检，在哪里报名
            老人想白天有个地方{activity}
            想给{relation}家里装{device}，街道有没有这个项目
            {relation}下不了楼，能不能把饭送到家里
            {relation}中风以后躺在床上，想申请护理服务
        """,
        short="""
            养老服务需求
            申请老年助餐
            申请长护险
            居家养老服务需求
            申请适老化改造
            养老床位咨询
            助老服务需求
        """,
        effects="""
            家里实在照顾不过来
            子女都不在身边
            老人一个人吃饭很成问题
            我们上班根本顾不上
        """,
        asks="""
            请社区帮忙安排
            希望告诉我办理流程
            请居委会帮忙对接
            希望尽快落实
        """,
        slots={
            "service": """助餐服务 长护险 居家护理 上门助浴 助洁服务 日间照料 家庭病床 送餐上门 上门理发
                          养老顾问服务 老年助餐 居家养老服务 护理补贴""",
            "condition": "行动不便 腿脚不好 有点老年痴呆 瘫痪在床 刚做完手术 年纪大了 失能 眼睛看不清",
            "adapt": "卫生间装扶手 地面防滑 浴缸改淋浴 门口装坡道",
            "aid": "轮椅 助行器 护理床 拐杖 助听器",
            "relation": "我妈 我爸 我父亲 我母亲 家里老人 爷爷 奶奶 外婆 外公 老伴 我父母",
            "home_service": "助浴 助洁 理发 做饭 陪同就医 打扫卫生",
            "activity": "坐坐聊天 下棋打牌 唱歌跳舞 吃个午饭 做做康复",
            "device": "燃气报警器 烟感 紧急呼叫器 一键通 扶手",
        },
    ),
    "独居老人异常": Phrases(
        facts="""
            {neighbour}独居的{elder}{days}没出门了
            敲{elder}家的门没人应
            {elder}家门口的{pile}堆了{days}了
            {elder}的电话{days}都打不通
            {elder}家里的灯{days}一直亮着，没动静
            {elder}家里传出一股异味
            {elder}一个人在家摔倒了，起不来
            在门外听到{elder}喊救命
            {elder}今天没来{routine}，平时每天都来的
            智能水表显示{elder}家{hours}没用水
            {elder}家的烟感报警了，叫门没人开
            独居的{elder}找不到了，不知道去哪了
            {elder}最近精神不太对，一个人在楼道里乱走
            {elder}一个人在家晕倒了
            {neighbour}一个人住的{elder}{days}没见到了
            {elder}家信箱塞满了，人也没看见
            {elder}家的窗帘{days}都没拉开
            叫{elder}的名字没有回应，门反锁着
            {elder}家{days}没有开过门，{pile}都没拿
            独居老人{elder}{days}联系不上
            {elder}家里电表{days}没走过
            送餐员说{elder}家敲门没人开，饭还挂在门上
            {elder}一个人住，{days}没看到他下楼买菜
            {neighbour}的{elder}家门口有很大的臭味，好几天没见人
            独居的{elder}在家里呼救，声音很弱
            {elder}晚上在楼道里坐着不肯回家，说不清楚话
            我{relation}独自住在这里，{days}电话没人接，我在外地回不来
            {elder}家的水一直在流，人叫不应
            {elder}家门口的{pile}挂了{days}，敲门也没声音
            {elder}平时天天在楼下晒太阳，这{days}都没看到
            {elder}家里好像有人在呻吟，门打不开
            {elder}家煤气味很重，叫门没人应
            送餐的说{elder}连续{days}没开门拿饭
        """,
        short="""
            独居老人异常
            独居老人失联
            独居老人疑似发生意外
            独居老人多日未出门
            独居老人联系不上
        """,
        effects="""
            怕出什么意外
            大家都很担心
            万一人出事了就晚了
            我心里很着急
        """,
        asks="""
            请居委会马上上门看看
            请社工尽快去看一下
            请民警帮忙开门
            希望立即核实情况
            麻烦尽快去查看一下
        """,
        slots={
            "elder": """老人 老太太 老伯伯 王阿婆 张老伯 李阿姨 老爷叔 孤老 老头子 老阿姨 陈老太 刘老伯
                        独居老人 老伯 阿婆 赵阿姨 孤老张伯 老先生 独居阿婆""",
            "neighbour": "隔壁 楼上 楼下 对门 我们楼里 同一层 我们单元",
            "days": "好几天 三四天 两天 一个礼拜 五六天 三天 好多天",
            "pile": "报纸 牛奶 快递 外卖 送的饭 垃圾",
            "routine": "社区食堂吃饭 老年活动室 助餐点取饭 晨练",
            "hours": "二十四小时 两天 三十多个小时 一整天",
            "relation": "爸爸 妈妈 父亲 母亲 外婆 爷爷",
        },
    ),
}
