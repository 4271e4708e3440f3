import re

import pytest
from django import forms

from jiedao.core.forms import QuickSelect

CHOICES = [
    ("", "全部网格"),
    ("1", "曹杨一村 <第1网格>"),
    ("2\"x", "名字 & 引号"),
    ("片区", [("3", "三"), ("4", "四")]),
    (5, "整数值"),
]


def markup(html: str) -> str:
    """Django's templates put newlines and indentation between the tags; browsers ignore them."""
    return re.sub(r">\s+<", "><", str(html)).strip()


def pair(**field_kwargs):
    class Plain(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, **field_kwargs)

    class Quick(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, widget=QuickSelect(attrs={"class": "narrow"}), **field_kwargs)

    Plain.base_fields["f"].widget.attrs["class"] = "narrow"
    return Plain, Quick


@pytest.mark.parametrize("value", ["", "1", "3", "5", "2\"x", "missing"])
@pytest.mark.parametrize("required", [True, False])
def test_quick_select_renders_what_django_select_renders(value, required):
    plain, quick = pair(required=required)
    expected = markup(plain({"f": value})["f"])
    assert markup(quick({"f": value})["f"]) == expected


def test_quick_select_marks_the_chosen_option_and_escapes_labels_and_values():
    _, quick = pair(required=False)
    html = str(quick({"f": "3"})["f"])
    assert '<option value="3" selected>三</option>' in html
    assert html.count(" selected") == 1
    assert '<optgroup label="片区">' in html
    assert "&lt;第1网格&gt;" in html and "<第1网格>" not in html
    assert 'value="2&quot;x"' in html


def test_quick_select_keeps_disabled_and_id_attributes():
    class Quick(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, disabled=True)

    class Plain(forms.Form):
        f = forms.ChoiceField(choices=CHOICES, disabled=True)

    html = str(Quick(auto_id="x_%s")["f"])
    assert html.startswith('<select name="f" required disabled id="x_f">')
    assert markup(html) == markup(Plain(auto_id="x_%s")["f"])
