"""``jiedao revoke-token PREFIX_OR_ID``: revoke an API token."""

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import ApiToken
from jiedao.core.services import revoke_token


class Command(BaseCommand):
    help = "吊销接口令牌（按编号或前缀）"

    def add_arguments(self, parser):
        parser.add_argument("token", help="令牌编号或前缀（如 jd_Ab12x）")

    def handle(self, *args, token, **options):
        qs = ApiToken.objects.filter(pk=int(token)) if token.isdigit() else ApiToken.objects.filter(prefix=token)
        found = list(qs[:2])
        if not found:
            raise CommandError(f"找不到令牌：{token}")
        if len(found) > 1:
            raise CommandError(f"前缀 {token} 对应多个令牌，请改用编号")
        revoke_token(api_token=found[0])
        self.stdout.write(f"已吊销令牌 {found[0].pk}（{found[0].prefix}…）")
