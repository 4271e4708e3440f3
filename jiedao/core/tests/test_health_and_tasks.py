"""/healthz, the periodic scheduler and the worker."""

import datetime as dt
import errno
import io
import logging
import os

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks import task

from jiedao.core import periodic, tasks
from jiedao.core.models import PeriodicRun, WorkerHeartbeat

calls: list[str] = []


@task()
def remember(word: str = "tick") -> str:
    calls.append(word)
    return word


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def live_worker(db):
    """A worker's heartbeat, written by this (live) process."""
    tasks.register_worker(worker_id="test-worker")
    return "test-worker"


@pytest.fixture
def read_only_database(transactional_db):
    """The database refuses writes from here on, as a read-only replica or a remounted disk would."""
    statements = {"sqlite": ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
                  "postgresql": ("SET default_transaction_read_only = on", "SET default_transaction_read_only = off")}
    on, off = statements[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(on)
    yield
    with connection.cursor() as cursor:
        cursor.execute(off)


@pytest.fixture
def registered_job():
    periodic.every(minutes=5, name="test.remember")(remember)
    yield "test.remember"
    periodic._registry.pop("test.remember", None)


def test_healthz_is_ok_with_a_live_worker_and_an_empty_queue(live_worker, client, media):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["media"]["status"] == "ok"
    assert body["checks"]["tasks"]["waiting"] == 0
    assert body["checks"]["tasks"]["workers"] == 1
    assert list(media.iterdir()) == []  # the media probe leaves nothing behind
    assert not PeriodicRun.objects.exists()  # nor does the database probe


def test_healthz_fails_when_the_database_is_read_only(live_worker, read_only_database, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["status"] == "error"
    assert body["checks"]["media"]["status"] == "ok"


def test_healthz_fails_when_the_media_folder_cannot_be_written(live_worker, client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocked
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["media"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_fails_when_the_media_disk_is_full(live_worker, client, monkeypatch):
    def full(self, name, content):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["media"]["status"] == "error"


def test_healthz_is_degraded_when_the_only_worker_has_died(db, client):
    tasks.register_worker(worker_id="gone")
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - tasks.WORKER_LOST_AFTER - dt.timedelta(seconds=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["tasks"]["workers"] == 0


def test_a_503_from_healthz_is_logged_as_a_warning_not_an_error(db, client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/healthz")  # no worker yet, as in a server's first seconds
    assert response.status_code == 503
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert any(r.levelno == logging.WARNING and "/healthz" in r.getMessage() for r in caplog.records)


def test_healthz_is_degraded_when_no_worker_has_been_seen(db, client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert "worker" in response.json()["checks"]["tasks"]["problem"]


def test_healthz_is_degraded_when_tasks_wait_too_long(live_worker, client, settings):
    from django_tasks_db.models import DBTaskResult

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


def test_the_worker_runs_due_periodic_jobs_and_records_its_heartbeat_while_it_runs(transactional_db, registered_job,
                                                                                   monkeypatch):
    seen, enqueue_due = [], periodic.enqueue_due

    def spy(**kwargs):
        seen.extend(WorkerHeartbeat.objects.values_list("pid", flat=True))
        return enqueue_due(**kwargs)

    monkeypatch.setattr(periodic, "enqueue_due", spy)
    calls.clear()
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert calls == ["tick"]
    assert seen == [os.getpid()]  # registered before its first tick, as this process
    assert not WorkerHeartbeat.objects.exists()  # a worker that stops removes its heartbeat
    # Not due again yet: a second run does nothing.
    call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO())
    assert calls == ["tick"]
