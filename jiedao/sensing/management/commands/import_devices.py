"""``jiedao import-devices FILE --subdistrict CODE [--dry-run] [--json]``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.sensing.services.devices import ImportFileError, import_devices


class Command(BaseCommand):
    help = "从 XLSX/CSV 导入物联感知设备：先逐行校验并报告所有错误；非试运行时在一个事务中导入全部有效行（可重复导入）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--subdistrict", required=True, help="街道代码，例如 310107005")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出报告")

    def handle(self, *args, file, subdistrict, dry_run, **options):
        sub = Subdistrict.objects.filter(code=subdistrict).first()
        if sub is None:
            raise CommandError(f"街道代码不存在：{subdistrict}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            report = import_devices(data=path.read_bytes(), filename=path.name, subdistrict=sub, by=None,
                                    dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
            return
        for e in report.errors:
            self.stdout.write(f"第 {e.row} 行 [{e.column}] {e.message}")
        mode = "试运行（未写入）" if dry_run else "已导入"
        self.stdout.write(f"{mode}：共 {report.rows} 行，有效 {report.valid} 行，错误 {len(report.errors)} 处；"
                          f"新增 {report.created or report.to_create}，更新 {report.updated or report.to_update}，"
                          f"未变化 {report.unchanged}")
