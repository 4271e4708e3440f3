"""English: the tags and care-colour rules the platform ships as data read in English for an English reader
(registry.defaults marks them for the catalogue); names staff type themselves stay as typed."""

from django.conf import settings
from django.utils import translation

from jiedao.registry import defaults, services
from jiedao.registry.models import ColourRule, Tag
from jiedao.registry.tests.test_pages_support import editor, make_household


def test_every_shipped_tag_and_rule_has_an_english_name(db):
    shipped = {t.code: t.name for t in Tag.objects.all()}  # as migration 0002 installed them
    assert shipped == {code: name for code, name, _kind, _sensitive in defaults.TAGS}
    rules = set(ColourRule.objects.values_list("name", flat=True))
    assert rules == {name for _colour, name, *_rest in defaults.RULES}
    with translation.override("en"):
        untranslated = sorted(n for n in [*shipped.values(), *rules] if translation.gettext(n) == n)
    assert untranslated == []


def test_the_household_file_shows_shipped_tags_and_the_colour_reason_in_english(world, client):
    household = make_household(world)
    head = household.residents.get()
    services.add_tag(resident=head, tag="disabled_care", by=editor(world))
    Tag.objects.create(code="stairs", name="爬楼困难")  # typed by staff: stays as typed
    services.add_tag(resident=head, tag="stairs", by=editor(world))
    client.force_login(world.social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/registry/households/{household.pk}/").content.decode()
    assert "Aged 80+" in page and "Disabled / dementia" in page and "爬楼困难" in page
    assert "Red: Living alone + Aged 80+ + Disabled / dementia" in page
    assert "高龄" not in page.split("<main")[1]
    stats = client.get("/registry/stats/").content.decode()
    assert "<th>Aged 80+</th>" in stats and "<th>爬楼困难</th>" in stats
    search = client.get("/registry/", {"tag": "aged_80"}).content.decode()
    assert '<option value="aged_80" selected>Aged 80+</option>' in search
    head.refresh_from_db()
    assert head.care_reason == "红: 独居 + 高龄 + 失能/失智"  # stored in Chinese whatever the reader's language
