"""21 天打卡 pages: the campaigns, one campaign's 小区 leaderboard and households, the 监督员's phone page
for a day's records, a household's page (its records in each campaign, their corrections, its points
ledger) and the 居委 head's correction of one day's record (更正)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedao.core.access import get_in_scope
from jiedao.core.forms import apply_errors
from jiedao.core.roles import Perm, has_perm
from jiedao.inspections.campaigns import corrections, selectors, services
from jiedao.inspections.campaigns.forms import CampaignForm, CorrectionForm, DayForm, EnrolForm, RedeemForm
from jiedao.registry.models import Household


@login_required
def campaign_list(request):
    campaigns = list(selectors.campaign_list(user=request.user))
    can_manage = has_perm(request.user, Perm.MANAGE_INSPECTIONS)
    form = CampaignForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已发起活动“%(name)s”") % {"name": campaign.name})
            return redirect("campaigns:detail", campaign.pk)
    if form.errors:
        status = 400
    today = timezone.localdate()
    return render(request, "inspections/campaigns/list.html", {
        "campaigns": campaigns, "form": form if can_manage else None, "today": today}, status=status)


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    estates = selectors.campaign_estates(user=request.user, campaign=campaign)
    estate_id = _int(request.GET.get("estate")) or (estates[0][0] if estates else None)
    board = selectors.leaderboard(user=request.user, campaign=campaign, estate_id=estate_id)
    form = EnrolForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        household = get_in_scope(Household.objects.select_related("building"), user=request.user,
                                 code=form.cleaned_data["household"].strip())
        try:
            _enrolment, created = services.enrol_household(by=request.user, campaign=campaign, household=household)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记 %(h)s 参加活动") % {"h": household} if created
                             else _("%(h)s 已在活动中") % {"h": household})
            return redirect(f"{reverse('campaigns:detail', args=[campaign.pk])}?estate={household.building.estate_id}")
    if form.errors:
        status = 400
    return render(request, "inspections/campaigns/detail.html", {
        "campaign": campaign, "estates": estates, "estate_id": estate_id, "rows": board.get(estate_id, []),
        "figures": selectors.campaign_figures(user=request.user, campaign=campaign), "form": form,
        "can_record": has_perm(request.user, Perm.DO_INSPECTIONS),
        "can_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS)}, status=status)


@login_required
def record_page(request, campaign_id: int):
    """The 监督员's phone page: the households of one 小区 (and building), ✓ or ✗ for the day; a household
    already recorded that day shows its record and is not sent again."""
    campaign = selectors.get_campaign(user=request.user, campaign_id=campaign_id)
    estates = selectors.campaign_estates(user=request.user, campaign=campaign)
    estate_id = _int(request.GET.get("estate")) or (estates[0][0] if estates else None)
    day_form = DayForm(request.GET if "day" in request.GET else {"day": timezone.localdate()})
    day = day_form.cleaned_data["day"] if day_form.is_valid() else timezone.localdate()
    rows = selectors.household_rows(user=request.user, campaign=campaign, estate_id=estate_id, on=day)
    status = 200
    if request.method == "POST":
        findings = {}
        for row in rows:
            value = request.POST.get(f"h{row['enrolment'].pk}")
            if value in ("1", "0") and row["today"] is None:
                findings[row["enrolment"].pk] = value == "1"
        if not findings:
            messages.error(request, _("请至少为一户选择“正确”或“不正确”"))
            status = 400
        else:
            try:
                result = services.record_day(by=request.user, campaign=campaign, day=day, findings=findings)
            except ValidationError as exc:
                for m in exc.messages:
                    messages.error(request, m)
                status = 400
            else:
                text = _("已记录 %(n)s 户") % {"n": result.created}
                if result.unchanged:
                    text += _("；%(n)s 户当天已有记录，未改动") % {"n": result.unchanged}
                if result.rewards:
                    text += _("；%(n)s 户连续打卡满 %(d)s 天，获得奖励积分") % {
                        "n": len(result.rewards), "d": campaign.streak_days}
                if result.reversals:
                    text += _("；补录后 %(n)s 笔奖励不再成立，已撤销") % {"n": len(result.reversals)}
                messages.success(request, text)
                return redirect(f"{reverse('campaigns:record', args=[campaign.pk])}?estate={estate_id}&day={day}")
        rows = selectors.household_rows(user=request.user, campaign=campaign, estate_id=estate_id, on=day)
    return render(request, "inspections/campaigns/record.html", {
        "campaign": campaign, "estates": estates, "estate_id": estate_id, "day": day, "rows": rows,
        "done": sum(1 for r in rows if r["today"] is not None)}, status=status)


@login_required
def household_ledger(request, household_id: int):
    household, entries, total = selectors.household_ledger(user=request.user, household_id=household_id)
    can_manage = has_perm(request.user, Perm.MANAGE_INSPECTIONS)
    form = RedeemForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.redeem_points(by=request.user, household=household, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已兑换 %(p)s 分") % {"p": form.cleaned_data["points"]})
            return redirect("campaigns:household", household.pk)
    if form.errors:
        status = 400
    return render(request, "inspections/campaigns/ledger.html", {
        "household": household, "entries": entries, "balance": total, "form": form if can_manage else None,
        "sections": selectors.household_campaigns(user=request.user, household=household),
        "can_correct": can_manage}, status=status)


@login_required
def correct_day(request, enrolment_id: int, day: str):
    """更正 one household's record of one day: the record as it stands, the form (new value, reason), and
    the day's earlier corrections. Only for those who may correct (403 for the others)."""
    enrolment = selectors.get_enrolment(user=request.user, enrolment_id=enrolment_id)
    corrections.ensure_may_correct(request.user, enrolment)
    try:
        day = dt.date.fromisoformat(day)
    except ValueError as exc:
        raise Http404 from exc
    current = next((r for r in selectors.enrolment_days(enrolment=enrolment) if r.day == day), None)
    if current is None:
        if request.method == "POST":  # a removal sent twice: the record is already gone
            messages.info(request, _("记录未改动：%(d)s 已没有打卡记录") % {"d": day})
            return redirect("campaigns:household", enrolment.household_id)
        raise Http404
    form = CorrectionForm(request.POST or None, was_correct=current.correct)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            result = corrections.correct_day(by=request.user, enrolment=enrolment, day=day, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if not result.changed:
                messages.info(request, _("记录未改动：%(d)s 已是所选结果") % {"d": day})
                return redirect("campaigns:household", enrolment.household_id)
            text = _("已更正 %(d)s 的记录") % {"d": day}
            if result.reversed:
                text += _("；撤销奖励 %(p)s 分") % {"p": -sum(e.points for e in result.reversed)}
            if result.granted:
                text += _("；发放奖励 %(p)s 分") % {"p": sum(e.points for e in result.granted)}
            messages.success(request, text)
            return redirect("campaigns:household", enrolment.household_id)
    if form.errors:
        status = 400
    history = [c for c in selectors.correction_list(user=request.user, campaign=enrolment.campaign,
                                                    enrolment_id=enrolment.pk) if c.day == day]
    return render(request, "inspections/campaigns/correct.html", {
        "enrolment": enrolment, "campaign": enrolment.campaign, "day": day, "current": current, "form": form,
        "history": history}, status=status)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
