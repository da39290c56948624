"""The Content-Security-Policy of every page (templates/theme/main.html), in Chromium.

Every page declares, in a <meta> before anything it loads, that the browser may load
nothing from another host. These tests check that the policy is there on each kind of
page, that the site still works under it (search, filters, dashboard, navigation) with no
violation reported, and that it does stop what a page might try to load from elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from .reading import MARSABIT, RESULT_ITEM, assert_found, fragment_url, h1, open_result, search, search_started

CSP_META = 'meta[http-equiv="Content-Security-Policy"]'
# The only sources a directive may list: this site, nothing, and local schemes; script-src
# adds the hashes of the theme's own inline scripts, and never 'unsafe-inline'.
LOCAL_SOURCES = {"'self'", "'none'", "'unsafe-inline'", "'wasm-unsafe-eval'", "data:"}
SCRIPT_HASH = re.compile(r"^'sha256-[A-Za-z0-9+/]{43}='$")
REQUIRED_DIRECTIVES = {
    "default-src",
    "script-src",
    "style-src",
    "img-src",
    "font-src",
    "connect-src",
    "media-src",
    "object-src",
    "frame-src",
    "worker-src",
    "base-uri",
    "form-action",
}
# One page of each kind the site has, by URL path (404.html is served as a plain file
# here; GitHub Pages serves it for any missing address).
PAGE_KINDS = {
    "home": "",
    "fragment": f"fragments/{MARSABIT[0]}/",
    "listing": "fragments/",
    "dashboard": "dashboard/",
    "cross-tabulations": "cross-tabulations/",
    "hand-written": "about/",
    "not found": "404.html",
}
EXTERNAL = "https://example.com"
# How Playwright names the failure of a request the policy refused (Chromium's blockedReason).
REFUSED_BY_POLICY = "csp"

# Reports every securitypolicyviolation of the test's page to Python (the binding survives
# navigation, unlike anything kept in the page).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.okbReportViolation({
    blockedURI: event.blockedURI,
    directive: event.effectiveDirective,
    page: document.location.href,
  });
});
"""


@dataclass
class PolicyWatch:
    """What the policy reported while the test ran: violations, and console errors."""

    violations: list[dict] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def blocked_from(self, prefix: str) -> list[dict]:
        return [v for v in self.violations if v["blockedURI"].startswith(prefix)]

    def assert_quiet(self) -> None:
        assert self.violations == [], f"Content-Security-Policy violations: {self.violations}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
def policy_watch(page: Page) -> PolicyWatch:
    watch = PolicyWatch()

    def report_violation(violation: dict) -> None:
        watch.violations.append(violation)

    # On the page, not its context: the context is lent to the next test too (conftest.py).
    page.expose_function("okbReportViolation", report_violation)
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.location.get('url')}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    return watch


def directives(policy: str) -> dict[str, list[str]]:
    """'default-src 'self'; img-src 'self' data:' -> {'default-src': ["'self'"], ...}"""
    parsed: dict[str, list[str]] = {}
    for directive in filter(None, (part.strip() for part in policy.split(";"))):
        name, *sources = directive.split()
        parsed[name.lower()] = sources
    return parsed


def page_policy(page: Page) -> str:
    meta = page.locator(CSP_META)
    expect(meta).to_have_count(1)
    return meta.get_attribute("content") or ""


# ---------------------------------------------------------------- the policy is there


