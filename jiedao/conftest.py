import pytest

from jiedao.testing import World


@pytest.fixture
def world(db):
    """Two subdistricts with places and one named persona per role (see jiedao.testing.World)."""
    return World()


@pytest.fixture
def login(client):
    """Sign a persona in on the test client: ``login(world.operator)``."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(scope="session", autouse=True)
def _translations():
    """Compiled catalogues for tests that check English (the set-up command compiles them too)."""
    from django.core.management import call_command

    call_command("compile_translations", verbosity=0, stdout=open("/dev/null", "w"))
