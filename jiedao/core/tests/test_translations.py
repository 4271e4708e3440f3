"""English must work: every Chinese message the code and templates mark for translation has an English text."""

import re
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "jiedao"
KEYWORDS = {"_": None, "gettext": None, "gettext_lazy": None, "gettext_noop": None, "ngettext": (1, 2),
            "pgettext": ((1, "c"), 2), "pgettext_lazy": ((1, "c"), 2)}
TEMPLATE_TRANSLATE = re.compile(r'{%\s*translate\s+"((?:[^"\\]|\\.)*)"(?:\s+context\s+"([^"]*)")?')
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _english() -> dict[str, str]:
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh)
    return {(m.context, m.id if isinstance(m.id, str) else m.id[0]):
            (m.string if isinstance(m.string, str) else m.string[0])
            for m in catalog if m.id and "fuzzy" not in m.flags}


def _marked_messages():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for lineno, message, _comments, context in extract_from_file("python", str(path), keywords=KEYWORDS):
            text = message if isinstance(message, str) else message[0]
            if text and CHINESE.search(text):
                yield context, text, f"{path.relative_to(ROOT)}:{lineno}"
    for path in sorted(ROOT.rglob("*.html")):
        for match in TEMPLATE_TRANSLATE.finditer(path.read_text(encoding="utf-8")):
            if CHINESE.search(match.group(1)):
                yield match.group(2), match.group(1), str(path.relative_to(ROOT))


def test_every_chinese_message_has_an_english_translation():
    english = _english()
    untranslated = sorted({f"{where}: {text}" for context, text, where in _marked_messages()
                           if not english.get((context, text))})
    assert untranslated == []


PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{([A-Za-z_][A-Za-z0-9_]*)\}")


def test_every_english_text_keeps_the_placeholders_of_its_chinese_message():
    """A translation that drops or renames %(choices)s shows the user a sentence with a hole in it, or fails at
    run time (a fuzzy merge once left 与户主关系应为：%(choices)s as "Relation to head")."""
    with (ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").open("rb") as fh:
        catalog = read_po(fh)
    wrong = []
    for m in catalog:
        if not m.id or "python-format" not in m.flags:
            continue
        ids = [m.id] if isinstance(m.id, str) else list(m.id)
        strings = [m.string] if isinstance(m.string, str) else list(m.string)
        wanted = sorted(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if sorted(PLACEHOLDER.findall(string)) != wanted and sorted(PLACEHOLDER.findall(ids[0])) != sorted(
                    PLACEHOLDER.findall(string)):
                wrong.append(f"{ids[0]!r} → {string!r}")
    assert wrong == []
