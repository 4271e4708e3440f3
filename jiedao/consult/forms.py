"""Forms of the consult pages: they parse; the services check and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiedao.consult.models import Channel, Consultation, Kind
from jiedao.consult.rules import Choice, RuleCode, ShareOf
from jiedao.core.scope import scope_of
from jiedao.geo.models import Building


class CreateForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Kind.choices)
    title = forms.CharField(label=_("事项"), max_length=120)
    rule = forms.ChoiceField(label=_("表决规则"), choices=[("", _("按类型默认")), *RuleCode.choices],
                             required=False)
    building = forms.ModelChoiceField(label=_("楼栋"), queryset=Building.objects.none())
    unit = forms.IntegerField(label=_("单元号（留空为整栋）"), required=False, min_value=1)
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    share_of = forms.ChoiceField(label=_("比例依据（比例征询）"), choices=ShareOf.choices, required=False)
    share_at_least = forms.CharField(label=_("比例门槛（比例征询，如 9/10）"), max_length=20, required=False)
    notice_from = forms.DateField(label=_("事前公示开始"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    result_notice_until = forms.DateField(label=_("结果公示截止"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}))
    previous = forms.ModelChoiceField(label=_("上一轮（第二轮征询）"), queryset=Consultation.objects.none(),
                                      required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.within(scope_of(user)).select_related("road")
        self.fields["previous"].queryset = Consultation.objects.within(scope_of(user))


class CorrectForm(forms.Form):
    owner_name = forms.CharField(label=_("业主姓名"), max_length=80, required=False)
    owner_document = forms.CharField(label=_("证件号或产证号"), max_length=40, required=False)
    unsold = forms.BooleanField(label=_("开发商未售出"), required=False)
    area = forms.CharField(label=_("专有部分面积（m²）"), max_length=20, required=False)
    reason = forms.CharField(label=_("更正依据"), max_length=200)


class EntryForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput, required=False)
    label = forms.CharField(label=_("房号"), max_length=40)
    choice = forms.ChoiceField(label=_("意见"), choices=Choice.choices, widget=forms.RadioSelect)
    channel = forms.ChoiceField(label=_("渠道"), choices=[(c, label) for c, label in Channel.choices
                                                        if c in (Channel.BOOTH, Channel.PAPER, Channel.PROXY)])
    cast_at = forms.DateTimeField(label=_("投票时间（留空为现在）"), required=False,
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    proxy_name = forms.CharField(label=_("受托人"), max_length=40, required=False)
    proxy_document = forms.FileField(label=_("委托书（PDF 或照片）"), required=False)


class ConfirmForm(forms.Form):
    choice = forms.ChoiceField(label=_("复核意见"), choices=Choice.choices, widget=forms.RadioSelect)


class VoteForm(forms.Form):
    choice = forms.ChoiceField(label=_("您的意见"), choices=Choice.choices, widget=forms.RadioSelect)


def apply_errors(form: forms.Form, exc) -> None:
    """A service's ValidationError onto the form: field errors where the form has the field, others on top."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for m in messages:
                form.add_error(field if field in form.fields else None, m)
    else:
        for m in exc.messages:
            form.add_error(None, m)
