"""``jiedao build-walk-network CODE``: the walking network from the geo module's roads and 小区 outlines."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.facilities import services


class Command(BaseCommand):
    help = "由地理库的道路和小区范围生成街道的步行路网，替换现有路网"

    def add_arguments(self, parser):
        parser.add_argument("subdistrict", help="街道代码，例如 310107005")

    def handle(self, *args, subdistrict, **options):
        sub = Subdistrict.objects.filter(code=subdistrict).first()
        if sub is None:
            raise CommandError(f"没有代码为 {subdistrict} 的街道")
        try:
            network = services.build_network_from_geo(subdistrict=sub, by=None)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"{sub.name}：{network.node_count:,} 个节点，{network.edge_count:,} 段，"
                          f"{network.length_km:.1f} 公里")
