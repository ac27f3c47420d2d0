"""The generality proof of issue 11: randomised department sites (portal.generated, not the five fixed styles)
crawled with `platform: generic` and no options, scored against their manifest. The seed comes from the test
run; the failure message prints it (GONGKAI_GENERALITY_SEED replays the same sites)."""

from __future__ import annotations

from pathlib import Path

from tests.crawler.generality import chosen_seed, run_generality

SITES = 30


def test_thirty_randomised_sites_meet_every_threshold(tmp_path: Path) -> None:
    scored = run_generality(chosen_seed(), SITES, tmp_path, timeout=900)
    print(scored.table())
    assert len(scored.sites) == SITES
    low = scored.below_thresholds()
    assert not low, (
        f"below threshold: {low}\n{scored.table()}\n\n{scored.by_style()}\n\n{scored.site_rows()}\n\n"
        f"crawl exit status {scored.crawl_returncode}\n{scored.crawl_output}"
    )
