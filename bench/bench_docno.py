"""Throughput of document-number normalisation and citation extraction; prints a markdown table.

    .venv/bin/python bench/bench_docno.py [--n 100000] [--chars 200000] [--repeat 3]

`--n` is the number of normalisations (mixed real-world spellings); `--chars` the length of the
generated body text that extraction scans (realistic Chinese prose with numbers sprinkled in).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine_line
from indexer.dates import parse_date
from indexer.docno import extract_doc_numbers, looks_like_doc_number, normalize_doc_number

SPELLINGS = [
    "国发〔2019〕5号",
    "发文字号：晋政函〔2023〕83号",
    "豫政办 〔2014〕55号",
    "渝府办发〔 2022 〕96 号",
    "晋政办发[2009]59号",
    "晋政发(2007)2号",
    "江府［2009］9号",
    "粤律协﹝2020﹞41号",
    "浙政发【2021】5号",
    "黑政调〔２０２０〕６号",
    "\u200b晋政办发〔2022〕71号",
    "渝府发〔2000〕48号〔〕",
    "桂政干〔\n 2020〕\n 68 号",
    "山西省人民政府令第216号",
    "重庆市人民政府令第 359 号",
    "国家税务总局公告2015年第41号",
    "交通运输部令2016年第62号",
    "主席令第五十三号",
    "（黔府发〔2019〕4 号）",
    "X市财发〔1992〕字第36号",
    "其它",
    "",
    "…实施意见（黔府发〔2019〕4 号）",
    "000014349/2018-00222",
]
PROSE = [
    "为进一步加强政府信息公开工作，切实保障人民群众的知情权、参与权和监督权，",
    "现将有关事项通知如下。",
    "各区县人民政府，市政府各部门，各有关单位：",
    "要坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "2019年12月21日，全市政务公开工作会议在第3会议室召开，联系电话0531-86081234。",
    "索引号：000014349/2018-00222，发布日期：2018-12-24。",
    "请结合实际认真贯彻执行，执行中遇到的问题请及时反馈。",
    "本办法自印发之日起施行，有效期5年。",
]
CITATIONS = [
    "按照财库〔2022〕3号",
    "根据《国务院办公厅关于推进政务公开的意见》（国办发〔2017〕47号）",
    "苏州市住房和城乡建设局苏住建规〔2011〕4号",
    "关于印发实施方案的通知国发〔2009〕12号",
    "依据国家税务总局公告2015年第41号",
    "以山西省人民政府令第216号公布",
    "和晋政办发[2009]59号",
]
DATES = [
    "2014年12月19日",
    "2019-04-11",
    "2020-12-21T00:00:00.000+0800",
    "1608480000000",
    "二〇〇九年九月十日",
]


def long_document(length: int, seed: int = 7) -> tuple[str, int]:
    """Prose of `length` characters with a citation roughly every 400 characters."""
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    cited = 0
    while size < length:
        if rng.random() < 0.15:
            piece = rng.choice(CITATIONS) + "。"
            cited += 1
        else:
            piece = rng.choice(PROSE)
        parts.append(piece)
        size += len(piece)
    return "".join(parts)[:length], cited


def best_seconds(action: Callable[[], object], repeat: int) -> float:
    """Best CPU time of `repeat` runs: process time, so that other jobs on a shared machine skew less."""
    timings = []
    for _ in range(repeat):
        started = time.process_time()
        action()
        timings.append(time.process_time() - started)
    return max(min(timings), 1e-9)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=100_000, help="number of normalisations")
    parser.add_argument("--chars", type=int, default=200_000, help="length of the extraction document")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is reported")
    args = parser.parse_args()
    print(machine_line())

    inputs = [SPELLINGS[i % len(SPELLINGS)] for i in range(args.n)]
    document, _ = long_document(args.chars)
    plain = (PROSE[0] * (args.chars // len(PROSE[0]) + 1))[: args.chars]
    dates = [DATES[i % len(DATES)] for i in range(args.n)]

    normalise_s = best_seconds(lambda: [normalize_doc_number(text) for text in inputs], args.repeat)
    looks_like_s = best_seconds(lambda: [looks_like_doc_number(text) for text in inputs], args.repeat)
    extract_s = best_seconds(lambda: extract_doc_numbers(document), args.repeat)
    plain_s = best_seconds(lambda: extract_doc_numbers(plain), args.repeat)
    dates_s = best_seconds(lambda: [parse_date(text) for text in dates], args.repeat)
    found = len(extract_doc_numbers(document))

    rows = [
        ("normalize_doc_number (mixed spellings)", f"{args.n:,} inputs", f"{args.n / normalise_s:,.0f} /s"),
        ("looks_like_doc_number (mixed spellings)", f"{args.n:,} inputs", f"{args.n / looks_like_s:,.0f} /s"),
        (
            f"extract_doc_numbers (prose with {found:,} citations)",
            f"{len(document):,} chars",
            f"{len(document) / extract_s / 1e6:,.1f} M chars/s",
        ),
        (
            "extract_doc_numbers (plain prose, no numbers)",
            f"{len(plain):,} chars",
            f"{len(plain) / plain_s / 1e6:,.1f} M chars/s",
        ),
        ("parse_date (mixed shapes)", f"{args.n:,} inputs", f"{args.n / dates_s:,.0f} /s"),
    ]
    print(f"Best of {args.repeat} runs, CPU time of this process (time.process_time).\n")
    print("| operation | size | throughput |")
    print("|---|---|---|")
    for operation, size, throughput in rows:
        print(f"| {operation} | {size} | {throughput} |")


if __name__ == "__main__":
    main()
