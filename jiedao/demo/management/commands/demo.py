"""``jiedao demo``: build the Caoyang Xincun demo subdistrict (see jiedao/demo/builder.py)."""

import time

from django.core.management.base import BaseCommand

from jiedao.core.models import Subdistrict
from jiedao.demo import caoyang
from jiedao.demo.builder import DEMO_PASSWORD, DemoBuilder, record_default_subdistrict


class Command(BaseCommand):
    help = "生成曹杨新村街道演示数据（合成、可复现）"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=20210101, help="随机种子（同一种子生成相同数据）")
        parser.add_argument("--scale", type=float, default=1.0, help="楼栋数量比例，测试时可用 0.05")
        parser.add_argument("--reset", action="store_true", help="删除已有的演示街道数据后重新生成")

    def handle(self, *args, seed, scale, reset, **options):
        if Subdistrict.objects.filter(code=caoyang.SUBDISTRICT["code"]).exists():
            if not reset:
                self.stdout.write("演示数据已存在，未做改动（用 --reset 重新生成）。")
                record_default_subdistrict()  # a data folder from before the setting existed gets it too
                self._print_logins(None)
                return
            DemoBuilder.reset()
        started = time.perf_counter()
        builder = DemoBuilder(seed=seed, scale=scale, log=lambda m: self.stdout.write(m))
        logins = builder.build()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{k} {v:,}" for k, v in builder.counts.items())
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成（{elapsed:.1f} 秒）：{counts}"))
        self._print_logins(logins)

    def _print_logins(self, logins):
        from jiedao.core.models import User

        if logins is None:
            logins = [(u.username, u.get_role_display(), u.subdistrict.name if u.subdistrict else "")
                      for u in User.objects.filter(subdistrict__isnull=False).select_related("subdistrict")
                      .order_by("pk")]
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, role, scope in logins:
            self.stdout.write(f"  {username:<18} {role}  {scope}")
