"""大件垃圾预约 pages: the residents' portal (phone-sized: the open slots of their 小区, a booking, their
bookings) and the staff's (a day's slots, opening slots, the crew confirming a collection or a no-show)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.access import ensure_perm, resident_page
from jiedao.core.crypto import mask_phone
from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.core.scope import scope_of
from jiedao.geo.models import Estate
from jiedao.inspections.campaigns import selectors, services
from jiedao.inspections.campaigns.forms import BookingForm, SlotForm
from jiedao.inspections.models import BookingStatus, BulkySlot


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------------------------------ residents

@resident_page
def portal(request):
    estates = list(Estate.objects.filter(subdistrict_id=request.user.subdistrict_id).order_by("name"))
    estate_id = _int(request.GET.get("estate"))
    slots = selectors.open_slots(subdistrict_id=request.user.subdistrict_id, estate_id=estate_id) if estate_id else []
    bookings = list(selectors.resident_bookings(user=request.user)[:20])
    return render(request, "inspections/campaigns/portal_bulky.html", {
        "estates": estates, "estate_id": estate_id, "slots": slots, "bookings": bookings, "now": timezone.now()})


@resident_page
def portal_book(request, slot_id: int):
    slot = BulkySlot.objects.select_related("estate").filter(
        pk=slot_id, subdistrict_id=request.user.subdistrict_id).first()
    if slot is None:
        raise Http404
    form = BookingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.book_slot(by=request.user, slot=slot, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
            if any(e.code == "full" for e in getattr(exc, "error_dict", {}).get("slot", [])):
                status = 409  # the slot filled up: the form was right, the place is gone
        else:
            messages.success(request, _("预约成功：%(slot)s，请按时将大件垃圾放到收运点") % {"slot": booking.slot})
            return redirect(f"{reverse('campaigns:portal-bulky')}?estate={slot.estate_id}")
    if form.errors and status == 200:
        status = 400
    free = max(0, slot.capacity - slot.bookings.filter(status__in=(BookingStatus.BOOKED, BookingStatus.COLLECTED))
               .count())
    return render(request, "inspections/campaigns/portal_book.html", {"slot": slot, "form": form, "free": free},
                  status=status)


@require_POST
@resident_page
def portal_cancel(request, booking_id: int):
    booking = selectors.resident_bookings(user=request.user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    try:
        services.cancel_booking(by=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已取消预约"))
    return redirect("campaigns:portal-bulky")


# ----------------------------------------------------------------------------------------------- staff

@login_required
def slots(request):
    try:
        day = dt.date.fromisoformat(request.GET["day"])
    except (KeyError, ValueError):
        day = timezone.localdate()
    rows = selectors.slot_list(user=request.user, day=day, estate_id=_int(request.GET.get("estate")))
    can_manage = has_perm(request.user, Perm.MANAGE_INSPECTIONS)
    estates = Estate.objects.within(scope_of(request.user)).order_by("name")
    form = SlotForm(request.POST or None, estates=estates, initial={"day": day})
    status = 200
    if request.method == "POST":
        ensure_perm(request.user, Perm.MANAGE_INSPECTIONS)
        if form.is_valid():
            starts_at, ends_at = form.span()
            try:
                slot = services.create_slot(by=request.user, estate=form.cleaned_data["estate"],
                                            place=form.cleaned_data["place"], starts_at=starts_at, ends_at=ends_at,
                                            capacity=form.cleaned_data["capacity"])
            except ValidationError as exc:
                apply_errors(form, exc, aliases={"ends_at": "end", "starts_at": "start"})
            else:
                messages.success(request, _("已开放时段 %(slot)s") % {"slot": slot})
                return redirect(f"{reverse('campaigns:bulky')}?day={form.cleaned_data['day']}")
        status = 400
    counts = selectors.bulky_figures(user=request.user, start=day, end=day)
    figures = [(label, counts.get(value, 0)) for value, label in BookingStatus.choices]
    return render(request, "inspections/campaigns/bulky.html", {
        "day": day, "slots": rows, "form": form if can_manage else None, "figures": figures}, status=status)


@login_required
def slot_detail(request, slot_id: int):
    slot = selectors.get_slot(user=request.user, slot_id=slot_id)
    bookings = selectors.slot_bookings(user=request.user, slot=slot)
    for b in bookings:
        b.masked_phone = mask_phone(b.phone)
    return render(request, "inspections/campaigns/slot.html", {
        "slot": slot, "bookings": bookings, "can_close": has_perm(request.user, Perm.DO_INSPECTIONS),
        "started": slot.starts_at <= timezone.now()})


@require_POST
@login_required
def close_booking(request, booking_id: int, action: str):
    booking = selectors.get_booking(user=request.user, booking_id=booking_id)
    service = {"collected": services.confirm_collection, "no-show": services.record_no_show}.get(action)
    if service is None:
        raise Http404
    try:
        booking = service(by=request.user, booking=booking)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("已登记：%(s)s") % {"s": booking.get_status_display()})
    return redirect("campaigns:bulky-slot", booking.slot_id)
