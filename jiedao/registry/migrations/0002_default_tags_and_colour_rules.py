"""Default 重点人群 tags and 分色 rules for a new installation; staff change them in the admin."""

from django.db import migrations

TAGS = [
    # code, name, kind, sensitive
    ("living_alone", "独居", "derived", False),
    ("elderly", "老年人", "derived", False),
    ("aged_80", "高龄", "derived", False),
    ("elderly_alone", "独居老人", "derived", False),
    ("lonely_elderly", "孤老", "entered", False),
    ("disabled_care", "失能/失智", "entered", True),
    ("disability", "残疾", "entered", True),
    ("low_income", "低保/低收入", "entered", True),
    ("veteran", "退役军人", "entered", False),
    ("chronic", "慢性病", "entered", True),
    ("focus", "重点关注", "entered", False),
]

RULES = [
    # colour, name, priority, all_of, any_of
    ("red", "独居高龄失能", 300, ["living_alone", "aged_80", "disabled_care"], []),
    ("red", "孤老", 290, ["lonely_elderly"], []),
    ("red", "独居失能", 280, ["living_alone", "disabled_care"], []),
    ("yellow", "独居老人", 200, ["elderly_alone"], []),
    ("yellow", "高龄失能", 190, ["aged_80", "disabled_care"], []),
    ("yellow", "困难残疾", 180, ["low_income", "disability"], []),
    ("green", "高龄", 110, ["aged_80"], []),
    ("green", "需关心", 100, [], ["disabled_care", "disability", "low_income", "veteran", "chronic", "focus"]),
]


def forwards(apps, schema_editor):
    Tag = apps.get_model("registry", "Tag")
    ColourRule = apps.get_model("registry", "ColourRule")
    tags = {}
    for order, (code, name, kind, sensitive) in enumerate(TAGS):
        tags[code], _ = Tag.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "sensitive": sensitive, "order": order * 10}
        )
    for colour, name, priority, all_of, any_of in RULES:
        rule, created = ColourRule.objects.get_or_create(name=name, defaults={"colour": colour, "priority": priority})
        if created:
            rule.all_of.set([tags[c] for c in all_of])
            rule.any_of.set([tags[c] for c in any_of])


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
