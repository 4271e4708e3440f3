"""On a 390 px phone in a real browser: the 监督员 records a day, a resident books a bulky-waste slot, and
neither page scrolls sideways; the leader's safety page draws its map and trend. No JavaScript errors."""

import datetime as dt

import pytest
from django.utils import timezone

from jiedao.core.roles import Role, ScopeLevel
from jiedao.inspections.campaigns import services
from jiedao.inspections.models import BulkyBooking, SortingRecord
from jiedao.registry.models import Household
from jiedao.testing import browser_sign_in, in_thread, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone_world(transactional_db, world):
    head = make_user("head", role=Role.COMMUNITY_HEAD, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                     community=world.c1)
    volunteer = make_user("volunteer", role=Role.INSPECTOR, subdistrict=world.sub, level=ScopeLevel.COMMUNITY,
                          community=world.c1)
    today = timezone.localdate()
    campaign = services.create_campaign(by=head, name="21天打卡", starts_on=today - dt.timedelta(days=3))
    for i in range(6):
        household = Household.objects.create(subdistrict=world.sub, building=world.b11, room=f"{i + 1}02",
                                             code=f"B{i}")
        services.enrol_household(by=volunteer, campaign=campaign, household=household)
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    slot = services.create_slot(by=head, estate=world.b11.estate, place="1号垃圾厢房旁大件垃圾堆放点",
                                starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=3)
    return {"campaign": campaign.pk, "estate": world.b11.estate_id, "slot": slot.pk}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_phone_pages_record_a_day_and_book_a_slot(phone_world, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size(PHONE)
    url = live_server.url
    record = f"/m/inspections/campaigns/{phone_world['campaign']}/record/"
    browser_sign_in(page, url, "volunteer", record)
    assert no_sideways_scroll(page)
    for i, choice in enumerate(page.query_selector_all("ul.households li")):
        choice.query_selector("label.ok" if i % 3 else "label.bad").click()
    page.click("button.big-button")
    page.wait_for_selector(".message-success")
    assert "已记录 6 户" in page.inner_text(".messages")
    assert in_thread(lambda: sorted(SortingRecord.objects.values_list("correct", flat=True))) == [False, False] + [
        True] * 4
    assert no_sideways_scroll(page)

    browser_sign_in(page, url, "resident", f"/portal/bulky/?estate={phone_world['estate']}")
    assert no_sideways_scroll(page)
    page.click(f"a[href='/portal/bulky/slots/{phone_world['slot']}/']")
    page.fill("#id_address", "5号楼102室")
    page.fill("#id_items", "旧沙发 1 张")
    page.fill("#id_phone", "13912345678")
    assert no_sideways_scroll(page)
    page.click("button.big-button")
    page.wait_for_selector(".message-success")
    assert "旧沙发 1 张" in page.inner_text("[data-testid=my-bookings]")
    assert in_thread(lambda: BulkyBooking.objects.count()) == 1
    assert errors == []


def test_the_leaders_safety_page_draws_the_map_and_trend(phone_world, live_server, browser_page):
    page, errors = browser_page
    browser_sign_in(page, live_server.url, "leader", "/safety/")
    page.wait_for_selector("#safety-map[data-features]")
    assert int(page.get_attribute("#safety-map", "data-features")) == 2
    page.wait_for_selector("#safety-trend[data-loaded] svg")
    assert errors == []


def test_the_head_corrects_a_day_on_a_phone(phone_world, live_server, browser_page):
    page, errors = browser_page
    page.set_viewport_size(PHONE)

    def record_today():
        from jiedao.inspections.models import Enrolment

        enrolment = Enrolment.objects.filter(campaign_id=phone_world["campaign"]).order_by("pk").first()
        services.record_day(by=enrolment.joined_by, campaign=enrolment.campaign, day=timezone.localdate(),
                            findings={enrolment.pk: True})
        return enrolment.household_id

    household = in_thread(record_today)
    browser_sign_in(page, live_server.url, "head", f"/inspections/campaigns/households/{household}/")
    assert no_sideways_scroll(page)
    today = timezone.localdate()
    page.click(f"tr[data-day='{today}'] a.button")
    page.check("input[value=incorrect]")
    page.fill("#id_reason", "误点了隔壁户")
    assert no_sideways_scroll(page)
    page.click("main button[type=submit]")
    page.wait_for_selector(".message-success")
    assert "误点了隔壁户" in page.inner_text("[data-testid=corrections]")
    assert no_sideways_scroll(page)
    assert in_thread(lambda: list(SortingRecord.objects.values_list("correct", flat=True))) == [False]
    assert errors == []
