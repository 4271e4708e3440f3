"""Per-process caches of what every request reads and staff rarely change: grid and address indexes, a
subdistrict's grids and buildings, categories, holiday overrides, subdistricts. One mechanism for all.

Why process memory and not Django's cache framework: the values are live Python objects (shapely STRtree
indexes, dicts of thousands of entries) read on every intake and every API request. LocMemCache pickles a
value on every set and unpickles it on every get, rebuilding a grid index's STRtree each time, which costs
far more than the dict lookup here (docs/operations.md, "Measured reasons"). A shared cache (Redis,
memcached) would add a network round trip to that. What is cached here is cheap to read again, so each
process keeping its own copy for a minute costs nothing worth sharing.
"""

import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save

V = TypeVar("V")

_ALL = object()


class ProcessCache(Generic[V]):
    """Values by key (a subdistrict's id, or one fixed key for a single value), each loaded on first use and
    again once it is ``ttl`` seconds old.

    A save or delete of a model in ``cleared_by`` (a class or an ``"app_label.Model"`` string) clears the
    whole cache in this process, at once and again when the transaction commits, so that a read between the
    save and the commit is not kept. The TTL bounds how long a write that sends no signal (a bulk update,
    another process) goes unseen. A load that returns None is not kept: the row may appear at any moment.
    """

    def __init__(self, *, ttl: float = 60, cleared_by: Iterable[type[Model] | str] = (),
                 clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[Hashable, tuple[float, V]] = {}
        self._generation = 0  # bumped by clear(): a load that began before a clear is not kept
        for model in cleared_by:  # weakly: the receiver goes with the cache
            post_save.connect(self._on_write, sender=model)
            post_delete.connect(self._on_write, sender=model)

    def get(self, key: Hashable, load: Callable[[], V]) -> V:
        """The value under ``key``: the cached one while it is younger than ``ttl``, else ``load()``'s."""
        now = self.clock()
        entry = self._entries.get(key)
        if entry is not None and now - entry[0] < self.ttl:
            return entry[1]
        generation = self._generation
        value = load()
        if value is not None and generation == self._generation:
            self._entries[key] = (now, value)
        return value

    def clear(self, key: Hashable = _ALL) -> None:
        """Forget the value under ``key``, or every value."""
        self._generation += 1
        if key is _ALL:
            self._entries.clear()
        else:
            self._entries.pop(key, None)

    def _on_write(self, **kwargs) -> None:
        self.clear()
        transaction.on_commit(self.clear, using=kwargs.get("using"))
