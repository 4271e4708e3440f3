"""The queue's text search through the character-bigram index (cases.search): the same cases as a scan of
诉求内容 and 地址 would find, the index kept in step with the cases, and read by the query."""

import random

import pytest
from django.db import connection
from django.utils import timezone

from jiedao.cases import purge, search, selectors, services
from jiedao.cases.models import Case, CaseEvent, Channel

TEXTS = [
    ("兰溪路200弄5号楼下饭店油烟很大，晚上十点还在炒菜", "兰溪路200弄5号"),
    ("梅岭北路41号门口垃圾堆放三天没人清运", "梅岭北路41号"),
    ("枣阳路小区群租，一套房住了十几个人", "枣阳路110弄"),
    ("电瓶车推进电梯充电，很危险", "花溪路80弄3号"),
    ("12345转：楼上漏水到我家厨房 (3楼)", ""),
    ("wifi路由器装在楼道里，ab栋的线乱拉", "杏山路2号b座"),
    ("餐饮油烟扰民，油烟管道没有净化器", "兰溪路211号"),
    ("路灯不亮", "曹杨路_300号"),
]


def _intake(w, text, address, **kw):
    return services.intake(subdistrict=w.sub, channel=Channel.HOTLINE, description=text, address=address,
                           category="噪音扰民", by=w.operator, **kw).case


def _found(user, q) -> set[str]:
    return {c.number for c in selectors.queue(user=user, filters=selectors.QueueFilters(status="all", q=q))}


def test_bigrams_are_taken_within_runs_of_letters_and_digits():
    assert search.bigrams("油烟扰民") == ["油烟", "烟扰", "扰民"]
    assert search.bigrams("200弄5号，油烟", "Ab_c") == ["20", "00", "0弄", "弄5", "5号", "油烟", "ab"]
    assert search.bigrams("油") == [] and search.bigrams("，。 ") == []
    assert search.bigrams("AB栋", lower=False) == ["AB", "B栋"]


def test_the_index_holds_characters_and_bigrams_and_a_query_needs_its_bigrams_or_its_character():
    assert search.grams("油烟扰民") == ["油", "油烟", "烟", "烟扰", "扰", "扰民", "民"]
    assert search.grams("A1，b", lower=False) == ["A", "A1", "1", "b"]
    assert search.query_grams("油烟扰民") == ["油烟", "烟扰", "扰民"]
    assert search.query_grams("灯") == ["灯"] and search.query_grams("A 灯") == ["a", "灯"]
    assert search.query_grams("路灯 B", lower=False) == ["路灯", "B"] and search.query_grams("，。 ") == []


@pytest.mark.parametrize("common_min", [2000, 0], ids=["through the index", "a common word, read in order"])
def test_a_search_finds_exactly_the_cases_a_scan_of_text_and_address_finds(cases_world, monkeypatch, common_min):
    monkeypatch.setattr(search, "COMMON_MIN", common_min)  # 0: every word (PostgreSQL: of 2+ bigrams) is common
    w = cases_world
    cases = [_intake(w, text, address) for text, address in TEXTS]
    # Every substring of one to five characters of the texts and addresses (a sample), and some misses.
    substrings = sorted({s[i:i + n] for pair in TEXTS for s in pair for n in range(1, 6)
                         for i in range(len(s) - n + 1)})
    queries = [*random.Random(7).sample(substrings, 150),
               "油烟", "油烟扰民", "200弄5号", "5号，", "路由", "AB栋", "楼下油烟", "炒菜油烟", "不存在的词", "_300"]
    for q in queries:
        q = q.strip()
        if not q:
            continue
        expected = {c.number for c in cases if q.lower() in c.description.lower() or q.lower() in c.address.lower()}
        if connection.vendor == "postgresql":  # LIKE is case-sensitive there
            expected = {c.number for c in cases if q in c.description or q in c.address}
        assert _found(w.operator, q) == expected, q
    open_queue = {c.number for c in selectors.queue(user=w.operator, filters=selectors.QueueFilters(q="油烟"))}
    assert open_queue == {cases[0].number, cases[6].number}  # the open tab reads its cases without the index


def test_a_case_number_or_a_12345_order_number_finds_its_case(cases_world):
    w = cases_world
    ordered = _intake(w, "楼道堆物", "兰溪路200弄5号", external_id="2611230007")
    other = _intake(w, "工单2611230007的补充：楼道堆物还在", "兰溪路200弄5号")
    assert _found(w.operator, ordered.number) == {ordered.number}
    assert _found(w.operator, "2611230007") == {ordered.number, other.number}  # the order, and the text naming it
    assert _found(w.police, ordered.number) == set()  # outside the handler's department


