"""门责任制 pages: the shop register with this month's 五星 and the ranking by street, one shop with each
lost star explained, and the public page a passer-by reaches from the QR on the shop's door."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from jiedao.core.access import ensure_perm
from jiedao.core.crypto import mask_phone
from jiedao.core.roles import Perm
from jiedao.inspections import selectors, stars
from jiedao.inspections.models import Shop
from jiedao.inspections.views.common import month_of, months_back, sections


@login_required
def shops(request):
    ensure_perm(request.user, Perm.VIEW_INSPECTIONS)
    month = month_of(request.GET.get("month"))
    listed = list(selectors.shop_list(user=request.user))
    ratings = stars.shop_ratings(subdistrict_id=request.user.subdistrict_id, month=month, shops=listed) \
        if listed else []
    by_id = {s.pk: s for s in listed}
    return render(request, "inspections/shops.html", {
        "month": month, "months": months_back(timezone.localdate().replace(day=1), 12),
        "ranking": stars.street_ranking(ratings), "rows": [(by_id[r.id], r) for r in ratings],
        "sections": sections(request.user, "shops")})


@login_required
def shop_detail(request, shop_id: int):
    shop = selectors.get_shop(user=request.user, shop_id=shop_id)
    month = month_of(request.GET.get("month"))
    history = [(m, stars.shop_ratings(subdistrict_id=shop.subdistrict_id, month=m, shops=[shop])[0])
               for m in months_back(month, 6)]
    return render(request, "inspections/shop.html", {
        "shop": shop, "rating": history[0][1], "history": history, "month": month,
        "phone": mask_phone(shop.contact_phone), "sections": sections(request.user, "shops")})


def public_shop_page(request, shop: Shop):
    """公示页: the shop's name, kind, address, duties and stars of the last months; no contact, no people."""
    month = timezone.localdate().replace(day=1)
    history = [(m, stars.shop_ratings(subdistrict_id=shop.subdistrict_id, month=m, shops=[shop])[0])
               for m in months_back(month, 6)]
    return render(request, "inspections/shop_public.html", {"shop": shop, "rating": history[0][1],
                                                            "history": history, "month": month})
