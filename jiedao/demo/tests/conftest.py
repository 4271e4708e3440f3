"""The demo's tests check each module's demo content on that module's own test world."""

from jiedao.cases.tests.conftest import cases_world  # noqa: F401  (a fixture: the cases tests' world)
