"""One behaviour suite, run unchanged against the embedded backend and a real Elasticsearch.

Expected results come from a brute-force scan of the fixture records (an oracle written here, independent of
the analysis code), so the suite checks correctness, not just agreement between backends.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import date

import pytest

from indexer.backends.base import (
    BackendUnavailable,
    DateRange,
    QuerySyntaxError,
    SearchBackend,
    SearchFilters,
    SearchRequest,
    SortOrder,
)
from indexer.backends.document import date_sort_key
from indexer.schema import DisclosureRecord, RecordStatus, text_from_ocr
from tests.index.corpus import build_corpus, edge_records

CORPUS = build_corpus(320, seed=11) + edge_records()
BY_ID = {record.id: record for record in CORPUS}


# --- oracle ------------------------------------------------------------------------------------------------

_FULLWIDTH = {
    code: code - 0xFEE0
    for low, high in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(low, high + 1)
}


def _norm(text: str) -> str:
    return text.translate(_FULLWIDTH).lower()


def occurs(term: str, text: str) -> bool:
    """Substring match; letter/digit ends of the term must not continue into more letters/digits."""
    term = " ".join(_norm(term).split())
    pattern = r"\s+".join(re.escape(part) for part in term.split(" "))
    if re.match(r"[0-9a-z]", term):
        pattern = r"(?<![0-9a-z])" + pattern
    if re.search(r"[0-9a-z]$", term):
        pattern += r"(?![0-9a-z])"
    return re.search(pattern, _norm(text)) is not None


def fields_of(record: DisclosureRecord) -> list[str]:
    return [record.title, record.body_text, *[a.text for a in record.attachments if a.text]]


def has(record: DisclosureRecord, term: str) -> bool:
    return any(occurs(term, field) for field in fields_of(record))


def truth(predicate: Callable[[DisclosureRecord], bool]) -> set[str]:
    return {record.id for record in CORPUS if predicate(record)}


# --- backends ----------------------------------------------------------------------------------------------


def _make_backend(kind: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    if kind == "embedded":
        from indexer.backends.embedded import EmbeddedBackend

        backend = EmbeddedBackend(tmp_path_factory.mktemp("index"))
        return backend, backend.close
    from indexer.backends.elastic import ElasticsearchBackend

    es_url = request.getfixturevalue("es_url")
    backend = ElasticsearchBackend(es_url, f"test-{uuid.uuid4().hex[:12]}")

    def cleanup() -> None:
        backend.drop()
        backend.close()

    return backend, cleanup


BACKENDS = [
    pytest.param("embedded", id="embedded"),
    pytest.param("elasticsearch", id="elasticsearch", marks=pytest.mark.elasticsearch),
]


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """A backend holding the whole corpus; tests using it must not write."""
    backend, cleanup = _make_backend(request.param, request, tmp_path_factory)
    backend.upsert(CORPUS)
    backend.refresh()
    yield backend
    cleanup()


@pytest.fixture(params=BACKENDS)
def fresh(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchBackend]:
    """An empty backend of its own, for tests that write."""
    backend, cleanup = _make_backend(request.param, request, tmp_path_factory)
    yield backend
    cleanup()


def all_hits(backend: SearchBackend, **kwargs: object) -> list[str]:
    """Every hit id of a query, paging through the results."""
    ids: list[str] = []
    page = 1
    while True:
        response = backend.search(SearchRequest(page=page, size=100, facets=[], highlight=False, **kwargs))
        ids.extend(hit.record.id for hit in response.hits)
        if len(response.hits) < 100:
            assert response.total == len(ids)
            return ids
        page += 1


def assert_hits(backend: SearchBackend, expected: set[str], **kwargs: object) -> None:
    ids = all_hits(backend, **kwargs)
    assert len(ids) == len(set(ids)), "a record was returned twice"
    missing = [BY_ID[i].title for i in expected - set(ids)][:3]
    extra = [BY_ID[i].title for i in set(ids) - expected][:3]
    assert set(ids) == expected, f"missing {missing} extra {extra}"


# --- matching ----------------------------------------------------------------------------------------------

WORDS = [
    "环境",
    "采购",
    "住房",
    "处罚",
    "生态环境保护",
    "保障性住房",
    "政府信息公开",
    "政府信息公开指南",
    "政府信息公开年报",
    "行政许可",
    "中华人民共和国政府信息公开条例",
    "2020年",
    "年度",
    "3号",
    "gb/t",
    "ｇｂ／ｔ",
    "9704",
    "v2",
    "申请表填表说明",
    "鑫",
    "年",
    "中国人民",
    "中国，人民",
    "２０２０年",
    "<script>",
]


@pytest.mark.parametrize("word", WORDS)
def test_a_word_finds_exactly_the_records_containing_it(loaded: SearchBackend, word: str) -> None:
    expected = truth(lambda r: has(r, word))
    assert_hits(loaded, expected, q=word)


# three characters (a phrase of two bigrams): inside longer runs, whole runs of three (联系人), once (公开年),
# nowhere (中国人, 鑫鑫鑫)
THREE_CHARACTER_WORDS = [
    "性住房",
    "信息公",
    "生态环",
    "济南市",
    "行政许",
    "联系人",
    "公开年",
    "中国人",
    "鑫鑫鑫",
]


@pytest.mark.parametrize("word", THREE_CHARACTER_WORDS)
def test_a_three_character_word_finds_exactly_the_records_containing_it(
    loaded: SearchBackend, word: str
) -> None:
    assert_hits(loaded, truth(lambda r: has(r, word)), q=word)


def test_words_are_exact_substrings_not_loose_bigram_sets(loaded: SearchBackend) -> None:
    # 中国，人民 contains the bigrams of 中国 and 人民 but not 中国人民
    edge_id = edge_records()[0].id
    assert edge_id not in all_hits(loaded, q="中国人民")
    assert edge_id in all_hits(loaded, q="中国，人民")
    assert edge_id in all_hits(loaded, q='"中国，人民"')
    # 20年 is not in 2020年: digit runs are whole words
    assert edge_records()[2].id not in all_hits(loaded, q="20年")


@pytest.mark.parametrize(
    ("query", "predicate"),
    [
        ("环境 采购", lambda r: has(r, "环境") and has(r, "采购")),
        ("济南 保障性住房 通知", lambda r: has(r, "济南") and has(r, "保障性住房") and has(r, "通知")),
        ('"优化营商环境"', lambda r: has(r, "优化营商环境")),
        ('"GB/T 9704"', lambda r: has(r, "GB/T 9704")),
        ("环境 -济南", lambda r: has(r, "环境") and not has(r, "济南")),
        ("环境 -鑫鑫鑫鑫", lambda r: has(r, "环境")),  # excluding a word no record holds excludes nothing
        ("环境 OR 鑫鑫鑫鑫", lambda r: has(r, "环境")),
        ('环境 -"生态环境保护"', lambda r: has(r, "环境") and not has(r, "生态环境保护")),
        ("行政许可 OR 行政处罚", lambda r: has(r, "行政许可") or has(r, "行政处罚")),
        (
            "通知 行政许可 OR 食品安全 -青岛",
            lambda r: has(r, "通知") and (has(r, "行政许可") or has(r, "食品安全")) and not has(r, "青岛"),
        ),
        ("-环境", lambda r: not has(r, "环境")),
        ("", lambda r: True),
    ],
)
def test_query_language(
    loaded: SearchBackend, query: str, predicate: Callable[[DisclosureRecord], bool]
) -> None:
    assert_hits(loaded, truth(predicate), q=query)


@pytest.mark.parametrize(
    "query", ['"', "-", "OR", "OR 环境 OR", "，。！", "\x00\x07", '环境 "未闭合的引号', "a" * 900]
)
def test_hostile_queries_answer_or_raise_query_syntax_error(loaded: SearchBackend, query: str) -> None:
    try:
        response = loaded.search(SearchRequest(q=query, size=5))
    except QuerySyntaxError as error:
        assert str(error)
    else:
        assert response.total >= 0


def test_overlong_and_oversized_queries_are_rejected_clearly(loaded: SearchBackend) -> None:
    with pytest.raises(QuerySyntaxError, match="too long"):
        loaded.search(SearchRequest(q="环境" * 5000))
    with pytest.raises(QuerySyntaxError, match="too many terms"):
        loaded.search(SearchRequest(q=" ".join(f"词{i}" for i in range(200))))
    with pytest.raises(QuerySyntaxError, match="too deep"):
        loaded.search(SearchRequest(q="环境", page=200, size=100))
    with pytest.raises(QuerySyntaxError, match="unknown facet"):
        loaded.search(SearchRequest(q="环境", facets=["colour"]))


# --- filters -----------------------------------------------------------------------------------------------


def _issuers(record: DisclosureRecord) -> list[str]:
    return record.issuer.split("、") if record.issuer else []


def _doc_parts(record: DisclosureRecord) -> tuple[str | None, int | None]:
    if not record.doc_number:
        return None, None
    match = re.fullmatch(r"(.+)〔(\d{4})〕(\d+)号", record.doc_number)
    assert match, record.doc_number
    return match.group(1), int(match.group(2))


FILTER_CASES = [
    ("site", SearchFilters(site=["qingdao-gov"]), lambda r: r.site == "qingdao-gov"),
    (
        "sites",
        SearchFilters(site=["qingdao-gov", "edge-site"]),
        lambda r: r.site in {"qingdao-gov", "edge-site"},
    ),
    ("issuer", SearchFilters(issuer=["济南市生态环境局"]), lambda r: "济南市生态环境局" in _issuers(r)),
    ("joint issuer", SearchFilters(issuer=["测试市教育局"]), lambda r: "测试市教育局" in _issuers(r)),
    (
        "parent column",
        SearchFilters(column=["政府信息公开/法定主动公开内容"]),
        lambda r: r.column[:2] == ["政府信息公开", "法定主动公开内容"],
    ),
    ("top column", SearchFilters(column=["政府信息公开"]), lambda r: r.column[:1] == ["政府信息公开"]),
    (
        "leaf column",
        SearchFilters(column=[" 政府信息公开 / 法定主动公开内容/财政信息/预算决算 "]),
        lambda r: r.column == ["政府信息公开", "法定主动公开内容", "财政信息", "预算决算"],
    ),
    ("root column name", SearchFilters(column=["通知公告"]), lambda r: r.column[:1] == ["通知公告"]),
    ("category", SearchFilters(category=["环境保护"]), lambda r: r.category == "环境保护"),
    ("doc year", SearchFilters(doc_year=[2019, 2021]), lambda r: _doc_parts(r)[1] in {2019, 2021}),
    ("issuer code", SearchFilters(issuer_code=["济环发"]), lambda r: _doc_parts(r)[0] == "济环发"),
    ("has doc number", SearchFilters(has_doc_number=True), lambda r: r.doc_number is not None),
    ("no doc number", SearchFilters(has_doc_number=False), lambda r: r.doc_number is None),
    ("text read by OCR", SearchFilters(ocr=True), text_from_ocr),
    ("no OCR", SearchFilters(ocr=False), lambda r: not text_from_ocr(r)),
    ("status", SearchFilters(status=[RecordStatus.withdrawn]), lambda r: r.status is RecordStatus.withdrawn),
    (
        "published range",
        SearchFilters(published_date=DateRange(gte=date(2018, 1, 1), lte=date(2019, 6, 30))),
        lambda r: r.published_date is not None and date(2018, 1, 1) <= r.published_date <= date(2019, 6, 30),
    ),
    (
        # records without a published date but written in 2020 are in the index's 2020 year facet; they must
        # not match, nor must those published in 2020 but written in another year be missed
        "published in one whole year",
        SearchFilters(published_date=DateRange(gte=date(2020, 1, 1), lte=date(2020, 12, 31))),
        lambda r: r.published_date is not None and r.published_date.year == 2020,
    ),
    (
        "published since",
        SearchFilters(published_date=DateRange(gte=date(2023, 6, 1))),
        lambda r: r.published_date is not None and r.published_date >= date(2023, 6, 1),
    ),
    (
        "unbounded-looking range",
        SearchFilters(published_date=DateRange(gte=date(1, 1, 1), lte=date(9999, 12, 31))),
        lambda r: r.published_date is not None,
    ),
    (
        # holds records written in December 2022 and published in January 2023, and some never published
        "written in one whole year",
        SearchFilters(written_date=DateRange(gte=date(2022, 1, 1), lte=date(2022, 12, 31))),
        lambda r: r.written_date is not None and r.written_date.year == 2022,
    ),
    (
        "written since",
        SearchFilters(written_date=DateRange(gte=date(2024, 3, 1))),
        lambda r: r.written_date is not None and r.written_date >= date(2024, 3, 1),
    ),
    (
        "combined",
        SearchFilters(site=["jinan-gov"], category=["环境保护", "教育"], has_doc_number=True),
        lambda r: r.site == "jinan-gov" and r.category in {"环境保护", "教育"} and r.doc_number is not None,
    ),
]


@pytest.mark.parametrize(("name", "filters", "predicate"), FILTER_CASES, ids=[c[0] for c in FILTER_CASES])
def test_filters(loaded: SearchBackend, name: str, filters: SearchFilters, predicate) -> None:
    expected = truth(predicate)
    assert expected, f"fixture has no record for filter {name}"
    assert_hits(loaded, expected, filters=filters)
    assert_hits(loaded, truth(lambda r: predicate(r) and has(r, "通知")), q="通知", filters=filters)


def test_a_leaf_name_alone_is_not_a_path_prefix(loaded: SearchBackend) -> None:
    assert all_hits(loaded, filters=SearchFilters(column=["政策文件"])) == []
    assert all_hits(loaded, filters=SearchFilters(column=["/"])) == []


# --- sorting, paging, facets -------------------------------------------------------------------------------


def _date_order(field: str) -> list[str]:
    return sorted(
        BY_ID, key=lambda record_id: date_sort_key(getattr(BY_ID[record_id], field), record_id), reverse=True
    )


@pytest.mark.parametrize("sort", [SortOrder.published_date, SortOrder.written_date])
def test_date_sort_is_deterministic_and_pages_are_slices(loaded: SearchBackend, sort: SortOrder) -> None:
    expected = _date_order(sort.value)
    assert all_hits(loaded, sort=sort) == expected
    page_two = loaded.search(SearchRequest(sort=sort, page=2, size=7, facets=[]))
    assert [hit.record.id for hit in page_two.hits] == expected[7:14]
    assert page_two.total == len(CORPUS)
    dated = (
        [BY_ID[i].published_date for i in expected if BY_ID[i].published_date]
        if sort.value == "published_date"
        else []
    )
    assert dated == sorted(dated, reverse=True)


def test_relevance_ranks_title_matches_first(loaded: SearchBackend) -> None:
    response = loaded.search(SearchRequest(q="保障性住房", size=5, facets=[]))
    assert response.total == len(truth(lambda r: has(r, "保障性住房")))
    assert all(hit.score is not None for hit in response.hits)
    assert "保障性住房" in response.hits[0].record.title


def test_size_zero_counts_without_hits(loaded: SearchBackend) -> None:
    response = loaded.search(SearchRequest(q="环境", size=0, facets=["site"]))
    assert response.hits == []
    assert response.total == len(truth(lambda r: has(r, "环境")))
    assert sum(bucket.count for bucket in response.facets["site"]) == response.total


def _facet_value(record: DisclosureRecord, name: str) -> list[str]:
    if name == "site":
        return [record.site]
    if name == "issuer":
        return _issuers(record)
    if name == "column":
        return ["/".join(record.column)] if record.column else []
    if name == "category":
        return [record.category] if record.category else []
    day = record.published_date or record.written_date
    return [str(day.year)] if day else []


@pytest.mark.parametrize("query", ["", "环境", "通知 -济南"])
def test_facets_count_the_matching_records(loaded: SearchBackend, query: str) -> None:
    names = ["site", "issuer", "column", "category", "year"]
    response = loaded.search(SearchRequest(q=query, size=0, facets=names))
    matching = [BY_ID[i] for i in all_hits(loaded, q=query)]
    for name in names:
        expected = Counter(value for record in matching for value in set(_facet_value(record, name)))
        buckets = response.facets[name]
        assert buckets, name
        for bucket in buckets:
            assert bucket.count == expected[bucket.value], (name, bucket.value)
        floor = buckets[-1].count
        assert {value for value, count in expected.items() if count > floor} <= {b.value for b in buckets}
        assert [b.count for b in buckets] == sorted((b.count for b in buckets), reverse=True)


# --- highlighting ------------------------------------------------------------------------------------------


def test_snippets_mark_the_terms_and_escape_html(loaded: SearchBackend) -> None:
    response = loaded.search(SearchRequest(q="<script> 符号", size=5))
    assert response.total == 1
    hit = response.hits[0]
    joined = " ".join(hit.snippets)
    assert "<mark>&lt;script&gt;</mark>" in joined
    assert "<mark>符号</mark>" in joined
    assert "<script>" not in joined
    assert hit.title_highlight is not None and "<b>" not in hit.title_highlight
    plain = loaded.search(SearchRequest(q="生态环境保护", size=3))
    for hit in plain.hits:
        assert any("<mark>生态环境保护</mark>" in snippet for snippet in hit.snippets) or "生态环境保护" in (
            hit.title_highlight or ""
        )


def test_attachment_text_is_searched_and_shown(loaded: SearchBackend) -> None:
    response = loaded.search(SearchRequest(q="申请表填表说明"))
    assert [hit.record.id for hit in response.hits] == [edge_records()[3].id]
    assert "<mark>申请表填表说明</mark>" in response.hits[0].snippets[0]


# --- document numbers --------------------------------------------------------------------------------------


def test_lookup_by_doc_number(loaded: SearchBackend) -> None:
    numbered = [r for r in CORPUS if r.doc_number]
    for record in numbered[:15]:
        found = loaded.lookup_doc_number(record.doc_number or "")
        assert {r.id for r in found} == {r.id for r in CORPUS if r.doc_number == record.doc_number}
        assert all(isinstance(r, DisclosureRecord) for r in found)
    assert loaded.lookup_doc_number("不存在〔2099〕1号") == []


def test_citing_finds_records_that_cite_a_number(loaded: SearchBackend) -> None:
    cited = Counter(number for record in CORPUS for number in record.cites)
    number, count = cited.most_common(1)[0]
    found = loaded.citing(number)
    assert {r.id for r in found} == {r.id for r in CORPUS if number in r.cites}
    assert len(found) == count
    assert len(loaded.citing(number, limit=1)) == 1
    assert loaded.citing(number, limit=0) == []
    dates = [date_sort_key(r.published_date, r.id) for r in found]
    assert dates == sorted(dates, reverse=True)


def test_citing_page_pages_newest_first_with_the_total(loaded: SearchBackend) -> None:
    cited = Counter(number for record in CORPUS for number in record.cites)
    number, count = cited.most_common(1)[0]
    assert count >= 3
    expected = sorted(
        (r for r in CORPUS if number in r.cites and r.doc_number != number),
        key=lambda r: date_sort_key(r.published_date, r.id),
        reverse=True,
    )
    pages = [loaded.citing_page(number, limit=2, offset=offset) for offset in range(0, len(expected), 2)]
    assert all(page.total == len(expected) for page in pages)
    assert [r.id for page in pages for r in page.records] == [r.id for r in expected]
    counted = loaded.citing_page(number, limit=0)
    assert (counted.total, counted.records) == (len(expected), [])
    beyond = loaded.citing_page(number, limit=5, offset=len(expected))
    assert (beyond.total, beyond.records) == (len(expected), [])
    assert loaded.citing_page("不存在〔2099〕1号", limit=5).total == 0


def test_citing_page_leaves_out_the_holders_of_the_number(fresh: SearchBackend) -> None:
    holder, citer, other = CORPUS[0], CORPUS[1], CORPUS[2]
    number = "测试发〔2020〕7号"
    fresh.upsert(
        [
            holder.model_copy(update={"doc_number": number, "cites": [number]}),
            citer.model_copy(update={"doc_number": None, "cites": [number]}),
            other.model_copy(update={"doc_number": None, "cites": []}),
        ]
    )
    fresh.refresh()
    page = fresh.citing_page(number, limit=10)
    assert (page.total, [r.id for r in page.records]) == (1, [citer.id])
    assert {r.id for r in fresh.citing(number)} == {holder.id, citer.id}


def _series_truth(code: str, year: int) -> dict[str, tuple[int, int, int]]:
    """canonical -> (holders, withdrawn holders, citing records) of one series, from the fixture records."""
    counts: dict[str, list[int]] = {}
    for record in CORPUS:
        if _doc_parts(record) == (code, year):
            entry = counts.setdefault(record.doc_number or "", [0, 0, 0])
            entry[0] += 1
            entry[1] += record.status is RecordStatus.withdrawn
        for cited in record.cites:
            match = re.fullmatch(r"(.+)〔(\d{4})〕(\d+)号", cited)
            if match and (match.group(1), int(match.group(2))) == (code, year):
                counts.setdefault(cited, [0, 0, 0])[2] += 1
    return {canonical: (held, gone, citing) for canonical, (held, gone, citing) in counts.items()}


def test_series_numbers_count_holders_and_citations_of_every_number(loaded: SearchBackend) -> None:
    keys = Counter(_doc_parts(r) for r in CORPUS if r.doc_number)
    (code, year), _count = keys.most_common(1)[0]
    assert code is not None and year is not None
    expected = _series_truth(code, year)
    assert any(citing for _h, _w, citing in expected.values()), "fixture series has no cited number"
    numbers = loaded.series_numbers(code, year)
    assert {n.canonical: (n.holders, n.withdrawn_holders, n.citing) for n in numbers} == expected
    serials = [n.serial for n in numbers]
    assert serials == sorted(serials)
    assert all(n.canonical == f"{code}〔{year}〕{n.serial}号" for n in numbers)
    assert loaded.series_numbers(code, 1900) == []


def test_series_numbers_leave_out_other_series_sharing_a_prefix(fresh: SearchBackend) -> None:
    base = CORPUS[0]
    fresh.upsert(
        [
            base.model_copy(update={"id": "a", "doc_number": "测试发〔2020〕3号", "cites": []}),
            base.model_copy(
                update={"id": "b", "doc_number": "测试发〔2021〕4号", "cites": ["测试发〔2020〕9号"]}
            ),
            base.model_copy(update={"id": "c", "doc_number": "测试发办〔2020〕5号", "cites": []}),
            base.model_copy(update={"id": "d", "doc_number": "测试发公告2020年第6号", "cites": []}),
        ]
    )
    fresh.refresh()
    found = [(n.canonical, n.holders, n.citing) for n in fresh.series_numbers("测试发", 2020)]
    assert found == [("测试发〔2020〕3号", 1, 0), ("测试发〔2020〕9号", 0, 1)]
    announcements = fresh.series_numbers("测试发公告", 2020)
    assert [(n.canonical, n.serial, n.holders) for n in announcements] == [("测试发公告2020年第6号", 6, 1)]


def test_series_numbers_follow_a_replaced_or_withdrawn_record(fresh: SearchBackend) -> None:
    base = CORPUS[0].model_copy(update={"status": RecordStatus.active, "cites": []})
    # a neighbour written together with the first version keeps that version's storage alive after the update
    neighbour = CORPUS[1].model_copy(update={"doc_number": "测试发〔2020〕1号", "cites": []})
    first = base.model_copy(update={"doc_number": "测试发〔2020〕3号", "cites": ["测试发〔2020〕8号"]})
    fresh.upsert([first, neighbour])
    fresh.refresh()
    assert [n.serial for n in fresh.series_numbers("测试发", 2020)] == [1, 3, 8]
    # the same record corrected to another number, citing nothing: the old version's terms must not count
    fresh.upsert(
        [base.model_copy(update={"doc_number": "测试发〔2020〕4号", "status": RecordStatus.withdrawn})]
    )
    fresh.refresh()
    found = [
        (n.canonical, n.holders, n.withdrawn_holders, n.citing) for n in fresh.series_numbers("测试发", 2020)
    ]
    assert found == [("测试发〔2020〕1号", 1, 0, 0), ("测试发〔2020〕4号", 1, 1, 0)]


# --- records, writes, stats --------------------------------------------------------------------------------


def test_get_returns_the_full_record(loaded: SearchBackend) -> None:
    for record in [CORPUS[0], CORPUS[57], *edge_records()]:
        assert loaded.get(record.id) == record
    assert loaded.get("0" * 20) is None


def test_stats_count_per_site_and_status(loaded: SearchBackend) -> None:
    stats = loaded.stats()
    assert stats.total == len(CORPUS)
    by_site = Counter(r.site for r in CORPUS)
    assert {s.site: s.total for s in stats.sites} == dict(by_site)
    for site in stats.sites:
        assert site.by_status == dict(Counter(r.status.value for r in CORPUS if r.site == site.site))


def test_upsert_is_idempotent_and_replaces_by_id(fresh: SearchBackend) -> None:
    records = CORPUS[:40]
    assert fresh.upsert(records) == 40
    assert fresh.upsert(records) == 40
    fresh.refresh()
    assert fresh.stats().total == 40
    changed = records[0].model_copy(update={"title": "更新后的标题金鑫鑫", "version": 2})
    fresh.upsert([changed, changed])
    fresh.refresh()
    assert fresh.stats().total == 40
    assert fresh.get(changed.id) == changed
    assert all_hits(fresh, q="金鑫鑫") == [changed.id]
    assert fresh.upsert([]) == 0


def test_the_last_version_in_one_long_upsert_wins(fresh: SearchBackend) -> None:
    """Every record twice in one upsert, long enough to span several bulk requests (some sent concurrently):
    the later version stays."""
    later = [record.model_copy(update={"title": f"{record.title}金鑫鑫", "version": 2}) for record in CORPUS]
    assert fresh.upsert([*CORPUS, *later]) == 2 * len(CORPUS)
    fresh.refresh()
    assert fresh.stats().total == len(CORPUS)
    assert set(all_hits(fresh, q="金鑫鑫")) == set(BY_ID)
    assert all(fresh.get(record.id) == record for record in later[-20:])


def test_delete_and_clear(fresh: SearchBackend) -> None:
    records = CORPUS[:30]
    fresh.upsert(records)
    fresh.refresh()
    assert fresh.delete([records[0].id, records[1].id, "missing-id"]) == 2
    fresh.refresh()
    assert fresh.get(records[0].id) is None
    assert fresh.stats().total == 28
    assert records[0].id not in all_hits(fresh)
    assert fresh.delete([]) == 0
    fresh.clear()
    fresh.refresh()
    assert fresh.stats().total == 0
    fresh.upsert(records[:3])
    fresh.refresh()
    assert fresh.stats().total == 3


def test_empty_index_answers(fresh: SearchBackend) -> None:
    response = fresh.search(SearchRequest(q="环境"))
    assert response.total == 0 and response.hits == []
    assert fresh.stats().total == 0
    assert fresh.get("x") is None


def test_unreachable_engine_raises_backend_unavailable() -> None:
    from indexer.backends.elastic import ElasticsearchBackend

    dead = ElasticsearchBackend("http://127.0.0.1:9", "dead", request_timeout=2)
    for call in (
        lambda: dead.search(SearchRequest(q="环境")),
        lambda: dead.upsert(CORPUS[:2]),
        lambda: dead.get("x"),
        dead.stats,
        dead.refresh,
    ):
        with pytest.raises(BackendUnavailable, match="unreachable"):
            call()
