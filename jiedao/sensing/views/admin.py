"""The admin's pages: the rule editor (read by every sensing reader), dead letters with replay, device import."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.core.access import ensure_perm
from jiedao.core.roles import Perm, has_perm
from jiedao.core.tables import XlsxWriter
from jiedao.sensing import selectors, services
from jiedao.sensing.defaults import COMMANDS
from jiedao.sensing.forms import DeadLetterFilterForm, ImportForm, RuleForm, apply_errors
from jiedao.sensing.services import deadletters
from jiedao.sensing.services.devices import COLUMNS, ImportFileError, import_devices, read_devices_table
from jiedao.sensing.views.common import sections


@login_required
def rules(request):
    """告警规则: a table of every type's rule; an admin edits one row at a time."""
    rule_list = selectors.rule_list(user=request.user)
    may_edit = has_perm(request.user, Perm.MANAGE_SENSING)
    forms, status = {}, 200
    if request.method == "POST":
        ensure_perm(request.user, Perm.MANAGE_SENSING)
        rule = next((r for r in rule_list if r.type.code == request.POST.get("type")), None)
        if rule is not None:
            form = RuleForm(request.POST, instance=rule, prefix=rule.type.code)
            if form.is_valid():
                fields = {name: form.cleaned_data[name] for name in form.fields}
                rule.refresh_from_db()  # the form wrote into the instance; the service compares before and after
                try:
                    services.update_rule(rule=rule, by=request.user, **fields)
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, _("已保存“%(t)s”的告警规则") % {"t": _(rule.type.name)})
                    return redirect(f"{request.path}#rule-{rule.type.code}")
            forms[rule.pk] = form
            status = 422
    for r in rule_list:
        r.command_label = _(COMMANDS[r.command]) if r.command in COMMANDS else r.command
    rows = [{"rule": r, "form": forms.get(r.pk) or RuleForm(instance=r, prefix=r.type.code)} for r in rule_list]
    return render(request, "sensing/rules.html", {"sections": sections(request, "sensing:rules"), "rows": rows,
                                                  "may_edit": may_edit}, status=status)


@login_required
def dead_letter_list(request):
    ensure_perm(request.user, Perm.MANAGE_SENSING)
    form = DeadLetterFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else {}
    page = Paginator(selectors.dead_letters(user=request.user, filters=filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "sensing/dead_letters.html", {
        "sections": sections(request, "sensing:dead-letters"), "form": form, "page": page, "query": query.urlencode(),
    })


@login_required
@require_POST
def dead_letter_action(request, pk: int, action: str):
    if action not in ("replay", "dismiss"):
        raise Http404
    letter = selectors.get_dead_letter(user=request.user, pk=pk)
    try:
        if action == "replay":
            letter = deadletters.replay(letter=letter, by=request.user)
            (messages.success if letter.resolved else messages.warning)(
                request, _("死信 #%(n)s 重放：%(r)s") % {"n": letter.pk, "r": letter.replay_result})
        else:
            deadletters.dismiss(letter=letter, by=request.user)
            messages.info(request, _("死信 #%(n)s 已忽略") % {"n": letter.pk})
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(request.POST.get("next") or "sensing:dead-letters")


@login_required
def import_page(request):
    ensure_perm(request.user, Perm.MANAGE_SENSING)
    report, status = None, 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                data = upload.read()
                table = read_devices_table(data, upload.name)
                report = import_devices(data=data, filename=upload.name, subdistrict=request.user.subdistrict,
                                        by=request.user, dry_run=form.cleaned_data["dry_run"], table=table)
            except ImportFileError as exc:
                form.add_error("file", str(exc))
                status = 422
            else:
                if not report.dry_run:
                    messages.success(request, _("已导入：新增 %(c)s 台，更新 %(u)s 台，未变化 %(n)s 台") % {
                        "c": report.created, "u": report.updated, "n": report.unchanged})
        else:
            status = 422
    else:
        form = ImportForm()
    return render(request, "sensing/import.html", {
        "sections": sections(request, "sensing:import"), "form": form, "report": report, "columns": COLUMNS,
    }, status=status)


@login_required
def import_template(request):
    ensure_perm(request.user, Perm.MANAGE_SENSING)
    book = XlsxWriter()
    sheet = book.sheet(_("设备"))
    sheet.append(list(COLUMNS))
    sheet.append(["EV-0001", "电瓶车入梯", "1号楼电梯", "EC-200", "某电梯公司", "兰溪路200弄5号", "1", "",
                  "1单元电梯轿厢", "", "", "2024-03-01", "在用", "WYGS"])
    response = HttpResponse(book.to_bytes(), content_type="application/vnd.openxmlformats-officedocument"
                                                          ".spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="devices-template.xlsx"'
    return response
