"""The web UI in real headless Chromium: search, facets, document page, batch lookup, coverage heat map."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.api.dataset import AS_OF, SCRIPT_TITLE
from tests.ui.conftest import SCREENSHOTS

pytestmark = pytest.mark.browser


def _no_script_ran(page) -> None:
    assert page.evaluate("() => window.__pwned === undefined")
    assert page.title() != "PWNED"


def test_search_click_facet_and_open_document(page, ui_world):
    server, _ = ui_world
    page.goto(server.url + "/")
    page.fill("#q", "空气质量")
    page.click("button[type=submit]")
    assert page.inner_text("#total") == "26"
    assert page.locator("#hits mark").count() > 0
    export_links = page.locator(".exports a")
    assert [export_links.nth(i).inner_text() for i in range(export_links.count())] == [
        "CSV",
        "JSONL",
        "XLSX",
        "Atom",
    ]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search_results.png"), full_page=True)

    page.click("section[data-facet=site] a:text-is('jinan-gov')")
    assert page.inner_text("#total") == "1"
    assert "site=jinan-gov" in page.url
    page.click("#hits a.title")
    assert page.inner_text("#doc-title") == "市政府召开政务公开工作推进会"
    assert "新闻中心 / 工作动态" in page.inner_text("#metadata")


def test_script_in_harvested_page_does_not_run(page, ui_world):
    server, dataset = ui_world
    page.goto(server.url + "/?q=" + quote("食品安全"))
    assert SCRIPT_TITLE in page.inner_text("#hits")  # shown as text
    _no_script_ran(page)
    page.goto(f"{server.url}/ui/documents/{dataset.id('n19')}")
    assert page.inner_text("#doc-title") == SCRIPT_TITLE
    assert "<script>document.title='PWNED'" in page.inner_text("#body")
    assert page.locator("#body img").count() == 0 and page.locator("#body script").count() == 0
    _no_script_ran(page)
    csp = page.request.get(f"{server.url}/ui/documents/{dataset.id('n19')}").headers[
        "content-security-policy"
    ]
    assert "default-src 'none'" in csp and "script-src" not in csp


def test_document_page_citations_and_versions(page, ui_world):
    server, dataset = ui_world
    page.goto(f"{server.url}/ui/documents/{dataset.id('n14')}")
    cites = page.inner_text("#cites")
    assert "国办发〔2014〕12号" in cites and "not held" in cites and "鲁政办发〔2014〕22号" in cites
    assert "济政办发〔2014〕16号" in page.inner_text("#cited-by")
    page.click("#cites a:text-is('国办发〔2014〕12号')")
    assert page.inner_text("#lookup-status") == "not_found"
    assert page.locator("#cited-not-held").is_visible()
    assert page.inner_text("#cited-by-total") == "(2)" and page.locator("#cited-by li").count() == 2

    page.goto(f"{server.url}/ui/documents/{dataset.id('changed')}")
    rows = page.locator("#versions tr")
    assert rows.count() == 3  # header + 2 versions


def test_doc_number_page_series_with_gaps(page, ui_world):
    server, _ = ui_world
    page.goto(server.url + "/ui/doc-numbers")
    page.fill("#number", "济政办发[2014]16号")
    page.click("form.lookup button")
    assert page.inner_text("#lookup-status") == "found"
    assert "3 gaps" in page.inner_text("#series-summary").replace("\n", " ")
    assert page.inner_text("#gaps").endswith("15, 17, 18")
    assert "cited, not held" in page.inner_text("#series")


def test_batch_lookup(page, ui_world):
    server, _ = ui_world
    page.goto(server.url + "/ui/doc-numbers")
    page.fill("#numbers", "济政办发（2014）第14号\n国办发〔2014〕12号\n济政办发〔2013〕5号\n乱码\n")
    page.click("#batch-submit")
    statuses = page.locator(".batch-status").all_inner_texts()
    assert statuses == ["found", "not_found", "withdrawn", "invalid"]
    assert "found: 1" in page.inner_text("#batch-counts")


def test_coverage_heat_map_and_veto(page, ui_world):
    server, _ = ui_world
    page.goto(f"{server.url}/ui/coverage?as_of={AS_OF.isoformat()}")
    assert page.locator("#heatmap td.status-blank").count() == 5
    assert page.locator("#heatmap td.status-stale").count() == 3
    assert page.locator("#heatmap td.status-ok").count() == 5
    verdict = page.locator("#verdicts tr[data-site=jinan-gov] .verdict").inner_text()
    assert "VETO" in verdict
    assert page.locator("#verdicts tr[data-site=jinan-edu] .verdict").inner_text() == "pass"
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert page.locator("#heatmap").is_visible()
    interpretation = page.locator('#kinds tr[data-path="政策解读"]')
    assert interpretation.locator(".kind").inner_text() == "other"
    assert "rule interpretation: ‘解读’ in the name 政策解读" in interpretation.locator(".rule").inner_text()
    unknown = page.locator('#kinds tr[data-path="重点领域信息公开/矿业权出让公告"] .rule')
    assert unknown.inner_text() == "no rule matched → other"
    cell_title = page.locator('#heatmap td[title^="政府信息公开/人事信息"]').get_attribute("title")
    assert "(rule personnel_planning: ‘人事’ in the name 人事信息 → personnel_planning)" in cell_title
