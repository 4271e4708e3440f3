"""/healthz, the periodic scheduler and the worker."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks import task

from jiedao.core import periodic
from jiedao.core.models import PeriodicRun

calls: list[str] = []


@task()
def remember(word: str = "tick") -> str:
    calls.append(word)
    return word


@pytest.fixture
def registered_job():
    periodic.every(minutes=5, name="test.remember")(remember)
    yield "test.remember"
    periodic._registry.pop("test.remember", None)


def test_healthz_is_ok_with_a_live_worker_and_an_empty_queue(db, client):
    periodic.beat()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["tasks"]["waiting"] == 0


def test_healthz_is_degraded_when_no_worker_has_been_seen(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert "worker" in response.json()["checks"]["tasks"]["problem"]


def test_healthz_is_degraded_when_tasks_wait_too_long(db, client, settings):
    from django_tasks_db.models import DBTaskResult

    periodic.beat()
    remember.enqueue("late")
    stale = dt.timedelta(seconds=settings.TASK_QUEUE_STALE_SECONDS + 5)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - stale)
    body = client.get("/healthz").json()
    assert body["status"] == "degraded"
    assert body["checks"]["tasks"]["waiting"] == 1


def test_healthz_reports_error_when_the_database_is_unreachable(db, client, monkeypatch):
    from django.db import connection

    def broken():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "cursor", broken)
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["database"]["error"] == "OperationalError"


def test_a_periodic_job_is_enqueued_once_per_interval(db, registered_job):
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    assert registered_job in periodic.enqueue_due(now=now)
    assert registered_job not in periodic.enqueue_due(now=now + dt.timedelta(minutes=4))
    assert registered_job in periodic.enqueue_due(now=now + dt.timedelta(minutes=5, seconds=1))
    assert DBTaskResult.objects.filter(task_path__endswith="remember").count() == 2
    assert PeriodicRun.objects.get(name=registered_job).last_enqueued_at == now + dt.timedelta(minutes=5, seconds=1)


def test_the_worker_runs_due_periodic_jobs_and_records_a_heartbeat(transactional_db, registered_job):
    calls.clear()
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert calls == ["tick"]
    assert periodic.last_beat() is not None
    # Not due again yet: a second run does nothing.
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert calls == ["tick"]
