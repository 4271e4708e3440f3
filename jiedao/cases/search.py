"""Text search over cases (诉求内容 and 地址) through an index of characters and character bigrams.

Callers search for two-character Chinese words (油烟, 噪音, 群租) more than anything else, and sometimes for
one character (灯, 火, a surname). ``LIKE '%油烟%'`` reads every case, and the databases' own substring
indexes need three characters (pg_trgm, FTS5's trigram tokenizer), so the index here is of each text's
characters and character bigrams (``grams``), written by hand because no library offers one:

- SQLite: a contentless FTS5 table ``cases_case_text`` (rowid = case id) whose one column holds the text's
  grams as space-separated tokens (tokenizer ``ascii``: every non-ASCII character is part of a token, so
  each gram is exactly one token). Triggers on ``cases_case`` keep it in step on every insert, update of
  the text and delete; they call ``jiedao_grams()``, a function this module registers on each SQLite
  connection Django opens (``register``). A tool writing cases_case outside Django (the sqlite3 shell)
  therefore fails on the trigger instead of leaving the index behind.
- PostgreSQL: a side table ``cases_case_text`` (case_id, grams) where ``grams`` is a ``tsvector`` whose
  lexemes are the text's characters and bigrams (migration 0008, SQL function ``jiedao_grams``), with a
  GIN index, kept by triggers on ``cases_case``. A search matches ``grams @@ 'ab' & 'bc'``. The grams are
  stored, so no query calls a function per row: with a GIN index on the function itself, the planner
  re-checks every candidate by calling the function again, every case of a street name for one page
  (docs/cases.md, "measurements"). With stored lexemes ANALYZE also keeps how common each gram is, which the
  planner uses for a query of one gram (see ``_postgresql_filter``).

The index only narrows the cases down to those holding every gram of the query (``query_grams``); a check of
the text itself follows (``LIKE``; ``strpos`` on PostgreSQL) and decides, so results are exactly what the
unindexed search returned. A query of no letter or digit falls back to the plain scan, and so does a word
found in many cases (``_common``), which reading the cases newest first finds sooner.
"""

import re

from django.db import connection as default_connection
from django.db.models import Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

FTS_TABLE = "cases_case_text"
# A word in more than this share of the cases (at least COMMON_MIN) is found faster by reading the cases
# newest first than through the index: a candidate taken from the index costs many times a case read in
# order. Each share is where the two cost the same at a million cases (docs/cases.md, "measurements").
COMMON_SHARE = {"sqlite": 0.03, "postgresql": 0.005}
COMMON_MIN = 2000

_RUNS = re.compile(r"[^\W_]+")  # letters and digits of any script; punctuation, spaces and "_" split runs


def bigrams(*texts: str, lower: bool = True) -> list[str]:
    """The distinct bigrams of each run of letters and digits, in order of first appearance; lower-cased
    unless ``lower`` is false (PostgreSQL, whose LIKE and stored bigrams are case-sensitive)."""
    seen: dict[str, None] = {}
    for text in texts:
        text = text or ""
        for run in _RUNS.findall(text.lower() if lower else text):
            for i in range(len(run) - 1):
                seen[run[i:i + 2]] = None
    return list(seen)


def grams(*texts: str, lower: bool = True) -> list[str]:
    """What the index holds for a text (migration 0008): every character of each run of letters and digits,
    and its bigrams, distinct, lower-cased unless ``lower`` is false. The characters let a one-character
    query (灯, 火, a surname) read the index too: without them such a query reads every case that does not
    hold the character, the whole table for one that no case holds."""
    seen: dict[str, None] = {}
    for text in texts:
        text = text or ""
        for run in _RUNS.findall(text.lower() if lower else text):
            for i in range(len(run)):
                seen[run[i]] = None
                if i + 1 < len(run):
                    seen[run[i:i + 2]] = None
    return list(seen)


def query_grams(q: str, *, lower: bool = True) -> list[str]:
    """The grams a case's index must hold for the case to contain ``q``: the bigrams of each run of letters
    and digits of ``q``, and a run of one character as itself."""
    seen: dict[str, None] = {}
    for run in _RUNS.findall(q.lower() if lower else q):
        if len(run) == 1:
            seen[run] = None
        for i in range(len(run) - 1):
            seen[run[i:i + 2]] = None
    return list(seen)


def _sqlite_bigrams(description, address) -> str:
    return " ".join(bigrams(description or "", address or ""))


def _sqlite_grams(description, address) -> str:
    return " ".join(grams(description or "", address or ""))


