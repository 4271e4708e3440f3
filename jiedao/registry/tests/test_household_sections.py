"""The household file draws the sections other apps contribute (core.contributions.household_sections): each
under its title, in order, with the context its app gave this reader, and not at all when the app answers
None; the household API carries the sections' data the same way. The registry knows none of the apps."""

import html

from jiedao.core.contributions import HouseholdSection, household_sections
from jiedao.registry.tests.test_pages_support import make_household


def colour_section(code: str, order: int, *, readers: set[str]) -> HouseholdSection:
    """A section drawn with one of the registry's own small templates, shown to the named readers only."""

    def context(*, user, household):
        if user.username not in readers:
            return None
        return {"colour": "red", "label": f"{code} for {user.username} at {household.code}"}

    def data(*, user, household):
        return {"seen_by": user.username} if user.username in readers else None

    return HouseholdSection(code=code, title=f"Title {code}", order=order, template="registry/_colour.html",
                            context=context, data=data)


def test_the_file_draws_each_section_in_order_with_its_readers_context(world, login):
    household = make_household(world, world.b21, room="301")
    late = colour_section("test.late", 90, readers={"operator", "social_worker"})
    early = colour_section("test.early", 10, readers={"operator", "social_worker"})
    private = colour_section("test.private", 50, readers={"operator"})
    with household_sections.alone(late, early, private):
        page = html.unescape(login(world.social_worker).get(f"/registry/households/{household.pk}/").content.decode())
        operator_page = html.unescape(login(world.operator).get(f"/registry/households/{household.pk}/")
                                      .content.decode())
    assert page.index("<h2>Title test.early</h2>") < page.index("<h2>Title test.late</h2>")
    assert f"test.early for social_worker at {household.code}" in page
    assert "test.private" not in page  # its app answered None for this reader
    assert operator_page.index("Title test.early") < operator_page.index("Title test.private") \
        < operator_page.index("Title test.late")


def test_the_household_api_carries_the_sections_data_for_the_reader(world, login):
    household = make_household(world, world.b21, room="302")
    with household_sections.alone(colour_section("test.b", 2, readers={"operator", "social_worker"}),
                                  colour_section("test.a", 1, readers={"operator"})):
        mine = login(world.social_worker).get(f"/api/v1/registry/households/{household.pk}").json()["sections"]
        theirs = login(world.operator).get(f"/api/v1/registry/households/{household.pk}").json()["sections"]
    assert mine == [{"code": "test.b", "title": "Title test.b", "data": {"seen_by": "social_worker"}}]
    assert [s["code"] for s in theirs] == ["test.a", "test.b"]


def test_a_reader_outside_the_households_scope_gets_no_section_at_all(world, login):
    household = make_household(world, world.b21, room="303")  # 兰溪园; the grid worker has grid g11 of 曹杨一村
    called = []

    def context(*, user, household):
        called.append(user.username)
        return {}

    spy = HouseholdSection(code="test.spy", title="Spy", order=1, template="registry/_colour.html", context=context)
    with household_sections.alone(spy):
        assert login(world.grid_worker).get(f"/registry/households/{household.pk}/").status_code == 404
    assert called == []
