"""大件垃圾预约: capacity, a full slot, a form sent twice, the crew's collection and no-show (which frees the
place), the resident's portal pages and the API, and who may do what."""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.campaigns import selectors, services
from jiedao.inspections.models import BookingStatus, BulkyBooking
from jiedao.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def crew(world):
    manager = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                        community=world.c1)
    collector = make_user("crew", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                          community=world.c1)
    residents = [make_user(f"resident{i}", role=Role.RESIDENT, subdistrict=world.sub) for i in range(3)]
    return manager, collector, residents


def slot_for(world, manager, *, capacity=2, hours_ahead=24):
    start = timezone.now().replace(microsecond=0) + dt.timedelta(hours=hours_ahead)
    return services.create_slot(by=manager, estate=world.b11.estate, place="1号垃圾厢房旁", starts_at=start,
                                ends_at=start + dt.timedelta(hours=2), capacity=capacity)


def book(slot, resident, *, client_id=None):
    return services.book_slot(by=resident, slot=slot, client_id=client_id or str(uuid.uuid4()),
                              address="5号楼301室", items="旧沙发 1 张", phone="13912345678")


def test_a_full_slot_refuses_clearly_and_a_no_show_frees_the_place(world, crew, monkeypatch):
    manager, collector, (r1, r2, r3) = crew
    slot = slot_for(world, manager, capacity=2)
    b1, b2 = book(slot, r1), book(slot, r2)
    with pytest.raises(ValidationError) as exc:
        book(slot, r3)
    assert "已约满（2 户）" in str(exc.value)
    assert [s.free for s in selectors.open_slots(subdistrict_id=world.sub.pk)] == [0]
    # The slot begins; r2 does not come: recorded, and the place is free again for the rest of the slot.
    later = timezone.now() + dt.timedelta(hours=24, minutes=30)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    services.confirm_collection(by=collector, booking=b1)
    no_show = services.record_no_show(by=collector, booking=b2)
    assert no_show.status == BookingStatus.NO_SHOW and no_show.closed_by == collector
    assert selectors.get_slot(user=manager, slot_id=slot.pk).free == 1
    day = timezone.localdate(slot.starts_at)  # figures count a slot on its local day (Asia/Shanghai), not UTC's
    assert dict(selectors.bulky_figures(user=manager, start=day, end=day)) == {
        BookingStatus.COLLECTED: 1, BookingStatus.NO_SHOW: 1}
    with pytest.raises(ValidationError):
        services.record_no_show(by=collector, booking=b1)  # already collected: stays so


def test_the_same_form_sent_twice_books_once(world, crew):
    manager, _collector, (r1, _r2, _r3) = crew
    slot = slot_for(world, manager, capacity=5)
    client_id = str(uuid.uuid4())
    first, again = book(slot, r1, client_id=client_id), book(slot, r1, client_id=client_id)
    assert first.pk == again.pk
    assert BulkyBooking.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        book(slot, r1)  # another form for the same slot
    assert "已预约该时段" in str(exc.value)


def test_a_resident_cancels_before_the_slot_and_the_crew_may_not_mark_a_no_show_early(world, crew):
    manager, collector, (r1, r2, _r3) = crew
    slot = slot_for(world, manager, capacity=1)
    b1 = book(slot, r1)
    with pytest.raises(ValidationError):
        services.record_no_show(by=collector, booking=b1)
    with pytest.raises(PermissionDenied):
        services.cancel_booking(by=r2, booking=b1)
    assert services.cancel_booking(by=r1, booking=b1).status == BookingStatus.CANCELLED
    assert book(slot, r2).status == BookingStatus.BOOKED


def test_a_slot_that_has_begun_and_a_bad_phone_are_refused(world, crew):
    manager, _collector, (r1, _r2, _r3) = crew
    slot = slot_for(world, manager, hours_ahead=-1)
    with pytest.raises(ValidationError, match="已开始"):
        book(slot, r1)
    future = slot_for(world, manager, hours_ahead=30)
    with pytest.raises(ValidationError) as exc:
        services.book_slot(by=r1, slot=future, client_id="x", address="5号楼", items="床垫", phone="12345")
    assert "phone" in exc.value.message_dict


