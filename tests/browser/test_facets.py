"""The filter above a list of outcomes, in English and French, with and without JavaScript
and with Material's instant navigation. Same harness as every browser test: the `page`
fixture refuses and reports any request to another host than 127.0.0.1."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest
from playwright.sync_api import Page

from support import build_fixture_site

from .conftest import FOREIGN_URL, LocalServer

KENYA_STORIES = 3  # tests/fixtures/site: Marsabit, Kisumu and the Ministry of Interior
ALL_STORIES = 10


def build_with(folder: Path, language: str, instant: bool = False) -> Path:
    """tests/fixtures/site built with theme.language `language` (and instant navigation)."""
    changes: dict[str, object] = {"theme_language": language}
    if instant:
        changes["theme_features"] = ["navigation.tabs", "navigation.top", "navigation.instant"]
    return build_fixture_site(folder, **changes)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("languages")
    return {language: build_with(base / language, language) for language in ("en", "fr")}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def serve():
    servers = []

    def start(site: Path) -> str:
        server = LocalServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}/"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def visible_items(browser_page: Page) -> int:
    return browser_page.locator(".okb-list .okb-item:visible").count()


@pytest.mark.parametrize(
    "language, all_shown, kenya_shown",
    [
        ("en", "10 of 10 outcomes shown", "3 of 10 outcomes shown"),
        ("fr", "10 effets affichés sur 10", "3 effets affichés sur 10"),
    ],
)
def test_filter_by_country_shows_matching_outcomes_and_count(
    sites, serve, page: Page, language, all_shown, kenya_shown
):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = serve(sites[language])
    page.goto(base + "fragments/")
    status = page.locator(".okb-shown")
    assert status.text_content() == all_shown
    assert visible_items(page) == ALL_STORIES
    country = page.locator("select[name=country]")
    assert "Kenya (3)" in country.locator("option").all_text_contents()
    country.select_option(label="Kenya (3)")
    assert status.text_content() == kenya_shown
    assert visible_items(page) == KENYA_STORIES
    shown = page.locator(".okb-list .okb-item:visible")
    assert {shown.nth(i).get_attribute("data-country") for i in range(shown.count())} == {"kenya"}
    assert "country=kenya" in page.url  # a filtered view can be shared as a link
    page.locator(".okb-reset").click()
    assert visible_items(page) == ALL_STORIES
    page.goto(base + "fragments/?country=kenya&year=2022")  # … and opened again
    assert status.text_content() == kenya_shown.replace("3", "2", 1)
    assert visible_items(page) == 2
    assert errors == []


def test_without_javascript_full_list_and_no_filter(sites, serve, browser, request_log):
    context = browser.new_context(java_script_enabled=False)
    context.route(FOREIGN_URL, lambda route: (request_log.blocked.append(route.request.url), route.abort()))
    no_script = context.new_page()
    no_script.goto(serve(sites["en"]) + "fragments/")
    assert visible_items(no_script) == ALL_STORIES
    # The form is in the page (it holds its place from the first paint), shown only with scripting.
    assert no_script.locator("form.okb-filter:visible, select:visible, .okb-shown:visible").count() == 0
    context.close()


def test_filter_with_material_instant_navigation(tmp_path_factory, serve, page: Page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    base = serve(build_with(tmp_path_factory.mktemp("instant"), "en", instant=True))
    page.goto(base)
    page.locator("a.md-tabs__link", has_text="All outcomes").click()  # no page load
    page.locator("form.okb-filter[data-okb-ready]").wait_for()  # the page's form, wired by the script
    page.locator("select[name=country]").select_option("mali")
    assert page.locator(".okb-shown").text_content() == "2 of 10 outcomes shown"
    assert page.locator("form.okb-filter").count() == 1
    page.locator("a.md-tabs__link", has_text="Countries").click()
    page.locator("article a", has_text="Kenya").first.click()
    page.locator("article h1", has_text="Kenya").wait_for()
    # The Kenya page lists 3 outcomes: too few for a filter.
    assert page.locator("form.okb-filter").count() == 0
    page.locator("a.md-tabs__link", has_text="All outcomes").click()
    page.locator("form.okb-filter").wait_for()
    assert page.locator("form.okb-filter").count() == 1
    assert page.locator(".okb-shown").text_content() == "10 of 10 outcomes shown"
    assert errors == []
