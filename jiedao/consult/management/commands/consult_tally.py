"""``jiedao consult-tally --json -``: the tally as a line protocol (``jiedao.consult.tally_json``)."""

import contextlib
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from jiedao.consult.tally_json import answer


class Command(BaseCommand):
    help = "表决计票：每行读入一个 JSON 对象（规则、表决单位、选票），每行输出一个结果（见 docs/consult.md）"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("--json", dest="source", required=True, metavar="FILE", help="读入的文件，- 为标准输入")

    def handle(self, *args, source: str, **options):
        with contextlib.ExitStack() as stack:
            if source == "-":
                stream = options.get("stdin") or sys.stdin
            else:
                try:
                    stream = stack.enter_context(open(source, encoding="utf-8"))
                except OSError as exc:
                    raise CommandError(f"无法读取 {source}：{exc}") from None
            for line in stream:
                if line.strip():
                    self.stdout.write(json.dumps(answer(line), ensure_ascii=False))
                    self.stdout.flush()
