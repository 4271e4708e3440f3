"""``jiedao rebuild-case-facts``: recompute every case's timing columns from its timeline."""

from django.core.management.base import BaseCommand

from jiedao.cases import services
from jiedao.core.models import Subdistrict


class Command(BaseCommand):
    help = "由案件时间线重算案件的时限与考核字段（--check 只检查不修改）"

    def add_arguments(self, parser):
        parser.add_argument("--subdistrict", help="街道代码，缺省为全部")
        parser.add_argument("--check", action="store_true", help="只检查，发现不一致时以状态码 1 退出")

    def handle(self, *args, subdistrict=None, check=False, **options):
        sub_id = Subdistrict.objects.get(code=subdistrict).pk if subdistrict else None
        changed = services.rebuild_facts(subdistrict_id=sub_id, fix=not check)
        verb = "不一致" if check else "已修正"
        self.stdout.write(f"{verb}的案件：{changed}")
        if check and changed:
            raise SystemExit(1)
