"""``jiedao issue-token USERNAME``: print a new API token on the last line (shown once)."""

from django.core.management.base import BaseCommand, CommandError

from jiedao.core.models import User
from jiedao.core.services import issue_token


class Command(BaseCommand):
    help = "为用户签发接口令牌（令牌只显示一次，保存的是摘要）"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="用途说明，例如 12345 工单同步")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist as exc:
            raise CommandError(f"用户不存在：{username}") from exc
        if not user.is_active:
            raise CommandError(f"用户已停用：{username}")
        token, api_token = issue_token(user=user, name=name)
        self.stderr.write(f"已为 {username} 签发令牌（编号 {api_token.pk}，前缀 {api_token.prefix}）。请妥善保存：")
        self.stdout.write(token)
