"""五星 rules of a subdistrict: written from the defaults (``defaults.SHOP_RULES``, ``GARBAGE_RULES``) the
first time they are needed; admins change them afterwards (Django admin, 配置 permission)."""

from django.db import transaction

from jiedao.inspections import defaults
from jiedao.inspections.models import GarbageStarRule, ShopStarRule


def rules_for(*, subdistrict_id: int) -> tuple[list[ShopStarRule], list[GarbageStarRule]]:
    """The subdistrict's shop and garbage 五星 rules; a subdistrict with none gets the defaults now."""
    with transaction.atomic():
        if not ShopStarRule.objects.filter(subdistrict_id=subdistrict_id).exists():
            ShopStarRule.objects.bulk_create([
                ShopStarRule(subdistrict_id=subdistrict_id, code=code, name=name, item_code=item, category_code=cat,
                             per=per, stars=stars, max_stars=most, explanation=why, order=n * 10)
                for n, (code, name, item, cat, per, stars, most, why) in enumerate(defaults.SHOP_RULES, start=1)
            ], ignore_conflicts=True)
        if not GarbageStarRule.objects.filter(subdistrict_id=subdistrict_id).exists():
            GarbageStarRule.objects.bulk_create([
                GarbageStarRule(subdistrict_id=subdistrict_id, code=code, name=name, item_code=item,
                                category_code=cat, per=per, stars=stars, max_stars=most, tiers=tiers,
                                explanation=why, order=n * 10)
                for n, (code, name, item, cat, per, stars, most, tiers, why)
                in enumerate(defaults.GARBAGE_RULES, start=1)
            ], ignore_conflicts=True)
    return (list(ShopStarRule.objects.filter(subdistrict_id=subdistrict_id)),
            list(GarbageStarRule.objects.filter(subdistrict_id=subdistrict_id)))
