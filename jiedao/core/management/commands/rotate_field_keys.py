"""``jiedao rotate-field-keys``: re-encrypt personal data under the newest key of JIEDAO_FIELD_KEYS."""

from django.core.management.base import BaseCommand

from jiedao.core.services import rotate_field_keys


class Command(BaseCommand):
    help = "用 JIEDAO_FIELD_KEYS 中的第一个（最新）密钥重新加密所有个人信息字段"

    def handle(self, *args, **options):
        counts = rotate_field_keys()
        for label, n in counts.items():
            self.stdout.write(f"{label}: {n:,} 行已重新加密")
        self.stdout.write("完成。确认无误后可从 JIEDAO_FIELD_KEYS 中移除旧密钥。")
