"""``jiedao load-plan FILE --subdistrict CODE``: load a plan's data file (docs/planning.md) into a subdistrict."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.planning import services


class Command(BaseCommand):
    help = ("载入规划数据文件（JSON）：先整体校验，在一个事务中写入；同一规划（同一规划代码）再次载入时就地更新，"
            "不会重复")

    def add_arguments(self, parser):
        parser.add_argument("file", help="规划数据文件（UTF-8 JSON），格式见 docs/planning.md")
        parser.add_argument("--subdistrict", required=True, help="街道代码，例如 310107005")

    def handle(self, *args, file, subdistrict, **options):
        sub = Subdistrict.objects.filter(code=subdistrict).first()
        if sub is None:
            raise CommandError(f"街道代码不存在：{subdistrict}")
        try:
            plan = services.load_plan(subdistrict=sub, document=Path(file))
        except ValidationError as exc:
            problems = "\n".join(f"  {message}" for message in exc.messages)
            raise CommandError(f"规划未载入（未写入任何数据），共 {len(exc.messages)} 处问题：\n{problems}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"已载入规划「{plan.name}」（{plan.code}，{plan.start_year}–{plan.end_year} 年）到{sub.name}："
            f"{plan.chapters.count()} 章，{plan.goals.count()} 个目标，{plan.indicators.count()} 个指标，"
            f"{plan.projects.count()} 个项目"
        ))
