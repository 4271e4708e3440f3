"""提醒任务: the in-app inbox. Before a task's due date its worker is reminded (即将到期), the day after it
passes again (已逾期), and when it is ``escalate_after_days`` overdue the 居委 head gets an escalation
(逾期督办). Each step reaches each person once per due date: the unique constraint on (task, kind, due
version, recipient) makes a second job run, or two at once, add nothing."""

import datetime as dt

from django.utils import timezone

from jiedao.core.models import User
from jiedao.visits.models import Reminder, ReminderKind, TaskStatus, VisitSettings, VisitTask
from jiedao.visits.services.assignment import community_heads

BATCH = 5000


def send_reminders(*, subdistrict_id: int, today: dt.date | None = None) -> int:
    """Add the reminders due today for the subdistrict's open tasks; returns how many were added."""
    today = today or timezone.localdate()
    settings = VisitSettings.of(subdistrict_id)
    soon = today + dt.timedelta(days=settings.remind_before_days)
    escalate_by = today - dt.timedelta(days=settings.escalate_after_days)
    tasks = list(VisitTask.objects.filter(
        subdistrict_id=subdistrict_id, status=TaskStatus.OPEN, due_on__lte=soon, starts_on__lte=today,
    ).values_list("pk", "assignee_id", "due_on", "due_version", "community_id").order_by())
    if not tasks:
        return 0
    heads: dict[int, list[int]] = {}
    wanted: list[tuple[int, str, int, int]] = []  # task, kind, due version, recipient
    for pk, assignee_id, due_on, version, community_id in tasks:
        if due_on >= today:
            if assignee_id:
                wanted.append((pk, ReminderKind.DUE_SOON, version, assignee_id))
            continue
        if assignee_id:
            wanted.append((pk, ReminderKind.OVERDUE, version, assignee_id))
        if due_on <= escalate_by:
            if community_id not in heads:
                heads[community_id] = [u.pk for u in community_heads(community_id=community_id)]
            wanted += [(pk, ReminderKind.ESCALATION, version, head) for head in heads[community_id]]
    have = set()
    ids = [t[0] for t in tasks]
    for i in range(0, len(ids), 900):
        have.update(Reminder.objects.filter(task_id__in=ids[i:i + 900]).values_list(
            "task_id", "kind", "due_version", "recipient_id"))
    now = timezone.now()
    new = [Reminder(subdistrict_id=subdistrict_id, task_id=t, kind=k, due_version=v, recipient_id=r, created_at=now)
           for t, k, v, r in wanted if (t, k, v, r) not in have]
    for i in range(0, len(new), BATCH):
        Reminder.objects.bulk_create(new[i:i + BATCH], ignore_conflicts=True)
    return len(new)


def mark_read(*, user: User, reminder_ids: list[int] | None = None) -> int:
    """Mark the user's own reminders read (all of them when ``reminder_ids`` is None)."""
    qs = Reminder.objects.filter(recipient=user, read_at__isnull=True)
    if reminder_ids is not None:
        qs = qs.filter(pk__in=reminder_ids)
    return qs.update(read_at=timezone.now())
