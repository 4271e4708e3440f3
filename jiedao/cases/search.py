"""Text search over cases (诉求内容 and 地址) through a character-bigram index.

Callers search for two-character Chinese words (油烟, 噪音, 群租) more than anything else. ``LIKE '%油烟%'``
reads every case, and the databases' own substring indexes need three characters (pg_trgm, FTS5's trigram
tokenizer), so the index here is of character bigrams, written by hand because no library offers one:

- SQLite: a contentless FTS5 table ``cases_case_text`` (rowid = case id) whose one column holds the text's
  bigrams as space-separated tokens (tokenizer ``ascii``: every non-ASCII character is part of a token, so
  each bigram is exactly one token). Triggers on ``cases_case`` keep it in step on every insert, update of
  the text and delete; they call ``jiedao_bigrams()``, a function this module registers on each SQLite
  connection Django opens (``register``). A tool writing cases_case outside Django (the sqlite3 shell)
  therefore fails on the trigger instead of leaving the index behind.
- PostgreSQL: no index of this kind. A GIN index on an SQL function of the text was tried and measured
  (bench/cases_scale.py, a million cases): its planner misjudged how many cases hold a common word, and
  re-checked every one of a street name's 187,000 cases by calling the function again (36 s for one page).
  PostgreSQL reads the cases with ``LIKE`` (in parallel, newest first).

The index only narrows the cases down to those holding every bigram of the query; the ``LIKE`` that
follows decides, so results are exactly what the unindexed search returned. A query without a
bigram (one character) falls back to the plain scan, and so, on SQLite, does a common word (``_common``).
"""

import re

from django.db import connection as default_connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "cases_case_text"
COMMON_SHARE = 0.03  # SQLite: a word in more than 3 % of the cases is found faster by reading them in order
COMMON_MIN = 2000

_RUNS = re.compile(r"[^\W_]+")  # letters and digits of any script; punctuation, spaces and "_" split runs


def bigrams(*texts: str) -> list[str]:
    """The distinct bigrams of each run of letters and digits, lower-cased, in order of first appearance."""
    seen: dict[str, None] = {}
    for text in texts:
        for run in _RUNS.findall((text or "").lower()):
            for i in range(len(run) - 1):
                seen[run[i:i + 2]] = None
    return list(seen)


def _sqlite_bigrams(description, address) -> str:
    return " ".join(bigrams(description or "", address or ""))


def register(sender, connection, **kwargs) -> None:
    """connection_created receiver: gives each SQLite connection the function the index triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("jiedao_bigrams", 2, _sqlite_bigrams, deterministic=True)


def _common(connection, match: str) -> bool:
    """SQLite: whether more than COMMON_SHARE of all cases hold the query's bigrams (at least COMMON_MIN).

    SQLite's planner cannot tell how many ids the index will hand it, and always starts from them: for a
    word in one case in five (a street name) it would read and sort a fifth of the table, where reading the
    cases newest first finds a page of matches within a few hundred. The probe stops counting at the
    threshold, so it costs at most that many index entries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM cases_case")
        threshold = max(COMMON_MIN, int((cursor.fetchone()[0] or 0) * COMMON_SHARE))
        cursor.execute(f"SELECT count(*) FROM (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)",
                       [match, threshold + 1])
        return cursor.fetchone()[0] > threshold


def contains(q: str) -> Q:
    """Cases whose 诉求内容 or 地址 contains ``q``, without the index (``LIKE``)."""
    return Q(description__contains=q) | Q(address__contains=q)


def text_filter(q: str, *, using=None) -> tuple[Q, bool]:
    """Cases whose 诉求内容 or 地址 contains ``q`` (as ``LIKE`` decides), narrowed through the bigram index
    where it helps; and whether it does (the caller then lists the cases in the index's order, by id)."""
    plain = contains(q)
    grams = bigrams(q)
    if not grams:
        return plain, False
    connection = using or default_connection
    if connection.vendor == "sqlite":
        match = " ".join(f'"{g}"' for g in grams)  # implicit AND; bigrams hold no quotes (letters and digits)
        if _common(connection, match):
            return plain, False
        indexed = Q(pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [match]))
    else:
        return plain, False
    return indexed & plain, True
