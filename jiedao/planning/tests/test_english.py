"""Planning pages in English: units and headings are translated; the plan's own words stay as written."""

import re

from django.utils import translation

from jiedao.planning import units

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_every_unit_has_an_english_name_and_keeps_its_chinese_one():
    assert set(units.LABELS) == set(units.UNITS)
    with translation.override("en"):
        english = {unit: units.label(unit) for unit in units.UNITS if unit}
        assert [unit for unit, text in english.items() if CHINESE.search(text)] == []
        assert (english["户"], english["平方米"], english["万元"]) == ("households", "m²", "10,000 yuan")
        assert units.suffix("户") == " households" and units.suffix("%") == "%"
    assert units.label("户") == "户" and units.suffix("户") == "户"  # 12户, as Chinese writes it


def test_the_indicator_list_in_english_names_its_units_and_its_title(plan, login, world):
    html = _english(login(world.operator)).get(f"/planning/{plan.pk}/indicators/").content.decode()
    assert re.search(r"<title>Indicators · ", html)
    assert "（households）" in html and "（m²）" in html and "（户）" not in html
    assert "成套改造受益居民户数" in html  # the plan's indicator names are its own words


def test_chapter_and_section_headings_count_in_the_readers_language(plan, login, world):
    client = login(world.operator)
    assert "第五章 重塑城区宜居空间" in client.get(f"/planning/{plan.pk}/").content.decode()
    html = _english(client).get(f"/planning/{plan.pk}/").content.decode()
    assert "Chapter 5 重塑城区宜居空间" in html and "第五章" not in html
    text = client.get(f"/planning/{plan.pk}/text/").content.decode()
    assert "1. 建设宜居美丽家园" in text and "一、建设宜居美丽家园" not in text


def test_the_public_page_in_english_states_targets_with_english_units(plan, client):
    html = _english(client).get(f"/planning/public/{plan.pk}/").content.decode()
    assert "1.02 m² by 2025" in html
