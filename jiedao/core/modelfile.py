"""Generated models (模型文件): a model the project trains itself and keeps under ``DATA_DIR/models/``.

The case classifier, the duplicate scorer and the visit assessment are each trained from data the project
ships or generates, never downloaded, and never committed: the file is built by its train command or, when
missing or out of date, by the first use in a process. This module is the one place that loads such a
file once per process, lets one thread train while the others wait, saves it atomically through the
model's own ``save`` and falls back to the model in memory when ``DATA_DIR`` is read-only.

Written by hand: joblib stores the file, but "load once per process, train when stale, one thread at a
time" is a dozen lines no library offers in this shape.

    classifier = GeneratedModel("classifier.joblib", label="案件分类模型", load=model.load, fit=model.fit,
                                save=model.save)
    classifier.get()          # the model, loaded or trained once per process and DATA_DIR
    classifier.train()        # trained now and saved (the train command)
    classifier.reset()        # forgotten (tests; a file replaced under a running process)

A model that reads another one (the duplicate scorer reads texts with the classifier's features) passes
``depends_on``: its answer is given to ``load`` and ``fit`` and is part of the cache key, so a new
classifier makes the scorer's cached copy out of date too.
"""

import logging
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, Generic, TypeVar

from django.conf import settings

log = logging.getLogger(__name__)

M = TypeVar("M")


class GeneratedModel(Generic[M]):
    """One generated model file; see the module docstring."""

    def __init__(self, filename: str, *, label: str, load: Callable[..., M | None], fit: Callable[..., M],
                 save: Callable[[M, Path], None], depends_on: Callable[[], Any] | None = None):
        self.filename = filename
        self.label = label  # named in the log when it is trained or cannot be saved
        self._load, self._fit, self._save, self._depends_on = load, fit, save, depends_on
        self._lock = threading.Lock()
        self._cache: dict[Hashable, M] = {}

    def path(self) -> Path:
        return Path(settings.DATA_DIR) / "models" / self.filename

    def _context(self) -> tuple[tuple, Hashable]:
        """(the arguments load and fit get, the cache key)."""
        if self._depends_on is None:
            return (), str(settings.DATA_DIR)
        dependency = self._depends_on()
        return (dependency,), (str(settings.DATA_DIR), id(dependency))

    def get(self) -> M:
        """The model for the current ``DATA_DIR``, loaded once per process; trained first when the file is
        missing or out of date (``load`` answers None)."""
        args, key = self._context()
        found = self._cache.get(key)  # asked on every use: no path to build for a hit
        if found is not None:
            return found
        with self._lock:  # one thread loads or trains; the others wait for it
            found = self._cache.get(key)
            if found is None:
                path = self.path()
                found = self._load(path, *args)
                if found is None:
                    log.info("%s不存在或已过期，正在训练：%s", self.label, path)
                    found = self._train_and_save(path, args)
                self._cache.clear()
                self._cache[key] = found
            return found

    def train(self, path: Path | str | None = None) -> M:
        """Train now and save to ``path`` (default: ``path()``, then also the one this process uses); an
        error saving is raised."""
        target = Path(path) if path is not None else self.path()
        args, key = self._context()
        with self._lock:
            trained = self._train_and_save(target, args, must_save=True)
            if target == self.path():
                self._cache.clear()
                self._cache[key] = trained
        return trained

    def reset(self) -> None:
        """Forget the loaded model (tests, or after replacing the file under a running process)."""
        with self._lock:
            self._cache.clear()

    def _train_and_save(self, path: Path, args: tuple, *, must_save: bool = False) -> M:
        trained = self._fit(*args)
        try:
            self._save(trained, path)
        except OSError:
            if must_save:
                raise
            # A read-only DATA_DIR must not stop the work that needs the model: use the one in memory and
            # train again in the next process.
            log.warning("无法保存%s：%s", self.label, path, exc_info=True)
        return trained
