"""The demo records Caoyang as the machine's default subdistrict (DATA_DIR/settings.json), which settings
read as DEFAULT_SUBDISTRICT when JIEDAO_DEFAULT_SUBDISTRICT is not in the environment."""

import io
import json

from django.core.management import call_command

from jiedao.conf import local_setting
from jiedao.demo.builder import record_default_subdistrict


def test_the_demo_records_caoyang_as_the_default_subdistrict(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--scale", "0.04", stdout=io.StringIO())
    assert json.loads((tmp_path / "settings.json").read_text()) == {"JIEDAO_DEFAULT_SUBDISTRICT": "310107005"}
    assert local_setting("JIEDAO_DEFAULT_SUBDISTRICT", tmp_path) == "310107005"


def test_running_the_demo_again_on_an_older_data_folder_records_the_default(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    call_command("demo", "--scale", "0.04", stdout=io.StringIO())
    (tmp_path / "settings.json").unlink()  # a data folder built before the setting existed
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert "演示数据已存在" in out.getvalue()
    assert local_setting("JIEDAO_DEFAULT_SUBDISTRICT", tmp_path) == "310107005"


def test_a_recorded_default_is_not_overwritten(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert local_setting("JIEDAO_DEFAULT_SUBDISTRICT", tmp_path) == ""
    assert record_default_subdistrict("310101015") is True
    assert record_default_subdistrict("310107005") is False
    assert local_setting("JIEDAO_DEFAULT_SUBDISTRICT", tmp_path) == "310101015"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # nothing left aside
