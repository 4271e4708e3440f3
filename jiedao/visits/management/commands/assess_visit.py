"""``jiedao assess-visit [--json] TEXT… | -``: assess visit notes (AI回访评估).

With ``-`` the notes are read from standard input, one a line, and answered one line each in the same order
(an empty line gets the answer for an empty note, so the lines stay aligned). With ``--json`` each answer is
one JSON object: ``{"risk": "高", "types": ["健康", "安全"], "confidence": 0.87, "evidence": ["…"]}``.
Input is assessed in batches and the output flushed after each; from a terminal every line is answered at once.
"""

import json
import sys
from itertools import islice

from django.core.management.base import BaseCommand, CommandError

from jiedao.visits.assessment import Assessment, assess_notes


def as_line(assessment: Assessment) -> str:
    types = "、".join(assessment.types) or "无"
    line = f"风险 {assessment.risk}（{assessment.confidence:.0%}）；类型：{types}"
    if assessment.evidence:
        line += "；依据：" + " | ".join(assessment.evidence)
    if assessment.follow_up:
        line += f"；建议 {assessment.follow_up.task_within_days} 天内再次走访"
        draft = assessment.follow_up.case_draft
        if draft:
            line += f"，并立案（{draft.category or '类别待定'}）"
    return line


class Command(BaseCommand):
    help = "走访记录 AI 评估：风险等级、风险类型、置信度和依据。文字写在参数里，或写 - 从标准输入每行读一条"
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="*",
                            help="要评估的走访记录（多个参数以空格连成一条）；写 - 则从标准输入逐行读取")
        parser.add_argument("--json", action="store_true", help="每条输出一行 JSON")
        parser.add_argument("--batch", type=int, default=500, help="从标准输入读取时每批的行数（默认 500）")

    def handle(self, *args, text: list[str], json: bool, batch: int, **options):
        if not text:
            raise CommandError("请给出要评估的走访记录，或写 - 从标准输入逐行读取")
        if batch < 1:
            raise CommandError("--batch 必须是正整数")
        render = _json_line if json else as_line
        if text != ["-"]:
            self.stdout.write(render(assess_notes([" ".join(text)])[0]))
            return
        stdin = options.get("stdin") or sys.stdin
        if getattr(stdin, "isatty", lambda: False)():
            batch = 1  # someone is typing: answer each line as it comes
        lines = (line.rstrip("\r\n") for line in stdin)
        while chunk := list(islice(lines, batch)):
            for assessment in assess_notes(chunk):
                self.stdout.write(render(assessment))
            self.stdout.flush()


def _json_line(assessment: Assessment) -> str:
    return json.dumps(assessment.as_dict(), ensure_ascii=False)
