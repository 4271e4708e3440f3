"""``jiedao train-duplicates [--output PATH] [--json] [--wrong]``: build the duplicate scorer (疑似重复评分).

Generates the training pairs from the classifier's corpus, fits the weights, saves them to
``DATA_DIR/models/duplicates.joblib`` (or ``--output``) and reports the shares flagged on the hand-written
held-out pairs. ``jiedao train-classifier`` runs it after the classifier, since the scorer reads texts with
the classifier's features; otherwise the first case with candidates rebuilds a missing or out-of-date scorer.
"""

import json

from django.core.management.base import BaseCommand

from jiedao.cases import duplicates

SAME_TARGET, DIFFERENT_TARGET = 0.80, 0.10  # flagged: one incident in other words / different problems (issue)


class Command(BaseCommand):
    help = "训练疑似重复评分模型（用分类语料生成的样本对），保存后报告留出集上的标记比例"

    def add_arguments(self, parser):
        parser.add_argument("--output", help="模型保存路径（默认 DATA_DIR/models/duplicates.joblib）")
        parser.add_argument("--json", action="store_true", help="以一个 JSON 对象输出结果")
        parser.add_argument("--wrong", action="store_true", help="列出留出集中判断错误的样本对")

    def handle(self, *args, output: str | None, json: bool, wrong: bool, **options):
        metrics = duplicates.train(output)
        if json:
            self.stdout.write(_dumps(metrics))
            return
        report(self.stdout, metrics, wrong=wrong)


def report(out, metrics: dict, *, wrong: bool = False) -> None:
    """The training figures and the held-out shares, one line each (train-classifier prints them too)."""
    out.write(f"疑似重复样本对 {metrics['pairs']:,} 对，训练用时 {metrics['seconds']:.1f} 秒，"
              f"阈值 {metrics['threshold']:.2f}")
    heldout = metrics["heldout"]
    if heldout:
        same, different = heldout["same"], heldout["different"]
        out.write(f"留出集：同一事件 {same['n']} 对，标记 {same['flagged']:.1%}（目标 ≥ {SAME_TARGET:.0%}）；"
                  f"同地不同问题 {different['n']} 对，标记 {different['flagged']:.1%}（目标 ≤ {DIFFERENT_TARGET:.0%}）")
        if wrong:
            for kind in ("same", "different"):
                for probability, text_a, text_b in heldout[kind]["wrong"]:
                    out.write(f"  {'漏标' if kind == 'same' else '误标'} {probability:.2f}：{text_a} ｜ {text_b}")
    else:
        out.write("没有找到留出集 heldout_pairs.tsv，未评估")
    out.write(f"模型已保存：{metrics['path']}")


def _dumps(metrics: dict) -> str:
    return json.dumps(metrics, ensure_ascii=False)
