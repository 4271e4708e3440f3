"""工程智能报价: lines from the cost table, the subsidy with its cap, shares by floor that add up to the net."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiedao.elevators import quotes, services
from jiedao.elevators.models import CostItem, ShareCoefficient, SubsidyRule

pytestmark = pytest.mark.django_db


def surveyed(estate, head, *, entry="level", pipes="clear", **kw):
    b = estate.building(**kw)
    services.save_survey(building=b, by=head, entry=entry, pipes=pipes)
    return b


def test_a_six_storey_level_entry_quote_from_the_default_table(estate, head):
    b = surveyed(estate, head, floors=6, per_floor=2)
    project = services.create_project(building=b, by=head)
    q = services.make_quote(project=project, by=head)
    lines = {line["code"]: (line["quantity"], Decimal(line["subtotal"])) for line in q.lines}
    assert lines == {
        "equipment": (1, Decimal("250000")), "stop": (6, Decimal("72000")), "shaft_steel": (6, Decimal("150000")),
        "corridor": (5, Decimal("90000")), "foundation": (1, Decimal("50000")), "design": (1, Decimal("40000")),
    }
    assert q.total == Decimal("652000") and q.stops == 6
    assert q.subsidy == Decimal("260800")  # 40 % of 652,000, under the 280,000 cap
    assert q.net == Decimal("391200")
    assert sum(Decimal(s["amount"]) for s in q.shares) == q.net
    ground = [s for s in q.shares if s["floor"] == 1]
    assert len(ground) == 2 and all(Decimal(s["amount"]) == 0 for s in ground)
    by_floor = {s["floor"]: Decimal(s["amount"]) for s in q.shares}
    assert by_floor[2] < by_floor[3] < by_floor[4] < by_floor[5] < by_floor[6]
    # coefficients 0,1,2,3,4,5 per floor, two dwellings each: 30 parts; the 6th floor pays 5/30 of the net each
    assert by_floor[6] == Decimal("65200.00")


def test_the_subsidy_stops_at_its_cap(estate, head):
    b = surveyed(estate, head, floors=7, per_floor=2, pipes="relocate")
    CostItem.objects.filter(code="equipment").update(amount=Decimal("400000"))
    q = services.make_quote(project=services.create_project(building=b, by=head, shaft="concrete"), by=head)
    assert q.total == Decimal("400000") + 7 * Decimal("12000") + 7 * Decimal("32000") + 6 * Decimal("18000") + \
        Decimal("50000") + Decimal("40000") + Decimal("60000")
    assert q.total * Decimal("0.4") > Decimal("280000")
    assert q.subsidy == Decimal("280000") and q.net == q.total - Decimal("280000")
    assert "28 万元" in q.subsidy_source


def test_half_level_entry_needs_no_corridors(estate, head):
    b = surveyed(estate, head, entry="half", floors=6)
    q = services.make_quote(project=services.create_project(building=b, by=head), by=head)
    assert "corridor" not in {line["code"] for line in q.lines} and q.total == Decimal("562000")


def test_shares_add_up_to_the_net_to_the_fen_when_they_do_not_divide():
    dwellings = [quotes.Dwelling(str(i), f"{f}0{r}", f) for i, (f, r) in enumerate(
        (f, r) for f in range(1, 7) for r in (1, 2, 3))]
    table = {1: Decimal("0"), 2: Decimal("1"), 3: Decimal("1.3"), 4: Decimal("1.7")}  # 5th, 6th: the top's
    net = Decimal("391200.07")
    out = quotes.shares(net, dwellings, table)
    assert sum(Decimal(s["amount"]) for s in out) == net
    assert {s["coefficient"] for s in out if s["floor"] >= 4} == {"1.7"}
    amounts = [Decimal(s["amount"]) for s in out if s["floor"] == 6]
    assert max(amounts) - min(amounts) <= Decimal("0.01")


def test_the_sharing_table_is_data(estate, head):
    b = surveyed(estate, head, floors=4, per_floor=1)
    ShareCoefficient.objects.all().update(coefficient=Decimal("1"))  # even shares, ground floor too
    q = services.make_quote(project=services.create_project(building=b, by=head), by=head)
    assert {s["amount"] for s in q.shares} == {str(q.net / 4)}


def test_a_quote_without_the_surveys_entry_or_pipes_says_what_to_fill_in(estate, head):
    b = estate.building()
    project = services.create_project(building=b, by=head)
    with pytest.raises(ValidationError) as e:
        services.make_quote(project=project, by=head)
    assert e.value.message_dict == {"entry": ["请先确定入户方式（平层或半层入户），可在踏勘表中填写"]}
    services.save_survey(building=b, by=head, entry="level", pipes="blocking")
    with pytest.raises(ValidationError) as e:
        services.make_quote(project=project, by=head)
    assert e.value.message_dict == {"pipes": ["踏勘记录显示地下管线无法迁移，无法报价"]}


def test_no_subsidy_rule_in_force_is_refused(estate, head):
    b = surveyed(estate, head)
    SubsidyRule.objects.all().delete()
    with pytest.raises(ValidationError, match="尚未配置加装电梯补贴标准"):
        services.make_quote(project=services.create_project(building=b, by=head), by=head)


def test_a_social_worker_may_not_quote(world, estate, head):
    b = surveyed(estate, head)
    project = services.create_project(building=b, by=head)
    with pytest.raises(PermissionDenied):
        services.make_quote(project=project, by=world.social_worker)
