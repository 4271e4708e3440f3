"""``jiedao consult-tally --json -``: one JSON object per line in, one per line out; a malformed line gets an
error and the rest go on."""

import io
import json

from django.core.management import call_command


def run(*lines) -> list[dict]:
    out = io.StringIO()
    stdin = io.StringIO("\n".join(json.dumps(x, ensure_ascii=False) if not isinstance(x, str) else x
                                  for x in lines) + "\n")
    call_command("consult_tally", "--json", "-", stdin=stdin, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def units(n, area="50.00", owner=lambda i: f"p{i}"):
    return [{"id": f"1-{i + 1}01", "owner": owner(i), "area": area} for i in range(n)]


def test_a_special_vote_at_its_boundaries_with_exact_ratios():
    [out] = run({"rule": "278-special", "units": units(12),
                 "ballots": {**{f"p{i}": "agree" for i in range(6)}, "p6": "disagree", "p7": "abstain"}})
    assert out == {"passed": True, "participation": {"area": "2/3", "heads": "2/3"},
                   "agreement": {"area": "3/4", "heads": "3/4"}, "needed": 0, "visit_next": []}


def test_ratios_of_decimal_areas_are_reduced_fractions():
    [out] = run({"rule": "278-ordinary",
                 "units": [{"id": "a", "owner": "p1", "area": "66.20"}, {"id": "b", "owner": "p2", "area": "33.80"},
                           {"id": "c", "owner": "p3", "area": 0.1}],
                 "ballots": {"p1": "agree", "p2": "disagree"}})
    assert out["participation"] == {"area": "1000/1001", "heads": "2/3"}
    assert out["agreement"] == {"area": "331/500", "heads": "1/2"}
    assert out["passed"] is False and out["needed"] == 1 and out["visit_next"] == ["p3"]


def test_one_buyer_and_the_developer_count_once_and_visit_next_is_minimal():
    owner = {0: "buyer", 1: "buyer", 2: "buyer", 3: "dev", 4: "dev"}.get
    [out] = run({"rule": "278-special", "units": units(8, owner=lambda i: owner(i) or f"p{i}"),
                 "ballots": {"p5": "agree"}})
    assert out["participation"] == {"area": "1/8", "heads": "1/5"}
    # 5 heads: buyer (150 m²), dev (100), p5 (agreed), p6, p7 (50 each). 2/3 of 5 heads is 4 heads: three more
    # owners; without the buyer the area stays short (dev, p6, p7 and p5: 250 of 400 m²).
    assert out["needed"] == 3 and len(out["visit_next"]) == 3 and out["visit_next"][0] == "buyer"


def test_share_rule_with_its_threshold():
    [ok, short] = run(
        {"rule": "share", "share": {"of": "heads", "at_least": "9/10"}, "units": units(10),
         "ballots": {f"p{i}": "agree" for i in range(9)}},
        {"rule": "share", "share": {"of": "area", "at_least": "0.95"}, "units": units(20),
         "ballots": {f"p{i}": "agree" for i in range(18)}})
    assert ok["passed"] and ok["agreement"]["heads"] == "9/10"
    assert not short["passed"] and short["needed"] == 1


def test_a_malformed_line_gets_an_error_and_the_rest_go_on():
    good = {"rule": "278-special", "units": units(3), "ballots": {"p0": "agree", "p1": "agree"}}
    outs = run(good, "{not json", {"rule": "278-special", "units": units(2), "ballots": {"p9": "agree"}},
               {"rule": "share", "share": {"of": "heads", "at_least": "3/2"}, "units": units(2), "ballots": {}},
               {"rule": "share", "share": {"of": "heads", "at_least": "-0.5"}, "units": units(2), "ballots": {}},
               {"rule": "278-special", "units": [{"id": "a", "owner": "p1"}], "ballots": {}},
               {"rule": "278-special", "units": units(2, area="-3"), "ballots": {}},
               {"rule": "supermajority", "units": units(2), "ballots": {}},
               {"rule": "278-special", "units": units(2), "ballots": {"p0": "yes"}},
               "[1, 2]", good)
    assert len(outs) == 11
    assert outs[0]["passed"] is True and outs[-1] == outs[0]
    errors = [o.get("error", "") for o in outs[1:-1]]
    assert all(errors), outs
    assert "JSON" in errors[0] and "p9" in errors[1] and "门槛" in errors[2] and "门槛" in errors[3]
    assert "面积" in errors[4] and "面积" in errors[5] and "未知的表决规则" in errors[6] and "yes" in errors[7]
