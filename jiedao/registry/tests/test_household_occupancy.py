"""一户一档: who lives in the household. Someone registered there who lives elsewhere (户在人不在) is listed
apart and not counted in 现住人数, nor as company for 独居; 迁入日期 comes from the residence history when the
resident's own date is empty."""

import datetime as dt
import re

from jiedao.registry import colours, services
from jiedao.registry.models import Residence, Resident, Tag
from jiedao.registry.tests.test_pages_support import editor, make_household


def _section(page: str, heading_id: str) -> str:
    """The HTML from a section's heading to the next heading of the same level."""
    start = page.index(f'<h2 id="{heading_id}">')
    following = page.find("<h2", start + 1)
    return page[start:following if following != -1 else None]


def _count(page: str) -> int:
    return int(re.search(r"<dt>现住人数</dt><dd>(\d+)</dd>", page).group(1))


def test_a_resident_registered_here_but_living_elsewhere_is_listed_apart_and_not_counted(world, login):
    household = make_household(world, people=(("王秀英", "19380501"), ("李建国", "19700101")))
    son = household.residents.get(name="李建国")
    services.update_resident(resident=son, by=editor(world), residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    page = login(world.social_worker).get(f"/registry/households/{household.pk}/").content.decode()
    assert _count(page) == 1
    living, away = _section(page, "living"), _section(page, "away")
    assert "王秀英" in living and "李建国" not in living
    assert "李建国" in away and "户在人不在" in away
    assert f'action="/registry/residents/{son.pk}/move-out/"' in away  # still a current registration, kept up


def test_the_mother_left_with_a_son_who_lives_elsewhere_lives_alone(world):
    household = make_household(world, people=(("王秀英", "19380501"), ("李建国", "19700101")))
    mother, son = household.residents.get(name="王秀英"), household.residents.get(name="李建国")
    mother.refresh_from_db()
    assert "独居" not in mother.care_reason
    services.update_resident(resident=son, by=editor(world), residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    colours.recompute(household_ids=[household.pk])
    mother.refresh_from_db()
    son.refresh_from_db()
    assert mother.care_reason == "黄: 独居老人"  # the page, the engine and the counts agree
    assert "独居" not in son.care_reason
    alone = Resident.objects.filter(colours.tag_q(Tag.objects.get(code="living_alone")))  # search and counts
    assert list(alone.values_list("name", flat=True)) == ["王秀英"]


def test_the_moved_in_date_comes_from_the_history_when_the_resident_has_none(world, login):
    household = make_household(world)
    head = household.residents.get()
    Resident.objects.filter(pk=head.pk).update(moved_in_on=None)  # as rows imported by older versions have
    Residence.objects.filter(resident=head).update(moved_in_on=dt.date(2015, 1, 1))
    page = login(world.social_worker).get(f"/registry/households/{household.pk}/").content.decode()
    person = page[page.index(f'id="resident-{head.pk}"'):]
    assert re.search(r"<dt>迁入日期</dt><dd>2015-01-01</dd>", person)


def test_the_api_household_file_counts_alike(world, login):
    household = make_household(world, people=(("王秀英", "19380501"), ("李建国", "19700101")))
    son = household.residents.get(name="李建国")
    services.update_resident(resident=son, by=editor(world), residence_status=Resident.ResidenceStatus.HUKOU_ONLY)
    body = login(world.social_worker).get(f"/api/v1/registry/households/{household.pk}").json()
    statuses = {r["name"]: r["residence_status"] for r in body["residents"]}
    assert statuses == {"王秀英": "both", "李建国": "hukou_only"}
    assert "独居老人" in next(r for r in body["residents"] if r["name"] == "王秀英")["tags"]
