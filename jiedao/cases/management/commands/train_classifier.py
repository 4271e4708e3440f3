"""``jiedao train-classifier [--output PATH] [--json] [--misses]``: build the case classifier's model.

Generates the training corpus, trains, saves to ``DATA_DIR/models/classifier.joblib`` (or ``--output``) and
reports the accuracy on the hand-written held-out set. Saved in its place (no ``--output``), the classifier
is followed by the duplicate scorer, which reads texts with it (``jiedao train-duplicates``). Run it after
deploying a new version; otherwise the first classification rebuilds a missing or out-of-date model itself.
"""

import json

from django.core.management.base import BaseCommand

from jiedao.cases import classifier, duplicates
from jiedao.cases.management.commands.train_duplicates import report

TOP1_TARGET, TOP3_TARGET = 0.90, 0.98  # on texts no one on the team has seen (issue)


class Command(BaseCommand):
    help = "训练案件分类模型（用项目自带的生成语料，不下载任何模型），保存后报告留出集的首选和前三正确率"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="模型保存路径（默认 DATA_DIR/models/classifier.joblib）")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
        parser.add_argument("--misses", action="store_true", help="列出留出集中首选分错的文字")

    def handle(self, *args, output: str | None, json: bool, misses: bool, **options):
        metrics = classifier.train(output)
        heldout = metrics["heldout"]
        scorer = duplicates.train() if output is None else None
        if json:
            self.stdout.write(_dumps(metrics | ({"duplicates": scorer} if scorer else {})))
            return
        self.stdout.write(
            f"训练语料 {metrics['texts']:,} 段（{metrics['categories']} 类），特征 {metrics['features']:,} 个，"
            f"训练用时 {metrics['seconds']:.1f} 秒"
        )
        if heldout:
            self.stdout.write(
                f"留出集 {heldout['n']} 段：首选正确率 {heldout['top1']:.1%}（目标 ≥ {TOP1_TARGET:.0%}），"
                f"前三正确率 {heldout['top3']:.1%}（目标 ≥ {TOP3_TARGET:.0%}）"
            )
            if misses:
                for category, got, text in heldout["misses"]:
                    self.stdout.write(f"  应为 {category}，分为 {got}：{text}")
        else:
            self.stdout.write("没有找到留出集 heldout.tsv，未评估")
        self.stdout.write(f"模型已保存：{metrics['path']}")
        if scorer:
            report(self.stdout, scorer)


def _dumps(metrics: dict) -> str:
    return json.dumps(metrics, ensure_ascii=False)