def policy_problems(page: Page, served_site, path: str) -> list[str]:
    """What is wrong with the policy of the page at `path` (nothing: an empty list)."""
    page.goto(served_site.url(path))
    try:
        policy = directives(page_policy(page))
    except AssertionError as error:
        return [f"not one policy <meta>: {error}"]
    problems = []
    if not policy.keys() >= REQUIRED_DIRECTIVES:
        problems.append(f"directives missing: {sorted(REQUIRED_DIRECTIVES - policy.keys())}")
    foreign = {
        name: source
        for name, sources in policy.items()
        for source in sources
        if source not in LOCAL_SOURCES and not (name == "script-src" and SCRIPT_HASH.match(source))
    }
    if foreign:
        problems.append(f"sources other than this site: {foreign}")
    script_src = policy.get("script-src", [])
    if "'unsafe-inline'" in script_src:
        problems.append(f"script-src allows 'unsafe-inline': {script_src}")
    if not any(SCRIPT_HASH.match(source) for source in script_src):
        problems.append(f"script-src lists no hash of the theme's scripts: {script_src}")
    if policy.get("default-src") != ["'self'"]:
        problems.append(f"default-src is {policy.get('default-src')}, not 'self'")
    if policy.get("object-src") != ["'none'"] or policy.get("frame-src") != ["'none'"]:
        problems.append(f"object-src {policy.get('object-src')} and frame-src {policy.get('frame-src')}, not 'none'")

    # A policy applies only to what comes after it: nothing of <head> may load first.
    loaders_before = page.evaluate(
        """(selector) => {
            const meta = document.querySelector(selector);
            return [...document.head.querySelectorAll("link, script, style, base")]
              .filter((el) => meta.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING)
              .map((el) => el.outerHTML);
        }""",
        CSP_META,
    )
    if loaders_before:
        problems.append(f"loaded before the policy: {loaders_before}")
    parent = page.evaluate(f"document.querySelector('{CSP_META}').parentElement.tagName")
    if parent != "HEAD":
        problems.append(f"the policy is in <{parent.lower()}>, not <head>")

    # The policy goes before <meta charset>, which must stay within the first 1024 bytes.
    raw = (served_site.root / (path if path.endswith(".html") else path + "index.html")).read_bytes()
    if b'<meta charset="utf-8">' not in raw[:1024]:
        problems.append(f"no <meta charset> in the first 1024 bytes: {raw[:1024]!r}")
    return problems


def test_every_kind_of_page_declares_the_policy_before_it_loads_anything(page: Page, served_site):
    """One page of each kind (PAGE_KINDS), one after another in one browser page (a fresh page
    for each cost more than its check); a failure names each kind that failed and why."""
    problems = {kind: policy_problems(page, served_site, path) for kind, path in PAGE_KINDS.items()}
    found = {kind: lines for kind, lines in problems.items() if lines}
    assert not found, "\n".join(f"{kind}:\n  " + "\n  ".join(lines) for kind, lines in found.items())


# ------------------------------------------------------- the site works under the policy


def test_search_and_its_result_work_under_the_policy(page: Page, served_site, policy_watch):
    slug, title = MARSABIT
    page.goto(served_site.url())
    search(page, "Marsabit")
    assert_found(page, "Marsabit", title)
    open_result(page, slug, title)  # navigation from a result, and highlighting on arrival
    expect(page.locator("article mark").first).to_have_text(re.compile("Marsabit", re.I))
    search(page, "mediation")  # and again from a fragment page, two levels deep
    assert_found(page, "mediation", title)
    page.wait_for_load_state("networkidle")
    policy_watch.assert_quiet()


def test_facet_filter_works_under_the_policy(page: Page, served_site, policy_watch):
    page.goto(served_site.url("fragments/"))
    shown = page.locator(".okb-list .okb-item:visible")
    status = page.locator(".okb-shown")
    expect(status).to_have_text(re.compile(r"^10 of 10 outcomes shown$"))
    expect(shown).to_have_count(10)
    country = page.locator("select[name=country]")
    kenya = next(label for label in country.locator("option").all_text_contents() if label.startswith("Kenya ("))
    country.select_option(label=kenya)
    expect(status).to_have_text("3 of 10 outcomes shown")
    expect(shown).to_have_count(3)
    assert "country=kenya" in page.url
    policy_watch.assert_quiet()


