"""The household-file contribution point: sections come in order, each asked per reader, None hides it."""

from jiedao.core.contributions import (
    HouseholdSection,
    household_sections,
    section_data_for_household,
    sections_for_household,
)

HOUSEHOLD = object()  # the point passes the household through; it never reads it


def section(code: str, order: int, *, shown_to=None, data=None) -> HouseholdSection:
    def context(*, user, household):
        assert household is HOUSEHOLD
        return {"reader": user} if shown_to is None or user in shown_to else None

    return HouseholdSection(code=code, title=code.upper(), order=order, template=f"{code}.html", context=context,
                            data=data)


def test_sections_come_by_order_then_code_each_with_its_context():
    entries = [section("test.late", 30), section("test.b", 10), section("test.a", 10)]
    with household_sections.alone(*entries):
        shown = [(s.code, ctx) for s, ctx in sections_for_household(user="reader", household=HOUSEHOLD)]
    assert shown == [("test.a", {"reader": "reader"}), ("test.b", {"reader": "reader"}),
                     ("test.late", {"reader": "reader"})]


def test_a_section_whose_context_answers_none_is_hidden_from_that_reader_only():
    with household_sections.alone(section("test.private", 1, shown_to={"head"}), section("test.open", 2)):
        def codes(user):
            return [s.code for s, _ in sections_for_household(user=user, household=HOUSEHOLD)]

        assert codes("head") == ["test.private", "test.open"]
        assert codes("stranger") == ["test.open"]


def test_the_api_gets_only_sections_with_data_and_not_those_answering_none():
    def data(*, user, household):
        return [1, 2] if user == "head" else None

    with household_sections.alone(section("test.page_only", 1), section("test.api", 2, data=data)):
        def api(user):
            return section_data_for_household(user=user, household=HOUSEHOLD)

        assert api("head") == [{"code": "test.api", "title": "TEST.API", "data": [1, 2]}]
        assert api("stranger") == []


def test_the_cases_module_contributes_its_section():
    cases = household_sections.get("cases.cases")
    assert cases is not None and cases.data is not None
    assert str(cases.title) == "案件"


def test_alone_puts_the_points_entries_back_afterwards():
    before = household_sections.all()
    with household_sections.alone(section("test.only", 1)):
        assert list(household_sections.all()) == ["test.only"]
    assert household_sections.all() == before
