"""门责任制 pages: the shop register with this month's 五星 and the ranking by street, one shop with each
lost star explained, the public page a passer-by reaches from the QR on the shop's door, and the forms that
register and edit a shop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import ensure_perm
from jiedao.core.crypto import mask_phone
from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.inspections import selectors, services, stars
from jiedao.inspections.forms import ShopForm
from jiedao.inspections.models import Shop
from jiedao.inspections.services import shops as shop_services
from jiedao.inspections.views.common import month_of, months_back, sections
from jiedao.inspections.views.desk import form_page
from jiedao.inspections.views.garbage import mask_name


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
        "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS), "sections": sections(request.user, "shops")})


@login_required
def shop_detail(request, shop_id: int):
    shop = selectors.get_shop(user=request.user, shop_id=shop_id)
    month = month_of(request.GET.get("month"))
    history = [(m, stars.shop_ratings(subdistrict_id=shop.subdistrict_id, month=m, shops=[shop])[0])
               for m in months_back(month, 6)]
    return render(request, "inspections/shop.html", {
        "shop": shop, "rating": history[0][1], "history": history, "month": month,
        "phone": mask_phone(shop.contact_phone), "may_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
        "sections": sections(request.user, "shops")})


@login_required
def shop_new(request):
    """登记沿街商铺 (with its door point); then its page, with the door label to print."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("登记商铺需要管理巡检点的权限"))
    form = ShopForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            shop = services.register_shop(by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记商铺“%(name)s”：请打印门口标签贴到店门上") % {"name": shop.name})
            return redirect("inspections:shop", shop.pk)
    return form_page(request, "inspections/shop_form.html", form)


@login_required
def shop_edit(request, shop_id: int):
    """Edit a shop. Its contact shows masked and is never filled in: left empty, it stays as it is."""
    ensure_perm(request.user, Perm.MANAGE_INSPECTIONS, message=_("修改商铺需要管理巡检点的权限"))
    shop = selectors.get_shop(user=request.user, shop_id=shop_id)
    number = shop_services.door_number(shop)  # none when the shop is at its building's address
    initial = {"name": shop.name, "licence_no": shop.licence_no, "kind": shop.kind, "building": shop.point.building_id,
               "number": number, "duties": "\n".join(shop.duties), "active": shop.active}
    contact = {"name": mask_name(shop.contact_name), "phone": mask_phone(shop.contact_phone)}
    form = ShopForm(request.POST or None, user=request.user, contact=contact, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            shop_services.update_shop(shop=shop, by=request.user, **form.values())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存商铺“%(name)s”") % {"name": shop.name})
            return redirect("inspections:shop", shop.pk)
    return form_page(request, "inspections/shop_form.html", form, shop=shop)


def public_shop_page(request, shop: Shop):
    """公示页: the shop's name, kind, address, duties and stars of the last months; no contact, no people."""
    month = timezone.localdate().replace(day=1)
    history = [(m, stars.shop_ratings(subdistrict_id=shop.subdistrict_id, month=m, shops=[shop])[0])
               for m in months_back(month, 6)]
    return render(request, "inspections/shop_public.html", {"shop": shop, "rating": history[0][1],
                                                            "history": history, "month": month})