def test_dashboard_renders_under_the_policy(page: Page, served_site, policy_watch):
    page.goto(served_site.url("dashboard/"))
    expect(h1(page)).to_be_visible()
    charts = page.locator("article .okb-chart > svg")  # the bar charts (the map is laid out apart)
    expect(charts).to_have_count(12)  # each facet the fixture gives a value (issue 21)
    expect(charts.first).to_be_visible()
    expect(page.locator("article .okb-bar").first).to_be_visible()
    # The charts' style="" attributes apply (style-src allows them): 640px wide at most.
    assert charts.first.evaluate("svg => getComputedStyle(svg).maxWidth") == "640px"
    page.wait_for_load_state("networkidle")
    policy_watch.assert_quiet()


def test_navigation_through_every_tab_reports_no_violation(page: Page, served_site, policy_watch):
    page.goto(served_site.url())
    tabs = page.locator("a.md-tabs__link")
    names = tabs.all_inner_texts()
    assert len(names) >= 5, names
    for name in names:
        page.locator("a.md-tabs__link", has_text=name).first.click()
        expect(page.locator(".md-tabs__item--active a")).to_have_text(name)
        expect(h1(page)).to_be_visible()
        # The page has loaded, run its scripts and started its search (what a violation
        # would come from) before the next tab is opened. Only the walk's end waits for the
        # network to be idle (~0.5 s of quiet each time), which covers what Pagefind's worker
        # still fetches there: the same start-up files, under the same policy, on every page.
        search_started(page)
    # and the pages below them: a country, a fragment, back
    page.goto(served_site.url("countries/"))
    page.locator("article a", has_text="Kenya").first.click()
    expect(h1(page)).to_have_text("Kenya")
    page.locator(f"article a[href$='/fragments/{MARSABIT[0]}/']").click()
    expect(page).to_have_url(fragment_url(MARSABIT[0]))
    page.go_back()
    expect(h1(page)).to_have_text("Kenya")
    page.wait_for_load_state("networkidle")
    policy_watch.assert_quiet()


# ------------------------------------------------- what the policy stops, before the network


