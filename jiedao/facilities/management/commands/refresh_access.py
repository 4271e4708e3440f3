"""``jiedao refresh-access [CODE …]``: store every building's distance to every facility type again (after
changes made outside the module's pages and services, such as a bulk update in the database)."""

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import Subdistrict
from jiedao.facilities import services
from jiedao.facilities.models import WalkNetwork


class Command(BaseCommand):
    help = "重新计算并保存各楼栋到各类设施的步行距离（只写入有变化的行）"

    def add_arguments(self, parser):
        parser.add_argument("subdistricts", nargs="*", help="街道代码；不填则为所有已建步行路网的街道")

    def handle(self, *args, subdistricts, **options):
        qs = Subdistrict.objects.filter(code__in=subdistricts) if subdistricts else Subdistrict.objects.filter(
            pk__in=WalkNetwork.objects.values("subdistrict_id"))
        unknown = set(subdistricts) - set(qs.values_list("code", flat=True))
        if unknown:
            raise CommandError("有街道代码不存在：" + "、".join(sorted(unknown)))
        for sub in qs.order_by("code"):
            run = services.refresh_access(subdistrict_id=sub.pk, afresh=True)
            self.stdout.write(f"{sub.name}：{run.seconds:.2f} 秒，{len(run.unattached)} 栋未接入路网")
