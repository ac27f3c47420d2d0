"""The default /doc-numbers answer states a long, fragmented series as runs and stays small."""

from __future__ import annotations

import random
from collections.abc import Iterator
from itertools import pairwise
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from indexer.backends.base import SeriesNumber
from indexer.catalog import Catalog
from indexer.config import Settings
from indexer.schema import RecordStatus
from search_api.app import create_app
from search_api.models import SeriesRunState
from search_api.queries.docnumbers import series_runs
from tests.api.dataset import _record

DEFAULT_ANSWER_BUDGET = 8 * 1024


def random_series(rng: random.Random) -> list[SeriesNumber]:
    span = range(1, rng.randint(2, 400))
    serials = sorted(rng.sample(span, k=rng.randint(1, min(60, len(span)))))
    numbers = []
    for serial in serials:
        holders = rng.choice([0, 0, 1, 1, 2])
        numbers.append(
            SeriesNumber(
                canonical=f"济政办发〔2020〕{serial}号",
                serial=serial,
                holders=holders,
                withdrawn_holders=rng.choice([0, holders]),
                citing=rng.choice([0, 1, 3]) if holders else rng.randint(1, 3),
            )
        )
    return numbers


@pytest.mark.parametrize("seed", range(40))
def test_runs_cover_the_series_and_agree_with_each_number(seed: int) -> None:
    rng = random.Random(seed)
    numbers = random_series(rng)
    runs = series_runs(list(reversed(numbers)))  # input order does not matter
    by_serial = {n.serial: n for n in numbers}
    assert runs[0].first == min(by_serial) and runs[-1].last == max(by_serial)
    for before, after in pairwise(runs):
        assert after.first == before.last + 1
        assert after.state is not before.state  # adjacent runs of one state are merged
    for run in runs:
        assert run.count == run.last - run.first + 1
        for serial in range(run.first, run.last + 1):
            number = by_serial.get(serial)
            if number is None:
                assert run.state is SeriesRunState.missing
            elif number.holders == 0:
                assert run.state is SeriesRunState.cited_not_held
            elif number.withdrawn_holders == number.holders:
                assert run.state is SeriesRunState.withdrawn
            else:
                assert run.state is SeriesRunState.held


@pytest.fixture(scope="module")
def fragmented_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One issuer-year series of 600 serials, every other one held, and 80 records citing one of them."""
    from indexer.backends.embedded import EmbeddedBackend

    data_dir = tmp_path_factory.mktemp("compact")
    settings = Settings(data_dir=data_dir, backend="embedded", api_key=None)  # type: ignore[arg-type]
    backend = EmbeddedBackend(settings.index_dir)
    catalog = Catalog(settings.catalog_path)
    long_title = "关于进一步加强和规范政府信息公开工作中若干具体问题处理办法的实施意见" * 2
    records = [
        _record(
            f"held{serial}",
            "jinan-gov",
            f"{long_title}（第{serial}号）",
            doc_number=f"济政办发〔2021〕{serial}号",
            issuer="济南市人民政府办公厅",
            status=RecordStatus.withdrawn if serial % 10 == 1 else RecordStatus.active,
        )
        for serial in range(1, 1200, 2)
    ]
    records += [
        _record(
            f"citer{index}",
            "jinan-gov",
            f"{long_title}（引用{index}）",
            issuer="济南市人民政府办公厅",
            cites=["济政办发〔2021〕7号", f"济政办发〔2021〕{1200 + 2 * index}号"],
        )
        for index in range(80)
    ]
    backend.upsert(records)
    with TestClient(create_app(settings, backend=backend, catalog=catalog)) as client:
        yield client
    backend.close()
    catalog.close()


def test_default_answer_states_a_long_series_within_the_budget(fragmented_client: TestClient) -> None:
    response = fragmented_client.get(f"/doc-numbers/{quote('济政办发〔2021〕7号', safe='')}")
    assert response.status_code == 200
    assert len(response.content) <= DEFAULT_ANSWER_BUDGET, len(response.content)
    body = response.json()
    series = body["series"]
    assert series["numbers"] is None
    assert (series["min_serial"], series["max_serial"]) == (1, 1358)
    assert series["held_count"] == 600 and series["cited_not_held_count"] == 80
    assert series["runs_total"] > len(series["runs"]) > 0
    assert body["cited_by_total"] == 80 and len(body["cited_by"]) == 10
    assert {"id", "title", "doc_number", "issuer", "published_date", "status", "link"} <= set(
        body["cited_by"][0]
    )


def test_whole_series_is_there_page_by_page(fragmented_client: TestClient) -> None:
    path = f"/doc-numbers/{quote('济政办发〔2021〕7号', safe='')}"
    seen: list[int] = []
    offset = 0
    while True:
        params = {"series_numbers": "true", "series_offset": offset, "series_limit": 250, "cited_limit": 0}
        page = fragmented_client.get(path, params=params).json()["series"]
        if not page["numbers"]:
            break
        seen += [entry["serial"] for entry in page["numbers"]]
        offset += len(page["numbers"])
    assert seen == sorted(list(range(1, 1200, 2)) + list(range(1200, 1360, 2)))
    everything = fragmented_client.get(path, params={"series_runs": 10_000}).json()["series"]
    assert len(everything["runs"]) == everything["runs_total"]
    assert sum(run["count"] for run in everything["runs"]) == 1358
