"""Synthetic people for the demo: names, resident ID numbers with valid check digits, phones.

Everything here is made up and marked ``synthetic=True`` where it is stored.
"""

import datetime as dt
import random
from functools import cache

from django.conf import settings
from django.contrib.auth.hashers import make_password

from jiedao.core.validators import id_check_digit

DEMO_PASSWORD = "caoyang-demo-2025"  # every demo account's, printed by ``jiedao demo``


def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for all the demo accounts that sign in with it: the hasher is slow on purpose
    (~0.2 s a hash), and as the password is printed for everyone, a salt of its own per account protects
    nothing. Hashed again when the configured hashers change (tests use a fast one)."""
    return _hashed(DEMO_PASSWORD, tuple(settings.PASSWORD_HASHERS))


@cache
def _hashed(password: str, hashers: tuple[str, ...]) -> str:
    return make_password(password)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月"
    "莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦"
    "岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝"
    "思丽建国志明建华国平文军德华永刚海波俊杰子涵浩然宇轩梓萱一诺"
)
# Birthplaces of 来沪人员: county-level codes of a few provinces (any valid GB/T 2260 code would do).
MIGRANT_REGIONS = ("320102", "320583", "330102", "340102", "341202", "360102", "410102", "420102", "510104", "430102")
MOBILE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159",
                   "176", "177", "180", "181", "186", "187", "189", "199")


def name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


class IdNumbers:
    """Unique 18-digit numbers with GB 11643 check digits."""

    def __init__(self):
        self.used: set[str] = set()

    def make(self, rng: random.Random, *, region: str, born: dt.date, sex: str) -> str:
        while True:
            seq = rng.randrange(0, 500) * 2 + (1 if sex == "M" else 0)  # odd 17th digit for men
            first17 = f"{region}{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.used:
                self.used.add(number)
                return number


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(0, 10**8):08d}"


def birth_date(rng: random.Random, *, age: int, today: dt.date) -> dt.date:
    return today - dt.timedelta(days=age * 365 + rng.randrange(0, 365))


# 四百走访: the 居委 head persona (login ``community_head``, the demo password) heads the first 居委, where the
# ``social_worker`` persona works; the other 居委 get heads and social workers of their own without a password
# (demo.visits), so that every building has someone who visits it.
COMMUNITY_HEAD = ("community_head", "居委 林书记")
SOCIAL_WORKER_TITLE = "社工"
COMMUNITY_HEAD_TITLE = "居委书记"
