"""The formula language of computed indicators: parsing, validation with Chinese errors, evaluation over
registered data elements, and honesty about sources that are not connected yet."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.planning import elements, formula
from jiedao.planning.computation import evaluate_indicator
from jiedao.planning.models import Indicator, validate_formula
from jiedao.planning.periods import Period
from jiedao.registry.models import Household, Resident
from jiedao.testing import make_id_number, make_user


def value(text: str, **numbers) -> Decimal:
    return formula.evaluate(formula.parse(text), lambda code: Decimal(numbers[code.replace(".", "_")]))


def test_arithmetic_follows_precedence_and_parentheses():
    assert value("1 + 2 * 3") == 7
    assert value("(1 + 2) * 3") == 9
    assert value("-2 + 10 / 4") == Decimal("0.5")
    assert value("{a.b} * 100 / {a.c}", a_b=30, a_c=120) == 25


def test_references_lists_each_element_once_in_order():
    tree = formula.parse("({registry.residents_60_plus} + {registry.residents_80_plus}) / {registry.residents_60_plus}")
    assert formula.references(tree) == ["registry.residents_60_plus", "registry.residents_80_plus"]


@pytest.mark.parametrize(("text", "message"), [
    ("", "公式不能为空"),
    ("1 +", "结尾缺少"),
    ("(1 + 2", "缺少右括号"),
    ("1 + 2)", "多了右括号"),
    ("2 3", "缺少运算符"),
    ("__import__('os')", "无法识别"),
    ("{registry residents}", "格式有误"),
    ("1 ** 2", "不完整"),
])
def test_malformed_formulas_are_refused_with_a_chinese_reason(text, message):
    with pytest.raises(ValidationError) as exc:
        formula.parse(text)
    assert message in exc.value.messages[0]


def test_division_by_zero_is_reported_not_raised_as_a_crash():
    with pytest.raises(ZeroDivisionError):
        value("1 / (2 - 2)")


def test_a_formula_over_an_unregistered_element_names_it_and_what_exists():
    with pytest.raises(ValidationError) as exc:
        validate_formula("{registry.residents_height} / {registry.residents}")
    message = exc.value.messages[0]
    assert "registry.residents_height" in message and "不存在" in message
    assert "registry.residents_60_plus" in message  # the fix: what the registry module offers
    with pytest.raises(ValidationError) as exc:
        validate_formula("{weather.rainfall}")
    assert "没有名为「weather」的数据来源" in exc.value.messages[0]


def test_saving_an_indicator_with_a_formula_over_a_missing_field_changes_nothing(plan, world):
    from jiedao.planning import services

    indicator = plan.indicators.get(code="ageing-rate")
    with pytest.raises(ValidationError) as exc:
        services.update_indicator(indicator=indicator, by=world.leader, numerator="{registry.residents.age}")
    assert "numerator" in exc.value.message_dict
    indicator.refresh_from_db()
    assert indicator.numerator == "{registry.residents_60_plus}"


@pytest.fixture
def residents(world):
    """Two single-person households (a woman born 1940 and a man born 1990), and a couple born 1960/1962."""
    def household(room, *people):
        hh = Household.objects.create(subdistrict=world.sub, building=world.b11, room=room, code=f"T{room}")
        for n, born in enumerate(people):
            Resident.objects.create(
                subdistrict=world.sub, household=hh, name=f"居民{room}{n}", sex="F", birth_date=born,
                id_number=make_id_number(born))
        return hh

    household("101", dt.date(1940, 5, 1))
    household("102", dt.date(1990, 1, 1))
    household("201", dt.date(1960, 3, 1), dt.date(1962, 8, 1))


def test_registry_elements_count_ages_at_the_end_of_the_period(world, residents):
    def at(code, period):
        return elements.value_of(code, subdistrict_id=world.sub.pk, period=period)

    assert at("registry.residents", Period(2021, 4)) == 4
    assert at("registry.households", Period(2021, 4)) == 3
    # Born 1 March 1960: 60 at the end of 2020's first quarter, not before; born 1962: 60 in 2022.
    assert at("registry.residents_60_plus", Period(2019, 4)) == 1
    assert at("registry.residents_60_plus", Period(2020, 1)) == 2
    assert at("registry.residents_60_plus", Period(2022, 3)) == 3
    assert at("registry.residents_80_plus", Period(2020, 2)) == 1
    assert at("registry.elderly_living_alone", Period(2025, 4)) == 1  # the couple does not live alone
    assert at("registry.residents", Period(2021, 4)) == 4
    assert elements.value_of("registry.residents", subdistrict_id=world.other_sub.pk, period=Period(2021, 4)) == 0


def test_a_computed_indicator_evaluates_numerator_over_denominator_times_factor(plan, residents):
    ageing = plan.indicators.get(code="ageing-rate")
    assert evaluate_indicator(ageing, Period(2019, 4)).value == Decimal("25.00")
    assert evaluate_indicator(ageing, Period(2022, 4)).value == Decimal("75.00")


def test_a_zero_denominator_gives_no_value_and_says_why(plan):
    computed = evaluate_indicator(plan.indicators.get(code="ageing-rate"), Period(2023, 4))
    assert computed.value is None and "分母为 0" in computed.problem


def test_indicators_over_modules_not_connected_say_so_instead_of_a_number(plan, elevators_not_connected):
    computed = evaluate_indicator(plan.indicators.get(code="elevators-completed"), Period(2025, 4))
    assert computed.value is None
    assert "数据来源尚未接入" in computed.problem and "elevators" in computed.problem
    assert [e.code for e in computed.unavailable] == ["elevators.retrofits_completed"]


def test_the_case_rates_of_the_plan_are_computed_from_the_cases_module(plan, world):
    """先行联系率 and 按时办结率 come from the cases' own timeline, not from a typed-in number."""
    from jiedao.cases import defaults
    from jiedao.cases import services as case_services
    from jiedao.cases.models import Channel

    on_time = plan.indicators.get(code="on-time-closure-rate")
    assert evaluate_indicator(on_time, Period(2025, 4)).problem == "分母为 0，本期无法计算"
    squad = Department.objects.create(subdistrict=world.sub, code="CGZD", name="城管执法中队")
    defaults.install(subdistrict=world.sub)
    handler = make_user("cg", role=Role.HANDLER, subdistrict=world.sub, level=ScopeLevel.DEPARTMENT, department=squad)
    case = case_services.intake(subdistrict=world.sub, channel=Channel.HOTLINE, description="楼下饭店半夜搬东西很吵",
                                address="兰溪路200弄5号", by=world.operator, category="噪音扰民").case
    for action, who, extra in (("register", world.operator, {}), ("dispatch", world.operator, {"department": "CGZD"}),
                               ("accept", handler, {}), ("contact", handler, {"note": "已联系"}),
                               ("handle", handler, {"note": "已处理"}), ("close", world.operator, {})):
        case = case_services.perform(case=case, action=action, by=who, **extra)
    closed_on = timezone.localdate(case.closed_at)
    this_quarter = Period(closed_on.year, (closed_on.month - 1) // 3 + 1)
    assert evaluate_indicator(on_time, this_quarter).value == Decimal("100.00")
    assert evaluate_indicator(plan.indicators.get(code="first-contact-rate"), this_quarter).value == Decimal("100.00")
    assert evaluate_indicator(on_time, Period(closed_on.year - 1, 0)).value is None


def test_roads_built_are_counted_from_the_projects_themselves(plan):
    roads = plan.indicators.get(code="beautiful-roads")
    first_three = plan.projects.filter(category="road", table_row__lte=3)
    first_three.update(completed_on=dt.date(2023, 6, 30), status="completed")
    assert evaluate_indicator(roads, Period(2023, 1)).value == 0
    assert evaluate_indicator(roads, Period(2023, 2)).value == 3


def test_a_module_contributes_the_real_source_in_place_of_the_announced_one(plan, elevators_not_connected):
    from jiedao.core.contributions import PlanningElement, planning_elements

    built = PlanningElement("elevators.retrofits_completed", name="加装电梯竣工数", unit="个", definition="测试",
                            source="加装电梯", compute=lambda **_: 12)
    placeholder = elements.get("elevators.retrofits_completed")
    assert planning_elements.add(placeholder) is placeholder  # announcing again changes nothing
    with planning_elements.replaced(built):
        assert planning_elements.add(placeholder) is built     # an announcement never hides a real source
        completed = evaluate_indicator(plan.indicators.get(code="elevators-completed"), Period(2025, 4))
        assert completed.value == Decimal("12.00")
    assert not elements.get("elevators.retrofits_completed").available


def test_the_docs_list_every_registered_data_element():
    from django.conf import settings

    docs = (settings.BASE_DIR / "docs" / "planning.md").read_text(encoding="utf-8")
    assert [code for code in elements.registered() if f"`{code}`" not in docs] == []


def test_every_computed_indicator_of_the_fixture_has_a_valid_formula(plan):
    computed = list(plan.indicators.filter(source=Indicator.Source.COMPUTED))
    assert len(computed) >= 8
    for indicator in computed:
        assert indicator.element_codes()
        for code in indicator.element_codes():
            assert elements.get(code) is not None, code
