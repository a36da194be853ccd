"""The benchmark's own parts (bench/run.py): its verdicts, its Lighthouse command, and what installs it. No timing here."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import ROOT

spec = importlib.util.spec_from_file_location("book_bench", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_the_report_judges_every_target():
    builds = {"cold": [4.1, 4.3], "warm": [1.5, 1.4], "floor": [1.0, 1.0]}
    pages = {"book": {"": [(1.0, 4000)], "course/": [(0.97, 3900)], "glossary/": [(0.99, 3900)]},
             "floor": {"": [(0.9, 4000)], "course/": [(0.8, 3900), (0.95, 3800), (0.7, 3700)]}}
    rows = [line for line in bench.report(builds, [0.4, 1.2], pages, ["1.0", "2.0"]).splitlines() if line.startswith("| ")]
    verdicts = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[3] for row in rows[1:]}
    floors = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[2] for row in rows[1:]}
    assert verdicts["构建·冷（缓存全空）"] == "**未达标**"  # 4.2 s > 4 x 1.0 s
    assert verdicts["构建·热"] == "**达标**"  # 1.45 s <= 1.5 x 1.0 s
    assert verdicts["预览：保存到页面更新"] == "**达标**"  # median 0.8 s
    assert verdicts["Lighthouse 性能 /"] == "**达标**" and verdicts["Lighthouse 性能 /course/"] == "**未达标**"
    # the same page under plain Material, beside the book's: median and each run; none where it has no such page
    assert floors["Lighthouse 性能 /course/"] == "下限 0.80（0.70, 0.80, 0.95）"
    assert floors["Lighthouse 性能 /glossary/"] == "—" and floors["构建·热"] == "1.45 × 下限"


def test_lighthouse_ci_serves_the_site_itself_and_scores_every_page(tmp_path: Path):
    # LHCI's static server (Express + compression) serves the built folder gzip-compressed, as static hosts do.
    command = bench.lighthouse_command(tmp_path / "site", ["", "course/"])
    assert command[1] == "collect" and f"--staticDistDir={tmp_path / 'site'}" in command
    assert "--additive" in command  # the book's pages and plain Material's are collected in turns, into one folder each
    assert [c for c in command if c.startswith("--url=")] == ["--url=/", "--url=/course/"]
    assert f"--numberOfRuns={bench.LIGHTHOUSE_RUNS}" in command


def test_lighthouse_is_installed_for_the_benchmark_only():
    site = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    own = json.loads((ROOT / "bench" / "package.json").read_text(encoding="utf-8"))
    assert not {"lighthouse", "@lhci/cli"} & set(site["dependencies"])
    assert own["dependencies"] == {"@lhci/cli": "0.14.0"}
    assert "npm ci --prefix bench" in (ROOT / "Makefile").read_text(encoding="utf-8")