def register(sender, connection, **kwargs) -> None:
    """connection_created receiver: gives each SQLite connection the function the index triggers call
    (``jiedao_grams``), and the bigrams alone that migration 0006 built the first index with."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("jiedao_grams", 2, _sqlite_grams, deterministic=True)
        connection.connection.create_function("jiedao_bigrams", 2, _sqlite_bigrams, deterministic=True)


def _common(connection, candidates: str, params: list) -> bool:
    """Whether more than COMMON_SHARE of all cases (at least COMMON_MIN) hold the query's bigrams, counted
    from the index (``candidates``: the SQL selecting their ids) up to that threshold.

    Neither planner can tell how many ids the index will hand it for several bigrams. SQLite always starts
    from them; PostgreSQL multiplies the bigrams' frequencies as if unrelated (兰溪 and 溪路 are not) and
    expects a handful where a street name has tens of thousands, and sorts them all for one page. For such a
    word reading the cases newest first finds a page of matches within a few hundred. The probe stops at the
    threshold, so it reads at most that many index entries (on PostgreSQL each also a row of the index
    table)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM cases_case")
        threshold = max(COMMON_MIN, int((cursor.fetchone()[0] or 0) * COMMON_SHARE[connection.vendor]))
        cursor.execute(f"SELECT count(*) FROM ({candidates} LIMIT %s) AS candidates", [*params, threshold + 1])
        return cursor.fetchone()[0] > threshold


def contains(q: str) -> Q:
    """Cases whose 诉求内容 or 地址 contains ``q``, without the index (``LIKE``)."""
    return Q(description__contains=q) | Q(address__contains=q)


def count_in_order(q: str, using=None) -> bool:
    """Whether the capped count of a search for ``q`` should read its cases in the page's order.

    Yes on SQLite: unordered, its planner may walk an arbitrary index and fetch rows from all over the
    file. Yes on PostgreSQL for a query of no gram or of one (灯, 油烟), whose page and count the planner
    plans well. No on PostgreSQL for several grams: the count goes through the index in no order
    (``text_filter(counting=True)``) and stops at the cap. In page order, a word in 1.6 % of the cases
    (噪音扰民) is counted by reading some sixty cases for each match, which costs more than taking the
    matches from the index (docs/cases.md, "measurements"). Through the index, a word whose bigrams many
    cases hold but the phrase few does not read the whole table either."""
    connection = using or default_connection
    return connection.vendor != "postgresql" or len(query_grams(q, lower=False)) < 2


def _postgresql_candidates(grams: list[str]) -> str:
    """The ids of the cases whose stored grams include all of ``grams``, with the tsquery written out. Grams
    are letters and digits, nothing in them to escape: the tsquery quotes each lexeme, and the SQL string
    literal doubles those quotes."""
    query = " & ".join(f"'{g}'" for g in grams).replace("'", "''")
    return f"SELECT case_id FROM {FTS_TABLE} WHERE grams @@ '{query}'::tsquery"


def _postgresql_filter(q: str, grams: list[str]) -> Q:
    """PostgreSQL: the cases holding every gram of ``q``, then holding ``q`` itself.

    Two things here are for the planner, which decides between the GIN index (then sorting the matches) and
    reading the cases newest first until a page is full (bench/cases_scale.py at a million cases):
    - the tsquery is written into the SQL, not passed as a parameter. The statement is then planned for
      these bigrams, whose frequency ANALYZE keeps, even once psycopg has prepared it (the fifth time a
      connection runs it): a generic plan, not knowing the word, reads every case of a street name through
      the index.
    - the check of the text itself uses ``strpos`` (StrIndex), not ``LIKE``. The planner multiplies the estimates of
      the bigram match and of ``LIKE '%油烟%'`` as if unrelated, expects a few hundred cases where a common
      word has tens of thousands, and sorts them all. It has no statistics for strpos and assumes a third
      instead.
      A query that is one gram (油烟, 电梯, 灯) needs no check at all: a case's grams include it exactly
      when its text or address contains it (the bigram crossing from text to address holds a newline).
    """
    indexed = Q(pk__in=RawSQL(_postgresql_candidates(grams), []))
    if grams == [q]:
        return indexed
    return indexed & (Q(GreaterThan(StrIndex("description", Value(q)), 0))
                      | Q(GreaterThan(StrIndex("address", Value(q)), 0)))


def text_filter(q: str, *, using=None, common: bool | None = None, counting: bool = False) -> tuple[Q, bool]:
    """Cases whose 诉求内容 or 地址 contains ``q`` (as ``LIKE`` decides), narrowed through the bigram index
    where it helps; and whether it does (the caller then lists the cases in the index's order, by id).

    PostgreSQL only: ``common`` says whether the caller already knows the word to be common (more than a
    page's worth of matches: read the cases newest first), so that no probe is needed; ``counting`` asks for
    the filter to count matches by (always through the index, in no order: a count of matches capped at
    1,000 stops as soon as it has them, where reading the cases in order for a word in 1 % of them would
    read 100,000)."""
    plain = contains(q)
    connection = using or default_connection
    needed = query_grams(q, lower=connection.vendor != "postgresql")
    if not needed:
        return plain, False
    if connection.vendor == "sqlite":
        match = " ".join(f'"{g}"' for g in needed)  # implicit AND; grams hold no quotes (letters and digits)
        candidates = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
        if _common(connection, candidates, [match]):
            return plain, False
        indexed = Q(pk__in=RawSQL(candidates, [match]))
    elif connection.vendor == "postgresql":
        # One gram: PostgreSQL's statistics of the lexemes tell the planner how common it is.
        if len(needed) > 1 and not counting:
            if common is None:
                common = _common(connection, _postgresql_candidates(needed), [])
            if common:
                return plain, False
        return _postgresql_filter(q, needed), True
    else:
        return plain, False
    return indexed & plain, True
