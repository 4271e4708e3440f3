"""提醒任务: reminders before the due date, after it, and the escalation to the 居委 head N days overdue (N as
data); never twice for the same task, step and person."""

import datetime as dt

from jiedao.visits import selectors, services
from jiedao.visits.models import Reminder, ReminderKind, VisitSettings, VisitTask


def _one_task(vw, due: dt.date) -> VisitTask:
    services.generate_routine(subdistrict_id=vw.sub.pk, start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31),
                              today=dt.date(2026, 1, 1))
    task = VisitTask.objects.get(household=vw.plain)
    VisitTask.objects.exclude(pk=task.pk).delete()
    VisitTask.objects.filter(pk=task.pk).update(due_on=due, original_due_on=due)
    task.refresh_from_db()
    return task


def kinds(user) -> list[str]:
    return sorted(Reminder.objects.filter(recipient=user).values_list("kind", flat=True))


def test_the_worker_is_reminded_before_the_due_date_once(vw, clock):
    task = _one_task(vw, dt.date(2026, 3, 6))  # today is 2026-03-02: within the 3 days? no, 4 days ahead
    assert services.send_reminders(subdistrict_id=vw.sub.pk) == 0
    clock.set(2026, 3, 3, 8, 0)
    assert services.send_reminders(subdistrict_id=vw.sub.pk) == 1
    assert services.send_reminders(subdistrict_id=vw.sub.pk) == 0
    clock.set(2026, 3, 5, 8, 0)
    assert services.send_reminders(subdistrict_id=vw.sub.pk) == 0
    assert kinds(task.assignee) == [ReminderKind.DUE_SOON]
    assert selectors.unread_counts(user=task.assignee) == {ReminderKind.DUE_SOON: 1}


def test_overdue_reminds_the_worker_and_n_days_later_escalates_to_the_head(vw, clock):
    task = _one_task(vw, dt.date(2026, 2, 28))  # due Saturday: 2 days overdue on Monday
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert kinds(task.assignee) == [ReminderKind.OVERDUE]
    assert kinds(vw.head) == []  # 3 days overdue only tomorrow
    clock.set(2026, 3, 3, 8, 0)
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert kinds(vw.head) == [ReminderKind.ESCALATION]
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert Reminder.objects.count() == 2


def test_the_escalation_delay_is_data(vw, clock):
    VisitSettings.objects.create(subdistrict=vw.sub, escalate_after_days=10)
    _one_task(vw, dt.date(2026, 2, 25))
    clock.set(2026, 3, 6, 8, 0)  # 9 days overdue
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert kinds(vw.head) == []
    clock.set(2026, 3, 7, 8, 0)
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert kinds(vw.head) == [ReminderKind.ESCALATION]


def test_a_postponed_task_is_reminded_again_for_its_new_date(vw, clock):
    task = _one_task(vw, dt.date(2026, 3, 3))
    services.send_reminders(subdistrict_id=vw.sub.pk)
    services.postpone_task(task=task, to=dt.date(2026, 3, 20), by=vw.head, reason="住户住院，出院后再访")
    clock.set(2026, 3, 18, 8, 0)
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert kinds(task.assignee) == [ReminderKind.DUE_SOON, ReminderKind.DUE_SOON]
    assert sorted(Reminder.objects.values_list("due_version", flat=True)) == [0, 1]


def test_reminders_of_done_tasks_leave_the_counts_and_marking_read_is_per_user(vw, clock):
    task = _one_task(vw, dt.date(2026, 3, 2))
    services.send_reminders(subdistrict_id=vw.sub.pk)
    assert services.mark_read(user=vw.head) == 0
    assert services.mark_read(user=task.assignee) == 1
    assert selectors.unread_counts(user=task.assignee) == {}
