"""The `gongkai portal` commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from cli.main import main
from portal.manifest import read_manifest


def test_manifest_command_writes_jsonl(tmp_path: Path) -> None:
    out = tmp_path / "m.jsonl"
    result = CliRunner().invoke(
        main, ["portal", "manifest", "--seed", "3", "--docs", "45", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    manifest = read_manifest(out)
    assert len(manifest.documents) == 45
    assert manifest.sites[0].base_url == "http://127.0.0.1:18101/"


def test_bad_fault_spec_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["portal", "manifest", "--faults", "jinan-gov:explode=1", "--out", str(tmp_path / "m.json")]
    )
    assert result.exit_code == 2
    assert "unknown fault 'explode'" in result.output


def test_serve_prints_sites_and_serves(tmp_path: Path) -> None:
    manifest_path = tmp_path / "served.json"
    command = [
        sys.executable,
        "-c",
        "from cli.main import main; main()",
        "portal",
        "serve",
        "--docs",
        "40",
        "--base-port",
        "0",
        "--manifest",
        str(manifest_path),
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline().strip() for _ in range(9)]
        sites = dict(line.split("\t")[:2] for line in lines)
        assert next(iter(sites)) == "jinan-gov" and len(sites) == 9
        assert process.stdout.readline().startswith("manifest:")
        manifest = read_manifest(manifest_path)
        assert manifest.sites[2].base_url == sites["jinan-jyj"]
        doc = manifest.documents[0]
        assert httpx.get(doc.url, timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=20)
