"""``jiedao import-facilities CODE FILE [--check]``: facilities from CSV/XLSX, every problem by row."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.facilities import services
from jiedao.facilities.services.imports import ImportFileError


class Command(BaseCommand):
    help = "从 CSV/XLSX 批量导入服务设施（先校验每一行；--check 只校验不写入）"

    def add_arguments(self, parser):
        parser.add_argument("subdistrict", help="街道代码，例如 310107005")
        parser.add_argument("file")
        parser.add_argument("--check", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", dest="as_json", help="以 JSON 输出结果")

    def handle(self, *args, subdistrict, file, check, as_json, **options):
        sub = Subdistrict.objects.filter(code=subdistrict).first()
        if sub is None:
            raise CommandError(f"没有代码为 {subdistrict} 的街道")
        path = Path(file)
        try:
            report = services.import_facilities(data=path.read_bytes(), filename=path.name, subdistrict=sub, by=None,
                                                dry_run=check)
        except (ImportFileError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for e in report.errors:
                self.stdout.write(f"第 {e.row} 行 [{e.column}] {e.message}")
            for w in report.warnings:
                self.stdout.write(f"第 {w.row} 行 [{w.column}] 提醒：{w.message}")
            verb = "将" if check else "已"
            self.stdout.write(f"{report.rows} 行：{verb}新增 {report.created}，{verb}更新 {report.updated}，"
                              f"无变化 {report.unchanged}，有问题 {report.failed_rows} 行")
        if report.errors:
            raise CommandError(f"{report.failed_rows} 行有问题，未导入")
