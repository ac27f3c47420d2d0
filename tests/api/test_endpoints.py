"""Every endpoint against a real backend (embedded and Elasticsearch) filled with tests/api/dataset.py."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote
from xml.etree import ElementTree as ET

from openpyxl import load_workbook

from tests.api.dataset import AS_OF, ORIGINAL_HTML, SCRIPT_TITLE


def enc(number: str) -> str:
    return quote(number, safe="")


# /search ---------------------------------------------------------------------------------------------


def test_search_text_with_facets_and_snippets(client, dataset):
    response = client.get("/search", params={"q": "空气质量", "include": "facets", "size": 10})
    assert response.status_code == 200
    body = response.json()
    assert body["matched"] == "text" and body["doc_number"] is None
    # 25 reports plus the news item that mentions 空气质量
    assert body["total"] == 26 and body["pages"] == 3 and len(body["results"]) == 10
    assert all(hit["record"]["body_text"] is None for hit in body["results"])
    sites = {b["value"]: b["count"] for b in body["facets"]["site"]}
    assert sites == {"jinan-edu": 25, "jinan-gov": 1}
    assert any("<mark>" in s for hit in body["results"] for s in hit["snippets"])


def test_search_facets_only_with_include(client):
    body = client.get("/search", params={"q": "空气质量"}).json()
    assert body["facets"] is None


def test_search_include_body(client, dataset):
    body = client.get("/search", params={"q": "普通高考", "include": "body"}).json()
    assert body["results"][0]["record"]["body_text"].startswith("普通高考报名工作")


def test_search_include_attachments_text(client, dataset):
    plain = client.get("/search", params={"q": "食品安全"}).json()["results"][0]["record"]
    full = client.get("/search", params={"q": "食品安全", "include": ["attachments_text", "body"]}).json()
    record = full["results"][0]["record"]
    assert plain["attachments"][0]["text"] is None and plain["body_text"] is None
    assert record["attachments"][0]["text"] == "检查表" and "专项检查" in record["body_text"]
    assert full["query"]["include"] == ["attachments_text", "body"]


def test_openapi_has_readable_unique_operation_ids(client):
    operations = [op for path in client.get("/openapi.json").json()["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids)) and {"search", "get_document", "get_doc_number", "batch"} <= set(ids)


def test_search_filters_site_and_dates(client):
    params = {
        "q": "空气质量",
        "site": "jinan-edu",
        "published_from": "2021-01-01",
        "published_to": "2021-12-31",
        "size": 100,
    }
    body = client.get("/search", params=params).json()
    dates = [hit["record"]["published_date"] for hit in body["results"]]
    assert body["total"] == 5 and all(d.startswith("2021") for d in dates)


def test_search_multi_valued_filters_and_has_doc_number(client):
    both = client.get(
        "/search",
        params=[("site", "jinan-edu"), ("site", "jinan-gov"), ("has_doc_number", "true"), ("size", 100)],
    ).json()
    numbers = {hit["record"]["doc_number"] for hit in both["results"]}
    assert None not in numbers and "济教发〔2015〕3号" in numbers and "济政办发〔2014〕14号" in numbers
    without = client.get("/search", params={"has_doc_number": "false", "size": 100}).json()
    assert all(hit["record"]["doc_number"] is None for hit in without["results"]) and without["total"] == 27


def test_search_issuer_and_column_filters(client):
    joint = client.get("/search", params={"issuer": "济南市财政局"}).json()
    assert [hit["record"]["doc_number"] for hit in joint["results"]] == ["济教发〔2015〕3号"]
    column = client.get("/search", params={"column": "政府信息公开/法定主动公开内容", "size": 100}).json()
    assert column["total"] == 5  # 14, 16, 19, 鲁22, withdrawn


def test_search_status_filter(client, dataset):
    body = client.get("/search", params={"status": "withdrawn"}).json()
    assert [hit["record"]["id"] for hit in body["results"]] == [dataset.id("withdrawn")]


def test_search_sort_by_published_date(client):
    body = client.get("/search", params={"q": "空气质量", "sort": "published_date", "size": 30}).json()
    dates = [hit["record"]["published_date"] for hit in body["results"]]
    assert dates == sorted(dates, reverse=True)


def test_search_phrase_and_exclusion(client):
    phrase = client.get("/search", params={"q": '"依申请公开"', "size": 50}).json()
    excluded = client.get("/search", params={"q": '"依申请公开" -指南', "size": 50}).json()
    assert phrase["total"] == 2 and excluded["total"] == 1


def test_search_doc_number_any_spelling_goes_to_exact_lookup(client, dataset):
    for spelling in (
        "济政办发〔2014〕14号",
        "济政办发[2014]14号",
        "济政办发（2014）第14号",
        " 济政办发 (2014) 14 号",
    ):
        body = client.get("/search", params={"q": spelling}).json()
        assert body["matched"] == "doc_number", spelling
        assert body["doc_number"]["canonical"] == "济政办发〔2014〕14号"
        assert [hit["record"]["id"] for hit in body["results"]] == [dataset.id("n14")]


def test_search_doc_number_not_held_falls_back_to_text(client, dataset):
    body = client.get("/search", params={"q": "国办发〔2014〕12号"}).json()
    assert body["matched"] == "text" and body["doc_number"]["canonical"] == "国办发〔2014〕12号"
    assert {hit["record"]["id"] for hit in body["results"]} >= {dataset.id("n19")}


def test_search_bad_syntax_is_400_with_message(client):
    response = client.get("/search", params={"q": "空气 OR -质量"})
    assert response.status_code == 400 and "cannot parse the query" in response.json()["detail"]
    punctuation = client.get("/search", params={"q": "？？！"})
    assert punctuation.status_code == 400
    deep = client.get("/search", params={"q": "空气质量", "page": 1000, "size": 100})
    assert deep.status_code == 400 and "too deep" in deep.json()["detail"]


def test_search_size_cap_and_validation(client):
    assert client.get("/search", params={"size": 101}).status_code == 422
    assert client.get("/search", params={"written_from": "not-a-date"}).status_code == 422


def test_search_pagination_is_consistent(client):
    first = client.get("/search", params={"q": "空气质量", "size": 10, "sort": "published_date"}).json()
    second = client.get(
        "/search", params={"q": "空气质量", "size": 10, "page": 2, "sort": "published_date"}
    ).json()
    ids_first = {hit["record"]["id"] for hit in first["results"]}
    ids_second = {hit["record"]["id"] for hit in second["results"]}
    assert len(ids_second) == 10 and not ids_first & ids_second


# /documents --------------------------------------------------------------------------------------------


def test_document_detail_with_versions_provenance_and_citations(client, dataset):
    body = client.get(f"/documents/{dataset.id('n14')}").json()
    assert body["record"]["doc_number"] == "济政办发〔2014〕14号"
    assert body["provenance"]["warc"]["file"].endswith(".warc.gz")
    assert body["provenance"]["original_link"] == f"/documents/{dataset.id('n14')}/original"
    cites = {c["canonical"]: c["held_by"] for c in body["cites"]}
    assert cites == {"国办发〔2014〕12号": [], "鲁政办发〔2014〕22号": [dataset.id("lu22")]}
    assert [r["id"] for r in body["cited_by"]] == [dataset.id("n16")]


def test_document_versions_from_catalogue(client, dataset):
    body = client.get(f"/documents/{dataset.id('changed')}").json()
    versions = [(v["version"], v["status"]) for v in body["versions"]]
    assert versions == [(1, "active"), (2, "changed")]
    assert body["versions"][0]["content_sha256"] != body["versions"][1]["content_sha256"]


def test_unknown_document_is_404(client):
    response = client.get("/documents/0000000000000000dead")
    assert response.status_code == 404 and "no document" in response.json()["detail"]
    assert client.get("/documents/0000000000000000dead/original").status_code == 404


def test_original_is_served_sandboxed(client, dataset):
    response = client.get(f"/documents/{dataset.id('n14')}/original")
    assert response.status_code == 200
    assert response.content == ORIGINAL_HTML.encode("utf-8")
    assert response.headers["content-security-policy"] == "sandbox; default-src 'none'"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith("attachment")
    as_text = client.get(f"/documents/{dataset.id('n14')}/original", params={"view": "text"})
    assert as_text.headers["content-type"].startswith("text/plain")
    assert "<script>" in as_text.text and as_text.headers["content-security-policy"].startswith("sandbox")


def test_original_missing_archive_is_404(client, dataset):
    response = client.get(f"/documents/{dataset.id('news')}/original")
    assert response.status_code == 404 and "no archived original" in response.json()["detail"]


# /doc-numbers -----------------------------------------------------------------------------------------


def test_doc_number_any_spelling_with_series_and_gaps(client, dataset):
    body = client.get(f"/doc-numbers/{enc('济政办发（2014）第16号')}").json()
    assert body["number"]["canonical"] == "济政办发〔2014〕16号" and body["status"] == "found"
    assert [r["id"] for r in body["held"]] == [dataset.id("n16")]
    series = body["series"]
    assert series["numbers"] is None  # the default answer states runs, not numbers
    assert [(r["state"], r["first"], r["last"]) for r in series["runs"]] == [
        ("held", 14, 14),
        ("missing", 15, 15),
        ("held", 16, 16),
        ("missing", 17, 17),
        ("cited_not_held", 18, 18),
        ("held", 19, 19),
    ]
    assert (series["gap_count"], series["cited_not_held_count"], series["held_count"]) == (3, 1, 3)
    assert (series["min_serial"], series["max_serial"], series["numbers_total"]) == (14, 19, 4)


def test_doc_number_series_numbers_on_request_in_pages(client):
    path = f"/doc-numbers/{enc('济政办发〔2014〕16号')}"
    whole = client.get(path, params={"series_numbers": "true"}).json()["series"]
    assert [e["serial"] for e in whole["numbers"]] == [14, 16, 18, 19]
    assert [e["serial"] for e in whole["numbers"] if e["held"]] == [14, 16, 19]
    page = client.get(path, params={"series_numbers": "true", "series_offset": 1, "series_limit": 2}).json()
    assert [e["serial"] for e in page["series"]["numbers"]] == [16, 18]
    assert page["series"]["numbers_offset"] == 1
    capped = client.get(path, params={"series_runs": 2}).json()["series"]
    assert len(capped["runs"]) == 2 and capped["runs_total"] == 6


def test_doc_number_cited_but_not_held(client, dataset):
    body = client.get(f"/doc-numbers/{enc('国办发[2014]12号')}").json()
    assert body["status"] == "not_found" and body["cited_but_not_held"] is True
    assert {r["id"] for r in body["cited_by"]} == {dataset.id("n14"), dataset.id("n19")}


def test_doc_number_citing_documents_come_in_pages_with_a_total(client):
    path = f"/doc-numbers/{enc('国办发〔2014〕12号')}"
    whole = client.get(path).json()
    assert whole["cited_by_total"] == 2 and len(whole["cited_by"]) == 2
    first = client.get(path, params={"series": "false", "cited_limit": 1}).json()
    second = client.get(path, params={"series": "false", "cited_limit": 1, "cited_offset": 1}).json()
    assert (first["cited_by_total"], second["cited_by_total"]) == (2, 2)
    assert [r["id"] for r in first["cited_by"] + second["cited_by"]] == [r["id"] for r in whole["cited_by"]]
    # a page short of the whole list: the series view still reads every citing record
    counted = client.get(path, params={"cited_limit": 0}).json()
    assert counted["cited_by"] == [] and counted["cited_but_not_held"] is True
    cited_runs = [(r["first"], r["last"]) for r in whole["series"]["runs"] if r["state"] == "cited_not_held"]
    assert cited_runs == [(12, 12)] and counted["series"]["runs"] == whole["series"]["runs"]
    assert client.get(path, params={"cited_limit": 101}).status_code == 422


def test_doc_number_withdrawn(client):
    body = client.get(f"/doc-numbers/{enc('济政办发〔2013〕5号')}").json()
    assert body["status"] == "withdrawn" and body["series"]["runs"][0]["state"] == "withdrawn"


def test_doc_number_invalid_is_400(client):
    response = client.get("/doc-numbers/hello")
    assert response.status_code == 400 and "not a document number" in response.json()["detail"]


def test_batch_text_json_form_and_csv(client, dataset):
    pasted = "济政办发[2014]14号\n\n国办发〔2014〕12号\n济政办发（2013）5号\n随便写的\n济教发〔2015〕第3号\n"
    text = client.post("/doc-numbers/batch", content=pasted.encode(), headers={"Content-Type": "text/plain"})
    assert text.status_code == 200
    lines = text.json()["lines"]
    assert [(row["line"], row["status"]) for row in lines] == [
        (1, "found"),
        (2, "not_found"),
        (3, "withdrawn"),
        (4, "invalid"),
        (5, "found"),
    ]
    assert lines[0]["canonical"] == "济政办发〔2014〕14号" and lines[0]["documents"][0]["id"] == dataset.id(
        "n14"
    )
    assert text.json()["counts"] == {"found": 2, "not_found": 1, "withdrawn": 1, "invalid": 1}

    as_json = client.post("/doc-numbers/batch", json={"numbers": ["济政办发〔2014〕16号", "x"]}).json()
    assert [row["status"] for row in as_json["lines"]] == ["found", "invalid"]
    as_form = client.post("/doc-numbers/batch", data={"numbers": "鲁政办发〔2014〕22号"}).json()
    assert as_form["lines"][0]["status"] == "found"

    as_csv = client.post("/doc-numbers/batch?format=csv", content=pasted.encode())
    assert as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    assert [r["status"] for r in rows] == ["found", "not_found", "withdrawn", "invalid", "found"]
    accept_csv = client.post("/doc-numbers/batch", content=pasted.encode(), headers={"Accept": "text/csv"})
    assert accept_csv.headers["content-type"].startswith("text/csv")


def test_batch_bad_bodies_are_400(client):
    assert client.post("/doc-numbers/batch", json={"numbers": "not a list"}).status_code == 400
    bad_json = client.post("/doc-numbers/batch", content=b"{", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    too_many = "\n".join(f"济政办发〔2014〕{i}号" for i in range(1, 1100))
    assert client.post("/doc-numbers/batch", content=too_many.encode()).status_code == 413


# /coverage and /sites ----------------------------------------------------------------------------------


def test_coverage_statuses_and_veto(client):
    body = client.get("/coverage", params={"as_of": AS_OF.isoformat()}).json()
    sites = {s["site"]: s for s in body["sites"]}
    gov = sites["jinan-gov"]["audit"]
    statuses = {"/".join(c["path"]): c["status"] for c in gov["columns"] if c["is_leaf"]}
    assert statuses["新闻中心/工作动态"] == "ok"
    assert statuses["通知公告"] == "stale"
    assert statuses["政府信息公开/人事信息"] == "stale"
    assert statuses["政府信息公开/规划计划"] == "blank"
    assert statuses["政策解读"] == "stale"  # undated items never make a column fresh
    rules = {r["rule"]: r for r in gov["rules"]}
    assert rules["blank_columns"]["count"] == 5 and rules["blank_columns"]["veto"] is True
    assert gov["veto"] is True
    edu = sites["jinan-edu"]["audit"]
    assert edu["veto"] is False and edu["counts"] == {"ok": 3, "blank": 0, "stale": 0}


def test_coverage_says_which_kind_rule_applied(client):
    body = client.get("/coverage", params={"as_of": AS_OF.isoformat(), "site": "jinan-gov"}).json()
    columns = {"/".join(c["path"]): c for c in body["sites"][0]["audit"]["columns"]}
    policy = columns["政府信息公开/法定主动公开内容/政策文件"]
    assert policy["kind"] == "notice_policy"
    assert policy["kind_rule"] == "rule notice_policy: ‘政策文件’ in the name 政策文件 → notice_policy"
    assert columns["政策解读"]["kind"] == "other"
    assert columns["政策解读"]["kind_rule"].startswith("rule interpretation: ‘解读’")
    # a topic column's own announcements are not a 通知公告 column
    assert columns["重点领域信息公开/矿业权出让公告"]["kind"] == "other"
    assert columns["重点领域信息公开/矿业权出让公告"]["kind_rule"] == "no rule matched → other"
    csv_rows = csv.DictReader(
        io.StringIO(
            client.get("/coverage", params={"as_of": AS_OF.isoformat(), "format": "csv"}).content.decode(
                "utf-8-sig"
            )
        )
    )
    # kind_rule came after the others: readers of the earlier columns by position still read the same ones
    assert csv_rows.fieldnames == [
        "site", "column_path", "kind", "leaf", "item_count", "newest_item_date", "age_days", "status", "reason",
        "site_veto", "as_of", "kind_rule",
    ]  # fmt: skip
    rules = {r["column_path"]: r["kind_rule"] for r in csv_rows if r["site"] == "jinan-gov"}
    assert rules["新闻中心/工作动态"] == "rule news: ‘动态’ in the name 工作动态 → news"


def test_coverage_completeness_and_bursts(client):
    body = client.get("/coverage", params={"as_of": AS_OF.isoformat()}).json()
    sites = {s["site"]: s for s in body["sites"]}
    edu = sites["jinan-edu"]
    assert edu["completeness"]["records"] == 26
    assert edu["completeness"]["doc_number_share"] == round(1 / 26, 4)
    assert [(b["day"], b["records"], b["old_records"]) for b in edu["bursts"]] == [("2026-11-25", 25, 25)]
    assert sites["jinan-gov"]["bursts"] == []


def test_coverage_site_filter_as_of_and_thresholds(client):
    later = client.get("/coverage", params={"site": "jinan-edu", "as_of": "2026-12-31"}).json()
    assert [s["site"] for s in later["sites"]] == ["jinan-edu"]
    statuses = {c["name"]: c["status"] for c in later["sites"][0]["audit"]["columns"]}
    assert statuses["工作动态"] == "stale"
    relaxed = client.get(
        "/coverage", params={"site": "jinan-edu", "as_of": "2026-12-31", "news_days": 60}
    ).json()
    assert {c["name"]: c["status"] for c in relaxed["sites"][0]["audit"]["columns"]}["工作动态"] == "ok"


def test_coverage_csv(client):
    response = client.get("/coverage", params={"as_of": AS_OF.isoformat(), "format": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    blank = [r for r in rows if r["site"] == "jinan-gov" and r["status"] == "blank"]
    assert len(blank) == 5 and all(r["site_veto"] == "1" for r in blank)


def test_sites_health(client):
    body = client.get("/sites").json()
    health = {s["id"]: (s["health"], s["records"]) for s in body}
    assert health == {"jinan-edu": ("failed", 26), "jinan-gov": ("ok", 7)}


# exports and feeds ------------------------------------------------------------------------------------


def test_export_csv_with_provenance(client, dataset):
    response = client.get("/export.csv", params={"q": "空气质量", "site": "jinan-edu"})
    assert response.status_code == 200 and response.headers["x-total-count"] == "25"
    assert response.headers["x-export-truncated"] == "false"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 25
    assert all(r["query"] == "空气质量" and r["exported_at"] and r["url"].startswith("http") for r in rows)


def test_export_jsonl_and_cap(client, dataset):
    response = client.get("/export.jsonl", params={"q": "空气质量", "limit": 7})
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert len(lines) == 7 and response.headers["x-export-truncated"] == "true"
    with_archive = client.get("/export.jsonl", params={"q": "食品安全"}).text.splitlines()
    row = json.loads(with_archive[0])
    assert row["id"] == dataset.id("n19") and row["warc_file"].endswith(".warc.gz") and row["warc_offset"] > 0


def test_export_xlsx_and_generic(client):
    response = client.get("/search/export", params={"q": "空气质量", "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(workbook["results"].iter_rows(values_only=True))
    assert rows[0][0] == "id" and len(rows) == 27
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["query"] == "空气质量" and about["truncated"] == "no"


def test_export_neutralises_formulas(client, dataset):
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/export.csv", params={"q": "=cmd", "limit": 5}).content.decode("utf-8-sig")
            )
        )
    )
    assert all(not r["query"].startswith("=") for r in rows)


def test_atom_feed_is_valid_and_newest_first(client):
    response = client.get("/feeds/search.atom", params={"q": "空气质量", "entries": 10})
    assert response.headers["content-type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(response.content)
    assert root.find("a:id", ns).text and root.find("a:updated", ns).text
    entries = root.findall("a:entry", ns)
    assert len(entries) == 10
    for entry in entries:
        assert entry.find("a:id", ns).text.startswith("urn:gongkai:record:")
        assert entry.find("a:title", ns).text and entry.find("a:summary", ns).text
        assert entry.find("a:link[@rel='alternate']", ns).get("href").startswith("http")
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_feed_escapes_script_title(client):
    response = client.get("/feeds/search.atom", params={"q": "食品安全"})
    assert b"<script>" not in response.content and b"&lt;script&gt;" in response.content
    titles = [e.text for e in ET.fromstring(response.content).iter("{http://www.w3.org/2005/Atom}title")]
    assert SCRIPT_TITLE in titles


# admin and errors -------------------------------------------------------------------------------------


def test_admin_disabled_without_key(client):
    response = client.post("/admin/reindex")
    assert response.status_code == 403 and "GONGKAI_API_KEY" in response.json()["detail"]


def test_security_headers_on_json(client):
    response = client.get("/sites")
    assert response.headers["x-content-type-options"] == "nosniff"
