"""`gongkai docno normalize|extract`, through click's runner and once through the installed script."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from cli.docno import docno

FIELDS = ["input", "canonical", "issuer_code", "year", "serial", "kind"]


def _json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_normalize_prints_one_object_per_argument_in_order() -> None:
    result = CliRunner().invoke(docno, ["normalize", "晋政办发[2009]59号", "其它", "主席令第五十三号"])
    assert result.exit_code == 0, result.output
    assert "晋政办发〔2009〕59号" in result.output  # ensure_ascii=False: CJK printed as is
    rows = _json_lines(result.output)
    assert [list(row) for row in rows] == [FIELDS] * 3
    assert rows[0] == {
        "input": "晋政办发[2009]59号",
        "canonical": "晋政办发〔2009〕59号",
        "issuer_code": "晋政办发",
        "year": 2009,
        "serial": 59,
        "kind": "standard",
    }
    assert rows[1]["canonical"] is None and rows[1]["kind"] is None
    assert rows[2]["canonical"] == "主席令第53号" and rows[2]["kind"] == "order"


def test_normalize_requires_an_argument() -> None:
    result = CliRunner().invoke(docno, ["normalize"])
    assert result.exit_code != 0


def test_extract_from_file(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    text = "按照财库〔2022〕3号和苏州市住房和城乡建设局苏住建规〔2011〕4号执行。"
    body.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(docno, ["extract", str(body)])
    assert result.exit_code == 0, result.output
    assert _json_lines(result.output) == [
        {"canonical": "财库〔2022〕3号", "raw": "财库〔2022〕3号", "start": 2},
        {"canonical": "苏住建规〔2011〕4号", "raw": "苏住建规〔2011〕4号", "start": text.index("苏住建规")},
    ]


def test_extract_from_stdin_with_exclude() -> None:
    text = "国发〔2019〕5号 引用国办发(2019)6号"
    result = CliRunner().invoke(docno, ["extract", "-", "--exclude", "国发[2019]5号"], input=text)
    assert result.exit_code == 0, result.output
    expected = {"canonical": "国办发〔2019〕6号", "raw": "国办发(2019)6号", "start": text.index("国办发")}
    assert _json_lines(result.output) == [expected]


def test_extract_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(docno, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert "missing.txt" in result.output


def test_installed_console_script() -> None:
    script = Path(sys.executable).parent / "gongkai"
    completed = subprocess.run(
        [str(script), "docno", "normalize", "黑政调〔２０２０〕６号", "国家税务总局公告2015年第41号"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    rows = _json_lines(completed.stdout)
    assert [row["canonical"] for row in rows] == ["黑政调〔2020〕6号", "国家税务总局公告2015年第41号"]
    assert rows[1]["kind"] == "announcement"
