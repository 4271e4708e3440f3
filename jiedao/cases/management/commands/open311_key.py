"""``jiedao open311-key NAME [--subdistrict CODE]``: issue an Open311 api_key, printed on the last line.
Without --subdistrict the key is for the default subdistrict (JIEDAO_DEFAULT_SUBDISTRICT, which the demo
sets to Caoyang), or the installation's only one.

``jiedao open311-key --revoke NAME_OR_KEY`` revokes instead: every active key of that application name,
or the one key given in full (only the digest is stored, so a key is found again by itself or its name).
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiedao.cases.models import Open311Key
from jiedao.cases.open311 import selectors, services
from jiedao.core.models import Subdistrict


class Command(BaseCommand):
    help = "为 Open311 客户端应用签发 api_key（只显示一次，保存的是摘要），或用 --revoke 吊销"

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", default="", help="应用名称，例如 随申办-曹杨")
        parser.add_argument("--subdistrict", default="",
                            help="街道代码（如 310107005）；省略时用默认街道（JIEDAO_DEFAULT_SUBDISTRICT）或唯一的街道")
        parser.add_argument("--revoke", default="", metavar="NAME_OR_KEY", help="吊销该名称的全部密钥，或给出的密钥")

    def handle(self, *args, name, subdistrict, revoke, **options):
        if revoke:
            return self._revoke(revoke, subdistrict)
        if not name:
            raise CommandError("请给出应用名称：jiedao open311-key NAME")
        sub = self._subdistrict(subdistrict)
        try:
            api_key, key = services.issue_key(subdistrict=sub, name=name)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stderr.write(f"已为 {key.name}（{sub.name} {sub.code}）签发 Open311 api_key（编号 {key.pk}）。"
                          f"密钥只显示这一次，请妥善保存：")
        self.stdout.write(api_key)

    def _subdistrict(self, code: str) -> Subdistrict:
        if code:
            found = Subdistrict.objects.filter(code=code).first()
            if found is None:
                raise CommandError(f"未知的街道代码：{code}")
            return found
        try:
            found = selectors.default_jurisdiction()
        except ImproperlyConfigured as exc:
            raise CommandError(f"默认街道设置有误：{exc}") from exc
        if found is None:
            raise CommandError("本系统有多个街道（或还没有街道）且未设置默认街道：请用 --subdistrict 指定街道代码，"
                               "或设置 JIEDAO_DEFAULT_SUBDISTRICT")
        return found

    def _revoke(self, value: str, subdistrict: str) -> None:
        active = Open311Key.objects.filter(revoked_at__isnull=True)
        if subdistrict:
            active = active.filter(subdistrict=self._subdistrict(subdistrict))
        keys = list(active.filter(digest=services.digest_of(value))) or list(active.filter(name=value.strip()))
        if not keys:
            raise CommandError(f"找不到有效的 Open311 密钥：{value[:8]}…" if len(value) > 20 else
                               f"找不到有效的 Open311 密钥：{value}")
        for key in keys:
            services.revoke_key(key=key)
            self.stdout.write(f"已吊销 Open311 密钥 {key.pk}（{key.name}）")