def test_the_index_follows_the_text_when_it_changes(cases_world):
    w = cases_world
    case = _intake(w, "路灯不亮", "兰溪路200弄5号")
    Case.objects.filter(pk=case.pk).update(description="电梯困人，里面有老人", address="枣阳路110弄")
    assert _found(w.operator, "电梯困人") == {case.number}
    assert _found(w.operator, "枣阳") == {case.number}
    assert _found(w.operator, "路灯") == set()


def _indexed(word: str) -> set[int]:
    """The ids of the cases the index holds ``word`` for, read from the index itself."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT case_id FROM {search.FTS_TABLE} WHERE grams @@ %s::tsquery", [f"'{word}'"])
        else:
            cursor.execute(f"SELECT rowid FROM {search.FTS_TABLE} WHERE {search.FTS_TABLE} MATCH %s", [f'"{word}"'])
        return {row[0] for row in cursor.fetchall()}


def test_the_index_table_keeps_in_step_with_inserts_and_deletes(cases_world):
    """Contentless FTS5 (SQLite) keeps no text, and PostgreSQL's side table has no foreign key: a missing
    delete trigger would leave the case's bigrams behind."""
    w = cases_world
    case = _intake(w, "小区里犬只扰民", "花溪路80弄3号")
    kept = _intake(w, "犬只在楼道便溺", "")
    assert _indexed("犬只") == {case.pk, kept.pk}
    Case.objects.filter(pk=case.pk).update(description="小区里的路灯坏了")
    assert _indexed("犬只") == {kept.pk} and _indexed("路灯") == {case.pk}
    purge.delete_all_for_demo_reset(subdistricts=[w.sub])  # the only path that deletes cases
    assert _indexed("犬只") == set() and _indexed("路灯") == set()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_empties_the_index_when_the_cases_are_truncated(cases_world):
    """Django's flush (between transactional tests) truncates cases_case; the index table follows."""
    _intake(cases_world, "小区里犬只扰民", "花溪路80弄3号")
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # Django's deferred foreign keys: checked now
        cursor.execute("TRUNCATE cases_case CASCADE")  # rolled back with the test's transaction
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        assert cursor.fetchone()[0] == 0


@pytest.mark.parametrize("q", ["油烟", "烟"], ids=["a bigram", "one character"])
def test_the_search_reads_the_index(cases_world, q):
    w = cases_world
    _intake(w, *TEXTS[0])
    qs = selectors.queue(user=w.operator, filters=selectors.QueueFilters(status="all", q=q))
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A handful of rows: rule out the plans a big table never gets, so that EXPLAIN shows that the
            # GIN index can answer the query (a wrong operator or type would leave only a scan).
            for setting in ("seqscan", "indexscan", "nestloop"):
                cursor.execute(f"SET LOCAL enable_{setting} = off")
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "cases_case_text_grams" in plan, plan  # the GIN index
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan and search.FTS_TABLE in plan, plan


def test_a_search_works_inside_a_subquery(cases_world):
    """Django renames the tables of a subquery (U0, U1 …): the search must not name them itself (inside a
    query of timeline events alone, a name of the case table would point nowhere)."""
    w = cases_world
    cases = [_intake(w, text, address) for text, address in TEXTS]
    for q in ("油烟", "兰溪路200弄", "油烟扰民", "无此词语"):
        inner = selectors.queue(user=w.operator, filters=selectors.QueueFilters(status="all", q=q)).values("pk")
        found = set(CaseEvent.objects.filter(case__in=inner).values_list("case_id", flat=True))
        assert found == {c.pk for c in cases if q in c.description + c.address}, q


def test_the_capped_count_and_either_way_of_listing_give_the_scans_cases(cases_world):
    """The queue page counts a search first (selectors.search_count) and then lists it newest first or
    through the index (``text_common``): every way gives the cases a scan finds."""
    w = cases_world
    cases = [_intake(w, text, address) for text, address in TEXTS]
    now = timezone.now()
    for q in ("油烟", "兰溪路", "兰溪路200弄", "油烟扰民", "路灯不亮", "无此词语", "0弄5号", "灯", "号", "鑫"):
        expected = {c.number for c in cases if q in c.description + c.address}
        filters = selectors.QueueFilters(status="all", q=q)
        for cap in (1, 10):
            found = selectors.search_count(user=w.operator, filters=filters, now=now, cap=cap)
            assert found == min(len(expected), cap + 1), q
        for common in (True, False):
            listed = selectors.queue(user=w.operator, filters=filters, now=now, text_common=common)
            assert {c.number for c in listed} == expected, (q, common)
