"""The 21 天 count as a plain function of a household's daily records and the campaign's rules."""

import datetime as dt
from dataclasses import dataclass, field

from jiedao.inspections.models import MissedRule


@dataclass
class Runs:
    current: int = 0                                           # consecutive days counted towards the next reward
    completed: list[dt.date] = field(default_factory=list)     # the last day of every run that earned a reward
    restarts: list[dt.date] = field(default_factory=list)      # the days that broke a run (漏打卡)


def count_runs(records: dict[dt.date, bool], *, start: dt.date, until: dt.date, streak_days: int,
               missed_rule: str) -> Runs:
    """Walk the days from ``start`` to ``until`` (both included) over ``records`` (day → sorted correctly).

    A correct day adds one; the ``streak_days``-th in a row completes a run (a reward) and the count starts
    again. A day recorded as not correct breaks the run; so does a day without a record under
    ``MissedRule.NOT_CORRECT``, except ``until`` itself (the day is not over yet), while under
    ``MissedRule.INCORRECT_ONLY`` such a day is passed over.
    """
    runs = Runs()
    day = start
    one = dt.timedelta(days=1)
    while day <= until:
        found = records.get(day)
        if found is True:
            runs.current += 1
            if runs.current >= streak_days:
                runs.completed.append(day)
                runs.current = 0
        elif found is False or (missed_rule == MissedRule.NOT_CORRECT and day < until):
            if runs.current:
                runs.restarts.append(day)
            runs.current = 0
        day += one
    return runs
