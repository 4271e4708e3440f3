"""Generated models (core.modelfile): loaded once per process, trained by one thread when missing or stale,
kept in memory when DATA_DIR cannot be written, and a dependency's new model is a new model."""

import json
import threading
import time

import pytest

from jiedao.core.modelfile import GeneratedModel


class Trainer:
    """A model that is a dict: ``fit`` counts its calls and is slow enough for threads to meet in it."""

    def __init__(self, version: int = 1):
        self.version = version
        self.fits = 0

    def fit(self, *dependency):
        self.fits += 1
        time.sleep(0.05)
        return {"version": self.version, "dependency": [id(d) for d in dependency]}

    def load(self, path, *dependency):
        if not path.exists():
            return None
        found = json.loads(path.read_text())
        return found if found["version"] == self.version else None  # another version is out of date

    @staticmethod
    def save(model, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model))


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def generated(trainer: Trainer, **kwargs) -> GeneratedModel:
    return GeneratedModel("m.json", label="测试模型", load=trainer.load, fit=trainer.fit, save=trainer.save, **kwargs)


def test_a_missing_model_is_trained_once_while_other_threads_wait(data_dir):
    trainer = Trainer()
    model = generated(trainer)
    got = []
    threads = [threading.Thread(target=lambda: got.append(model.get())) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert trainer.fits == 1
    assert all(g is got[0] for g in got)
    assert (data_dir / "models" / "m.json").exists()


def test_a_saved_model_is_loaded_and_a_stale_one_retrained(data_dir):
    generated(Trainer(version=1)).get()
    same = Trainer(version=1)
    assert generated(same).get()["version"] == 1 and same.fits == 0  # loaded from the file
    newer = Trainer(version=2)
    assert generated(newer).get()["version"] == 2 and newer.fits == 1
    assert json.loads((data_dir / "models" / "m.json").read_text())["version"] == 2


def test_a_read_only_data_dir_keeps_the_model_in_memory_but_train_says_so(data_dir):
    (data_dir / "models").write_text("not a directory")  # nothing can be saved under it
    trainer = Trainer()
    model = generated(trainer)
    assert model.get()["version"] == 1
    assert model.get() is model.get() and trainer.fits == 1
    with pytest.raises(OSError):
        model.train()


def test_another_data_dir_or_a_new_dependency_is_another_model(data_dir, settings, tmp_path_factory):
    dependency = [object()]
    trainer = Trainer()
    model = generated(trainer, depends_on=lambda: dependency[0])
    first = model.get()
    assert model.get() is first and trainer.fits == 1
    dependency[0] = object()  # e.g. the classifier was retrained: the scorer that reads with it is asked again
    again = model.get()
    assert again is not first and trainer.fits == 1  # load decided: this fake's file is still good
    settings.DATA_DIR = tmp_path_factory.mktemp("elsewhere")
    assert model.get() is not again and trainer.fits == 2  # nothing saved there yet
