"""The registry's busiest pages cost a fixed number of queries, however many households and residents
they show."""

import datetime as dt

import pytest

from jiedao.core.contributions import household_sections
from jiedao.registry import services
from jiedao.registry.models import Resident
from jiedao.registry.tests.test_pages_support import editor, make_household

SURNAMES = "王李张刘陈杨赵黄周吴"


@pytest.fixture
def households(world):
    """20 households over the four buildings, two or three residents each (50 in all), some tagged."""
    made = []
    born = dt.date(1935, 1, 1)
    for i in range(20):
        building = (world.b11, world.b12, world.b21, world.b22)[i % 4]
        people = []
        for j in range(3 if i % 2 else 2):
            birth = born + dt.timedelta(days=400 * (3 * i + j))
            people.append((f"{SURNAMES[i % 10]}{'甲乙丙'[j]}{i}", f"{birth:%Y%m%d}"))
        household = make_household(world, building, room=f"{101 + i}", people=people)
        if i % 3 == 0:
            services.add_tag(resident=household.residents.first(), tag="disabled_care", by=editor(world))
        made.append(household)
    return made


def test_the_search_page_costs_six_queries_for_one_resident_or_a_full_page(world, login, households,
                                                                            django_assert_num_queries):
    """The session, the user, the tag choices, the count, the page of residents with their households and
    buildings, the community choices; a resident's row needs nothing more."""
    client = login(world.operator)
    with django_assert_num_queries(6):
        full = client.get("/registry/")
    html = full.content.decode()
    names = Resident.objects.values_list("name", flat=True)
    assert full.status_code == 200 and len(names) == 50 and all(name in html for name in names)
    with django_assert_num_queries(6):
        one = client.get("/registry/", {"name": "王甲0"})
    assert one.status_code == 200 and "王甲0" in one.content.decode()


def test_the_household_page_costs_eight_queries_whatever_its_size(world, login, households,
                                                                  django_assert_num_queries):
    """The session, the user, the household with its building and places, its residents, their entered
    tags, the derived tags, its household code and its residence history; per resident nothing more. The
    sections other apps add (core.contributions.household_sections) count their own queries in their tests."""
    client = login(world.operator)
    small, large = households[0], households[1]
    services.issue_code(household=large, by=editor(world))
    services.move_out(resident=large.residents.order_by("pk").last(), on=dt.date.today(), by=editor(world))
    for household, size in ((small, 2), (large, 3)):
        assert household.residents.count() == size
        with household_sections.alone(), django_assert_num_queries(8):
            response = client.get(f"/registry/households/{household.pk}/")
        assert response.status_code == 200
