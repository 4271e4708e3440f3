"""``jiedao import-hotline FILE [--subdistrict CODE] [--user USERNAME] [--dry-run] [--json]``."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from jiedao.cases.importer import ImportFileError, import_hotline
from jiedao.core.models import Subdistrict, User


class Command(BaseCommand):
    help = "导入 12345 工单（CSV/XLSX）：逐行受理，每行一个事务；同一工单编号不会重复受理（可重复导入）"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--subdistrict", help="街道代码，例如 310107005（指定 --user 时默认取其所属街道）")
        parser.add_argument("--user", help="以该操作员的名义受理（记入时间线与审计日志）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出报告")

    def handle(self, *args, file, subdistrict, user, dry_run, json: bool, **options):
        by = None
        if user:
            by = User.objects.filter(username=user, is_active=True).select_related("subdistrict").first()
            if by is None:
                raise CommandError(f"用户不存在或已停用：{user}")
        if subdistrict:
            sub = Subdistrict.objects.filter(code=subdistrict).first()
            if sub is None:
                raise CommandError(f"街道代码不存在：{subdistrict}")
            if by is not None and by.subdistrict_id not in (None, sub.pk):
                raise CommandError(f"用户 {user} 不属于街道 {subdistrict}")
        elif by is not None and by.subdistrict is not None:
            sub = by.subdistrict
        else:
            raise CommandError("请用 --subdistrict 指定街道代码")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            report = import_hotline(data=path.read_bytes(), filename=path.name, subdistrict=sub, by=by,
                                    dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"用户 {user} 无权受理案件：{exc}") from exc
        if json:
            self.stdout.write(_json.dumps(report.as_dict(), ensure_ascii=False))
            return
        for e in report.errors:
            self.stdout.write(f"第 {e.row} 行 [{e.column}] 错误：{e.message}")
        for w in report.warnings:
            self.stdout.write(f"第 {w.row} 行 [{w.column}] 提示：{w.message}")
        if dry_run:
            summary = (f"试运行（未写入）：共 {report.rows} 行，将新建 {report.created} 件，"
                       f"已存在 {report.existing} 件，出错 {report.failed_rows} 行，"
                       f"待人工定位 {report.needs_placement} 件")
        else:
            summary = (f"已导入：共 {report.rows} 行，新建 {report.created} 件，已存在 {report.existing} 件，"
                       f"出错 {report.failed_rows} 行（未导入），待人工定位 {report.needs_placement} 件")
        self.stdout.write(summary)


_json = json
