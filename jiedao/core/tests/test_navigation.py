"""The page frame every module shares: navigation and home tiles by role, the link to system administration,
flash messages under the breadcrumb, and no inline script, handler or style (the Content-Security-Policy)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.template import engines
from django.test import RequestFactory


def _nav(html: str) -> str:
    return html.split('<nav class="mainnav"', 1)[1].split("</nav>", 1)[0]


def _tiles(html: str) -> str:
    return html.split('data-testid="tiles"', 1)[1].split("</ul>", 1)[0]


def test_a_residents_home_offers_their_cases_a_report_and_the_public_plan(world, login):
    html = login(world.resident).get("/").content.decode()
    tiles = _tiles(html)
    for href, label in (("/portal/cases/", "我的诉求"), ("/portal/report/", "我要反映"),
                        ("/planning/public/", "规划公开")):
        assert f'href="{href}"' in tiles and label in tiles and f'href="{href}"' in _nav(html)
    assert "办理进度" in tiles  # each tile says what it is for
    assert "接口文档" not in html and "/api/docs" not in html
    assert "数据范围" not in html  # a resident has no data scope to show


@pytest.mark.parametrize("persona", ["operator", "auditor"])
def test_api_docs_are_in_the_navigation_of_roles_that_use_the_api(world, login, persona):
    assert 'href="/api/docs"' in _nav(login(getattr(world, persona)).get("/").content.decode())


@pytest.mark.parametrize("persona", ["handler", "grid_worker", "social_worker", "leader", "resident"])
def test_api_docs_stay_out_of_the_navigation_of_roles_that_work_in_the_pages(world, login, persona):
    html = login(getattr(world, persona)).get("/").content.decode()
    assert "/api/docs" not in html and "接口文档" not in html


def test_system_administration_is_linked_for_users_of_the_admin_site_only(world, login):
    world.operator.is_staff = True
    world.operator.save(update_fields=["is_staff"])
    nav = _nav(login(world.operator).get("/").content.decode())
    assert 'href="/admin/"' in nav and "系统管理" in nav
    for persona in (world.leader, world.auditor, world.resident):
        assert 'href="/admin/"' not in login(persona).get("/").content.decode()


def test_a_page_outside_the_list_marks_its_modules_item(world, login):
    nav = _nav(login(world.social_worker).get("/registry/stats/").content.decode())
    assert 'href="/registry/" aria-current="page"' in nav
    # Cases has several items (the queue, the KPIs, the phone pages): none is marked for a page of its own.
    nav = _nav(login(world.operator).get("/cases/hotline/").content.decode())
    assert "aria-current" not in nav


def test_the_admin_site_is_named_in_chinese_and_english(world, client):
    from jiedao.testing import make_user

    admin = make_user("sysadmin", role="admin", subdistrict=world.sub)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "街道数字治理平台 · 系统管理" in html and "Django 管理" not in html
    assert "后台任务" in html and "地理与地址" in html
    assert "Tasks Database Backend" not in html and ">Geo<" not in html and ">GEO<" not in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/admin/").content.decode()
    assert "Jiedao · System administration" in html and "Background tasks" in html
    assert "Places and addresses" in html and "Django administration" not in html


def _render_with_messages(user, *notes):
    request = RequestFactory().get("/")
    request.user = user
    request._messages = CookieStorage(request)
    for level, text in notes:
        messages.add_message(request, level, text)
    template = engines["django"].from_string(
        '{% extends "core/base.html" %}{% block crumbs %}<p class="crumbs">案件 › 2026-0001</p>{% endblock %}'
        "{% block content %}<h1>案件详情</h1>{% endblock %}")
    return template.render({}, request)


def test_flash_messages_show_under_the_breadcrumb_styled_by_their_level(world):
    html = _render_with_messages(world.operator, (messages.SUCCESS, "已完成：立案"), (messages.ERROR, "不能派遣"))
    assert html.index('class="crumbs"') < html.index('class="messages"') < html.index("<h1>案件详情")
    assert '<li class="message message-success">已完成：立案</li>' in html
    assert '<li class="message message-error" role="alert">不能派遣</li>' in html
    css = (Path(settings.BASE_DIR) / "jiedao/core/static/core/jiedao.css").read_text(encoding="utf-8")
    for level in ("success", "warning", "error"):
        assert re.search(rf"\.messages \.message-{level}[^{{]*{{[^}}]*background:", css), level


def test_no_template_carries_inline_script_handlers_or_styles():
    """The Content-Security-Policy allows scripts and styles from the platform's own files only: behaviour
    lives in static JS (core/jiedao.js: data-autosubmit, data-print), data in json_script."""
    inline = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(?!</script>)|\son[a-z]+\s*=|\sstyle\s*=", re.I)
    found = []
    for path in sorted((Path(settings.BASE_DIR) / "jiedao").rglob("templates/**/*.html")):
        text = path.read_text(encoding="utf-8")
        # json_script renders <script type="application/json">; in a template it is written as a filter.
        found += [f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)}" for m in inline.finditer(text)]
    assert found == []