def test_the_policy_needs_no_asset_of_another_host(page: Page, served_site, policy_watch, request_log):
    """Every asset Material and the site's scripts fetched came from this site."""
    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    search(page, "Marsabit")
    expect(page.locator(RESULT_ITEM).first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/pagefind/pagefind-worker.js") for url in request_log.urls), request_log.urls
    assert any(".pagefind" in url for url in request_log.urls), request_log.urls  # the WebAssembly
    assert request_log.foreign() == []
    policy_watch.assert_quiet()


# What a page (or a script of it) might load from another host, and the directive that stops it.
INJECTED_LOADS = {
    "image": ("img-src", "const i = document.createElement('img'); i.src = URL; document.body.append(i);"),
    "script": ("script-src-elem", "const s = document.createElement('script'); s.src = URL; document.head.append(s);"),
    "style sheet": (
        "style-src-elem",
        "const l = document.createElement('link'); l.rel = 'stylesheet'; l.href = URL; document.head.append(l);",
    ),
    "frame": ("frame-src", "const f = document.createElement('iframe'); f.src = URL; document.body.append(f);"),
    "fetch": ("connect-src", "fetch(URL).catch(() => {});"),
    "media": ("media-src", "const v = document.createElement('video'); v.src = URL; document.body.append(v);"),
    "background image": (
        "img-src",
        "const d = document.createElement('div'); d.style.backgroundImage = `url(${URL})`;"
        " d.textContent = 'x'; document.body.append(d);",
    ),
}


@pytest.mark.parametrize("kind", INJECTED_LOADS, ids=INJECTED_LOADS.keys())
def test_what_a_page_adds_from_another_host_is_blocked_before_the_network(
    page: Page, served_site, policy_watch, request_log, kind
):
    directive, code = INJECTED_LOADS[kind]
    url = f"{EXTERNAL}/okb-csp-test/{kind.replace(' ', '-')}"
    page.goto(served_site.url(f"fragments/{MARSABIT[0]}/"))
    search_started(page)
    policy_watch.assert_quiet()  # nothing before the test's own load

    failures: dict[str, str] = {}
    page.on("requestfailed", lambda request: failures.setdefault(request.url, request.failure or ""))

    page.evaluate(f"(URL) => {{ {code} }}", url)
    violation = wait_for_violation(page, policy_watch, EXTERNAL)
    assert violation["directive"] == directive, violation
    # Stopped before the network: the harness's guard (the browser's resolver, which every
    # request leaving the page reaches) never saw it. Chromium still announces some (images, scripts, style
    # sheets) as requests that failed at once, refused by the policy.
    assert not any(blocked.startswith(EXTERNAL) for blocked in request_log.blocked), request_log.blocked
    announced = [logged for logged in request_log.urls if logged.startswith(EXTERNAL)]
    for logged in announced:
        wait_until(page, lambda logged=logged: logged in failures, f"the request to {logged} to fail")
        assert failures[logged] == REFUSED_BY_POLICY, (logged, failures[logged])
        request_log.urls.remove(logged)  # refused by the policy, never sent: not a leak
    # Chromium says why on the console; that is all it says.
    assert all(EXTERNAL in error for error in policy_watch.console_errors), policy_watch.console_errors
    assert request_log.foreign() == []


def wait_until(page: Page, condition: Callable[[], bool], what: str, timeout_ms: int = 5_000) -> None:
    """Wait for a condition on what Playwright reported, letting it deliver the page's events."""
    for _ in range(timeout_ms // 50):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting for {what}")


def wait_for_violation(page: Page, watch: PolicyWatch, blocked: str) -> dict:
    """The first violation reported for an address starting with `blocked`."""
    try:
        wait_until(page, lambda: bool(watch.blocked_from(blocked)), f"a violation for {blocked}")
    except AssertionError:
        raise AssertionError(f"no violation reported for {blocked}; reported: {watch.violations}") from None
    return watch.blocked_from(blocked)[0]


# ------------------------------------------------ inline scripts: the theme's run, no other

# What a page might carry that runs a script, put into a built page as it is served (the
# page check refuses it in a hand-written page; this is the browser's line behind it).
INJECTED_SCRIPTS = {
    "inline script": ("script-src-elem", "<script>window.okbInjected = 'inline script';</script>"),
    "event handler": (
        "script-src-attr",
        "<img src='okb-missing.png' alt='' onerror=\"window.okbInjected = 'event handler'\">",
    ),
    "javascript: address": (
        "script-src-elem",
        "<a id='okb-injected' href=\"javascript:window.okbInjected = 'javascript: address'\">x</a>",
    ),
}


def serve_with(page: Page, path: str, markup: str) -> None:
    """Serve the built page at `path` with `markup` added at the start of its article."""

    def add_markup(route) -> None:
        response = route.fetch()
        article = '<article class="md-content__inner md-typeset">'
        assert article in response.text()
        body = response.text().replace(article, article + markup, 1)
        route.fulfill(response=response, body=body)

    page.route(re.compile(re.escape(path) + "$"), add_markup)


@pytest.mark.parametrize("kind", INJECTED_SCRIPTS, ids=INJECTED_SCRIPTS.keys())
def test_a_script_added_to_a_built_page_does_not_run_and_the_theme_still_does(
    page: Page, served_site, policy_watch, kind
):
    directive, markup = INJECTED_SCRIPTS[kind]
    path = "about/"
    serve_with(page, path, markup)
    page.goto(served_site.url(path))
    if kind == "javascript: address":
        page.locator("#okb-injected").click()
    wait_until(page, lambda: any(v["blockedURI"] == "inline" for v in policy_watch.violations), "a violation")
    assert [(v["directive"], v["blockedURI"]) for v in policy_watch.violations] == [(directive, "inline")]
    assert page.evaluate("window.okbInjected") is None
    # Material's own inline script ran (it defines __md_scope), and so did its bundle.
    assert page.evaluate("typeof __md_scope") == "object"
    assert page.evaluate("typeof document$") == "object"
