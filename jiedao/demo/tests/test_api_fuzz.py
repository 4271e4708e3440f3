"""schemathesis over the whole OpenAPI (/api/openapi.json) on the demo at a small scale: no request, valid or
not, gets a 5xx.

Every operation gets MAX_EXAMPLES generated requests that fit its schema and as many that do not (wrong
types, missing fields, numbers out of range …), with the token of an operator whose role is given every
permission for this test, so that the requests reach past each permission check into the code behind it.
The test is transactional: each request commits as it does in production, so a refused query on PostgreSQL
does not abort the requests after it. About a minute on SQLite; search longer by hand with
JIEDAO_FUZZ_EXAMPLES=200 pytest jiedao/demo/tests/test_api_fuzz.py (the examples are derandomized, so CI
runs the same requests each time).
"""

import importlib
import io
import os

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from jiedao.api import api
from jiedao.core import roles, services
from jiedao.core.models import User
from jiedao.core.roles import Perm, Role

MAX_EXAMPLES = int(os.environ.get("JIEDAO_FUZZ_EXAMPLES", "10"))


def _schema():
    schema = schemathesis.openapi.from_dict(dict(api.get_openapi_schema(path_prefix="/api/")))
    schema.app = get_wsgi_application()  # requests go through the whole Django stack, in this process
    return schema


@pytest.fixture
def api_token(monkeypatch, settings, tmp_path):
    # The rows migrations write (categories, tags): a transactional test before this one has flushed them.
    importlib.import_module("jiedao.cases.migrations.0002_default_taxonomy").load(django_apps, None)
    importlib.import_module("jiedao.registry.migrations.0002_default_tags_and_colour_rules").forwards(django_apps, None)
    settings.DATA_DIR = tmp_path  # the demo records its default subdistrict there
    call_command("demo", "--scale", "0.04", stdout=io.StringIO())
    monkeypatch.setitem(roles.ROLE_PERMS, Role.OPERATOR, frozenset(Perm))
    token, _ = services.issue_token(user=User.objects.get(username="operator"), name="fuzz")
    return token


def _fuzz(operation, token: str) -> None:
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE))

    @settings(max_examples=2 * MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        case.validate_response(response, checks=[not_a_server_error])

    run()


@pytest.mark.django_db(transaction=True)
def test_no_request_to_the_api_gets_a_server_error(api_token):
    operations = [result.ok() for result in _schema().get_all_operations()]
    assert len(operations) > 40
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, api_token)
        except (Exception, BaseExceptionGroup) as exc:  # every operation is fuzzed; all failures are reported
            notes = "\n".join(getattr(exc, "__notes__", []))
            failures.append(f"{operation.label}: {type(exc).__name__}: {exc}\n{notes}")
    assert not failures, "\n\n".join(failures)
