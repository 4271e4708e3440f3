"""The Content-Security-Policy in a browser: over the demo (a small Caoyang), every main page of every role
(cases, registry, planning, the map, the resident's portal, the public plan pages, the admin, the API docs)
comes with the policy and runs without a single violation; an injected inline script is refused."""

import io
import re

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every violation the page reports, with where it happened (the console says it too, the fixture records it).
LISTEN = """document.addEventListener('securitypolicyviolation', e => {
  (window.__violations = window.__violations || []).push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
});"""
SKIP = re.compile(r"logout|export|\.(xlsx|csv|pdf|png|svg|json|xml)$|/download/")


@pytest.fixture
def demo_password(transactional_db):
    out = io.StringIO()
    call_command("demo", "--scale", "0.04", stdout=out)
    return re.search(r"密码均为 (\S+)）", out.getvalue()).group(1)


def visit(page, url, path, seen, violations, policies):
    response = page.goto(url + path)
    page.wait_for_load_state("networkidle")
    policies[path] = response.headers.get("content-security-policy", "")
    violations += [f"{path}: {v}" for v in page.evaluate("window.__violations || []")]
    seen.append(path)


def links(page, selector="nav a, main a") -> list[str]:
    hrefs = page.eval_on_selector_all(selector, "els => els.map(e => e.getAttribute('href'))")
    return [h for h in dict.fromkeys(hrefs) if h and h.startswith("/") and not SKIP.search(h)]


def tour(page, url, username, password, seen, violations, policies):
    """Sign in, then every page the navigation and the home page offer, and the first few links on each."""
    page.context.clear_cookies()
    page.goto(url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    first = links(page)
    for path in first:
        visit(page, url, path, seen, violations, policies)
        for deeper in links(page, "main a")[:3]:
            if deeper not in first and deeper not in seen:
                visit(page, url, deeper, seen, violations, policies)


def test_every_main_page_of_every_role_runs_under_the_strict_policy(demo_password, live_server, browser_page):
    page, errors = browser_page
    page.add_init_script(LISTEN)
    url, seen, violations, policies = live_server.url, [], [], {}
    for path in ("/login/", "/planning/public/"):
        visit(page, url, path, seen, violations, policies)
    for path in links(page, "main a")[:2]:
        visit(page, url, path, seen, violations, policies)
    for username in ("operator", "grid_worker", "social_worker", "leader", "handler", "auditor", "resident",
                     "admin"):
        tour(page, url, username, demo_password, seen, violations, policies)
    for path in ("/admin/", "/admin/core/auditlog/", "/admin/core/user/", "/api/docs"):
        visit(page, url, path, seen, violations, policies)

    for area in ("/cases/", "/cases/kpis/", "/m/cases/", "/registry/", "/registry/households/", "/planning/",
                 "/planning/public/", "/map/", "/portal/", "/audit/", "/admin/", "/api/docs"):
        assert any(p.startswith(area) for p in seen), f"the tour did not reach {area}: {seen}"
    assert len(seen) >= 40
    missing = sorted(p for p, policy in policies.items() if "script-src 'self'" not in policy)
    assert missing == []
    assert violations == []
    assert errors == []


def test_an_injected_inline_script_and_style_are_refused(demo_password, live_server, browser_page):
    page, errors = browser_page
    page.add_init_script(LISTEN)
    page.goto(live_server.url + "/login/")
    ran = page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.appendChild(script);
        const style = document.createElement('style');
        style.textContent = 'body { display: none }';
        document.head.appendChild(style);
        return [window.__ran === true, getComputedStyle(document.body).display];
    }""")
    assert ran == [False, "block"]
    assert sorted(v.split(" ")[0] for v in page.evaluate("window.__violations")) == ["script-src-elem",
                                                                                     "style-src-elem"]
    errors.clear()  # the console reports the two refusals too
