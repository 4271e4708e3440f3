"""``jiedao import-walk-network CODE FILE``: the walking network from an OpenStreetMap extract (.osm.pbf/.osm)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.facilities import services


class Command(BaseCommand):
    help = "从 OpenStreetMap 数据（.osm.pbf 或 .osm）导入街道的步行路网，替换现有路网"

    def add_arguments(self, parser):
        parser.add_argument("subdistrict", help="街道代码，例如 310107005")
        parser.add_argument("file", help="OpenStreetMap 文件")
        parser.add_argument("--margin", type=float, default=1000, help="街道边界外保留的范围（米），默认 1000")

    def handle(self, *args, subdistrict, file, margin, **options):
        sub = Subdistrict.objects.filter(code=subdistrict).first()
        if sub is None:
            raise CommandError(f"没有代码为 {subdistrict} 的街道")
        try:
            network = services.import_osm_network(subdistrict=sub, path=file, by=None, margin_m=margin)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        excluded = "，".join(f"{k} {n}" for k, n in network.notes.get("excluded", {}).items()) or "无"
        parts = network.notes.get("parts", 1)
        self.stdout.write(f"{sub.name}：{network.node_count:,} 个节点，{network.edge_count:,} 段，"
                          f"{network.length_km:.1f} 公里，{parts} 个连通部分；未采用：{excluded}")