def test_only_residents_book_and_only_staff_open_slots_and_confirm(world, crew):
    manager, _collector, (r1, _r2, _r3) = crew
    slot = slot_for(world, manager)
    with pytest.raises(PermissionDenied):
        book(slot, world.operator)
    with pytest.raises(PermissionDenied):
        slot_for(world, r1)
    booking = book(slot, r1)
    with pytest.raises(PermissionDenied):
        services.confirm_collection(by=r1, booking=booking)
    with pytest.raises(PermissionDenied):
        services.confirm_collection(by=world.handler, booking=booking)


def test_the_portal_books_on_a_phone_page_and_says_when_a_slot_is_full(world, crew, login):
    manager, _collector, (r1, r2, _r3) = crew
    slot = slot_for(world, manager, capacity=1)
    client = login(r1)
    page = client.get(f"/portal/bulky/?estate={slot.estate_id}").content.decode()
    assert f"/portal/bulky/slots/{slot.pk}/" in page and "mobile" in page
    form = {"address": "5号楼301室", "items": "旧床垫", "phone": "139 1234 5678", "client_id": str(uuid.uuid4())}
    assert client.post(f"/portal/bulky/slots/{slot.pk}/", form).status_code == 302
    assert client.post(f"/portal/bulky/slots/{slot.pk}/", form).status_code == 302  # sent twice: one booking
    assert BulkyBooking.objects.filter(resident=r1).count() == 1
    assert "旧床垫" in client.get("/portal/bulky/").content.decode()
    full = login(r2).post(f"/portal/bulky/slots/{slot.pk}/", {**form, "client_id": str(uuid.uuid4())})
    assert full.status_code == 409
    assert "已约满" in full.content.decode()
    assert login(world.operator).get("/portal/bulky/").status_code == 403


def test_the_crew_page_confirms_collection_and_shows_masked_phones(world, crew, login):
    manager, collector, (r1, _r2, _r3) = crew
    slot = slot_for(world, manager)
    booking = book(slot, r1)
    page = login(collector).get(f"/inspections/bulky/slots/{slot.pk}/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    response = login(collector).post(f"/inspections/bulky/bookings/{booking.pk}/collected/")
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.COLLECTED
    # Outside the 居委: the booking is not found.
    outsider = make_user("crew2", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                         community=world.c2)
    assert login(outsider).post(f"/inspections/bulky/bookings/{booking.pk}/no-show/").status_code == 404


def test_the_api_books_refuses_a_full_slot_and_records_a_no_show(world, crew, login, monkeypatch):
    manager, collector, (r1, r2, _r3) = crew
    created = login(manager).post("/api/v1/inspections/campaigns/bulky/slots", {
        "estate": world.b11.estate_id, "place": "2号垃圾厢房", "capacity": 1,
        "starts_at": (timezone.now() + dt.timedelta(days=1)).isoformat(),
        "ends_at": (timezone.now() + dt.timedelta(days=1, hours=2)).isoformat()}, content_type="application/json")
    assert created.status_code == 201
    slot_id = created.json()["id"]
    body = {"slot": slot_id, "client_id": "c-1", "address": "5号楼101室", "items": "衣柜", "phone": "13912345678"}
    booked = login(r1).post("/api/v1/inspections/campaigns/bulky/bookings", body, content_type="application/json")
    assert booked.status_code == 201 and booked.json()["phone"] == "139****5678"
    full = login(r2).post("/api/v1/inspections/campaigns/bulky/bookings", {**body, "client_id": "c-2"},
                          content_type="application/json")
    assert full.status_code == 422 and "已约满" in str(full.json())
    later = timezone.now() + dt.timedelta(days=1, minutes=10)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    gone = login(collector).post(f"/api/v1/inspections/campaigns/bulky/bookings/{booked.json()['id']}/no-show")
    assert gone.json()["status"] == "no_show"
    day = timezone.localdate(dt.datetime.fromisoformat(created.json()["starts_at"]))  # the slot's local day
    slots = login(collector).get(f"/api/v1/inspections/campaigns/bulky/slots?day={day}").json()
    assert [(s["taken"], s["free"]) for s in slots] == [(0, 1)]
    assert login(r1).get("/api/v1/inspections/campaigns/bulky/slots").status_code == 403
