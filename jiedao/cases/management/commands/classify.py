"""``jiedao classify [--json] TEXT… | -``: suggest a category for each text (案件分类建议).

With ``-`` the texts are read from standard input, one a line, and answered one line each in the same
order (an empty line gets an empty answer, so the lines stay aligned). Input is classified in batches and
the output flushed after each batch; from a terminal every line is answered at once.
"""

import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from jiedao.cases.classifier import Suggestion, classify_many

EMPTY = {"category": None, "code": None, "confidence": 0.0, "alternatives": []}


def as_dict(suggestion: Suggestion | None) -> dict:
    if suggestion is None:
        return dict(EMPTY)
    return {
        "category": suggestion.category,
        "code": suggestion.code,
        "confidence": round(suggestion.confidence, 4),
        "alternatives": [{"category": name, "confidence": round(p, 4)} for name, p in suggestion.alternatives],
    }


def as_line(suggestion: Suggestion | None) -> str:
    if suggestion is None:
        return "（空）"
    others = "，".join(f"{name} {p:.1%}" for name, p in suggestion.alternatives)
    return f"{suggestion.category}（{suggestion.code}）{suggestion.confidence:.1%}；备选：{others}"


class Command(BaseCommand):
    help = "案件分类建议：给出分类、置信度和两个备选。文字写在参数里，或写 - 从标准输入每行读一段"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*", help="要分类的文字（多个参数以空格连成一段）；写 - 则从标准输入逐行读取")
        parser.add_argument("--json", action="store_true", help="每段输出一行 JSON")
        parser.add_argument("--batch", type=int, default=500, help="从标准输入读取时每批的行数（默认 500）")

    def handle(self, *args, text: list[str], json: bool, batch: int, **options):
        if not text:
            raise CommandError("请给出要分类的文字，或写 - 从标准输入逐行读取")
        if batch < 1:
            raise CommandError("--batch 必须是正整数")
        render = _json_line if json else as_line
        if text != ["-"]:
            self.stdout.write(render(classify_many([" ".join(text)])[0]))
            return
        stdin = options.get("stdin") or sys.stdin
        if getattr(stdin, "isatty", lambda: False)():
            batch = 1  # someone is typing: answer each line as it comes
        lines = (line.rstrip("\r\n") for line in stdin)
        while chunk := list(islice(lines, batch)):
            for suggestion in classify_many(chunk):
                self.stdout.write(render(suggestion))
            self.stdout.flush()


def _json_line(suggestion: Suggestion | None) -> str:
    return json.dumps(as_dict(suggestion), ensure_ascii=False)
