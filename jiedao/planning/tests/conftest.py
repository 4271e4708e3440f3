"""Planning fixtures: the Caoyang plan loaded into the test world from its data file, and reporters of
three lead units.

The plan file is read as data (the demo ships it): planning does not import the demo.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from jiedao.core.models import Department
from jiedao.core.roles import Role, ScopeLevel
from jiedao.planning import services
from jiedao.testing import make_user

CAOYANG_PLAN = Path(settings.BASE_DIR) / "jiedao" / "demo" / "data" / "caoyang-plan.json"


@pytest.fixture(scope="session")
def caoyang_plan() -> dict:
    """The Caoyang 14th Five-Year plan's data file, parsed."""
    return json.loads(CAOYANG_PLAN.read_text(encoding="utf-8"))


@pytest.fixture
def departments(world, caoyang_plan):
    """The lead units the plan names, as departments of the test subdistrict, by code."""
    return {
        row["code"]: Department.objects.get_or_create(
            subdistrict=world.sub, code=row["code"], defaults={"name": row["name"], "kind": row["kind"]})[0]
        for row in caoyang_plan["departments"]
    }


@pytest.fixture
def plan(world, departments):
    """The Caoyang 14th Five-Year plan as its file holds it (no reports or values yet), published."""
    the_plan = services.load_plan(subdistrict=world.sub, document=CAOYANG_PLAN)
    the_plan.published = True
    the_plan.save(update_fields=["published"])
    return the_plan


def _reporter(world, department, username):
    return make_user(username, role=Role.HANDLER, subdistrict=world.sub, level=ScopeLevel.DEPARTMENT,
                     department=department)


@pytest.fixture
def housing_reporter(world, departments):
    """A reporter of 房管办 (FGB), lead unit of tables 1 and 2 and the housing indicators."""
    return _reporter(world, departments["FGB"], "fgb_reporter")


@pytest.fixture
def roads_reporter(world, departments):
    """A reporter of 城市建设管理中心 (JSZX), lead unit of table 3 and 百禧公园."""
    return _reporter(world, departments["JSZX"], "jszx_reporter")


@pytest.fixture
def greening_reporter(world, departments):
    """A reporter of 绿化市容管理所 (LHSR), lead unit of 人均公共绿地面积."""
    return _reporter(world, departments["LHSR"], "lhsr_reporter")


@pytest.fixture
def elevators_not_connected():
    """A deployment without the elevators module: its element stands as the announcement planning makes, so
    the plan's 加装电梯 indicator shows how an indicator over a missing source reads."""
    from django.utils.translation import gettext_lazy as _

    from jiedao.core.contributions import PlanningElement, planning_elements

    placeholder = PlanningElement("elevators.retrofits_completed", name=_("加装电梯竣工数"), unit="个",
                                  definition=_("报告期末前竣工的加装电梯项目数"), source=_("加装电梯"),
                                  unavailable=_("加装电梯模块（elevators）尚未接入"))
    with planning_elements.replaced(placeholder):
        yield placeholder
