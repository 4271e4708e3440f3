"""core.cache.ProcessCache: per-process values by key, loaded again after their TTL or a save."""

import pytest

from jiedao.core.cache import ProcessCache
from jiedao.core.models import Subdistrict
from jiedao.testing import make_subdistrict


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Loads:
    """A load function that counts its calls and returns the next value each time."""

    def __init__(self, *values):
        self.values, self.calls = list(values), 0

    def __call__(self):
        self.calls += 1
        return self.values.pop(0)


def test_a_value_is_loaded_once_and_kept_until_it_is_ttl_seconds_old():
    clock = Clock()
    cache = ProcessCache(ttl=60, clock=clock)
    load = Loads("first", "second")
    assert cache.get(1, load) == "first"
    clock.now += 59.9
    assert cache.get(1, load) == "first" and load.calls == 1
    clock.now += 0.1
    assert cache.get(1, load) == "second" and load.calls == 2
    clock.now += 59.9
    assert cache.get(1, load) == "second" and load.calls == 2  # the TTL counts from the second load


def test_each_subdistrict_has_its_own_value():
    cache = ProcessCache(ttl=60)
    assert cache.get(1, lambda: "曹杨") == "曹杨"
    assert cache.get(2, lambda: "长风") == "长风"
    assert cache.get(None, lambda: "all") == "all"
    assert [cache.get(key, lambda: pytest.fail("loaded again")) for key in (1, 2, None)] == ["曹杨", "长风", "all"]


def test_clear_forgets_one_key_or_every_key():
    cache = ProcessCache(ttl=60)
    cache.get(1, lambda: "a")
    cache.get(2, lambda: "b")
    cache.clear(1)
    assert cache.get(1, lambda: "a2") == "a2" and cache.get(2, lambda: "b2") == "b"
    cache.clear()
    assert cache.get(1, lambda: "a3") == "a3" and cache.get(2, lambda: "b3") == "b3"


def test_clearing_an_unknown_key_is_harmless():
    cache = ProcessCache(ttl=60)
    cache.clear(42)
    assert cache.get(42, lambda: "x") == "x"


def test_none_is_not_kept_so_a_row_created_meanwhile_is_found():
    cache = ProcessCache(ttl=60)
    load = Loads(None, "created")
    assert cache.get(7, load) is None
    assert cache.get(7, load) == "created" and load.calls == 2


def test_a_value_loaded_while_the_cache_was_cleared_is_not_kept():
    """A save in another thread clears the cache while this thread is reading: what it read may be old."""
    cache = ProcessCache(ttl=60)

    def load_during_a_save():
        cache.clear()
        return "maybe old"

    assert cache.get(1, load_during_a_save) == "maybe old"
    assert cache.get(1, lambda: "new") == "new"


@pytest.mark.django_db
def test_saving_or_deleting_a_row_of_a_clearing_model_clears_everything():
    cache = ProcessCache(ttl=60, cleared_by=[Subdistrict])
    cache.get(1, lambda: "old")
    sub = make_subdistrict()
    assert cache.get(1, lambda: "after save") == "after save"
    sub.delete()
    assert cache.get(1, lambda: "after delete") == "after delete"


@pytest.mark.django_db
def test_a_model_can_be_named_by_its_label():
    cache = ProcessCache(ttl=60, cleared_by=["core.Subdistrict"])
    cache.get(1, lambda: "old")
    make_subdistrict()
    assert cache.get(1, lambda: "new") == "new"


@pytest.mark.django_db
def test_a_value_read_between_a_save_and_its_commit_is_not_kept(django_capture_on_commit_callbacks):
    cache = ProcessCache(ttl=60, cleared_by=[Subdistrict])
    with django_capture_on_commit_callbacks(execute=True):  # the commit of the transaction around the save
        make_subdistrict()
        cache.get(1, lambda: "read before the commit")
    assert cache.get(1, lambda: "read after the commit") == "read after the commit"


def test_other_models_do_not_clear_it(db):
    from jiedao.core.models import User

    cache = ProcessCache(ttl=60, cleared_by=[Subdistrict])
    cache.get(1, lambda: "kept")
    User.objects.create(username="someone")
    assert cache.get(1, lambda: pytest.fail("cleared by another model")) == "kept"
