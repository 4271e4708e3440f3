"""The tags (重点人群标签) and care-colour rules (分色规则) the platform ships with.

Migration 0002 installs them with the Chinese names below; staff change them in the admin. Each shipped
name is marked here with ``gettext_noop`` so that it has an English translation in the catalogue; pages show
a tag or rule name through ``gettext`` / ``{% translate %}``, so the shipped names read in English for an
English reader, and names staff typed themselves stay as typed.
"""

from django.utils.translation import gettext_noop

TAGS = [
    # code, name, kind, sensitive
    ("living_alone", gettext_noop("独居"), "derived", False),
    ("elderly", gettext_noop("老年人"), "derived", False),
    ("aged_80", gettext_noop("高龄"), "derived", False),
    ("elderly_alone", gettext_noop("独居老人"), "derived", False),
    ("lonely_elderly", gettext_noop("孤老"), "entered", False),
    ("disabled_care", gettext_noop("失能/失智"), "entered", True),
    ("disability", gettext_noop("残疾"), "entered", True),
    ("low_income", gettext_noop("低保/低收入"), "entered", True),
    ("veteran", gettext_noop("退役军人"), "entered", False),
    ("chronic", gettext_noop("慢性病"), "entered", True),
    ("focus", gettext_noop("重点关注"), "entered", False),
]

RULES = [
    # colour, name, priority, all_of, any_of
    ("red", gettext_noop("独居高龄失能"), 300, ["living_alone", "aged_80", "disabled_care"], []),
    ("red", gettext_noop("孤老"), 290, ["lonely_elderly"], []),
    ("red", gettext_noop("独居失能"), 280, ["living_alone", "disabled_care"], []),
    ("yellow", gettext_noop("独居老人"), 200, ["elderly_alone"], []),
    ("yellow", gettext_noop("高龄失能"), 190, ["aged_80", "disabled_care"], []),
    ("yellow", gettext_noop("困难残疾"), 180, ["low_income", "disability"], []),
    ("green", gettext_noop("高龄"), 110, ["aged_80"], []),
    ("green", gettext_noop("需关心"), 100, [],
     ["disabled_care", "disability", "low_income", "veteran", "chronic", "focus"]),
]
