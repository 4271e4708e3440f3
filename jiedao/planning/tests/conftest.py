"""Planning fixtures: the Caoyang plan loaded into the test world, and reporters of two lead units."""

import pytest

from jiedao.core.roles import Role, ScopeLevel
from jiedao.planning import demo_data, services
from jiedao.testing import make_user


@pytest.fixture
def departments(world):
    return demo_data.ensure_departments(world.sub)


@pytest.fixture
def plan(world, departments):
    """The Caoyang 14th Five-Year plan as the fixture ships it (no reports or values yet), published."""
    the_plan = services.load_plan(subdistrict=world.sub)
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
