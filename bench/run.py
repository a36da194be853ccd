#!/usr/bin/env python3
"""Benchmark of the book on this machine (`make bench`): writes bench/latest.md.

Builds and the preview are timed by hyperfine (Debian package); every page is scored by Lighthouse
(mobile, its default) through Lighthouse CI (bench/package.json, installed by `make bench` only),
the site served gzip-compressed, as static hosts serve it, by LHCI's own static server (Express
with its compression middleware; it listens on a random port of every interface, LHCI has no
option for the address). No request leaves the machine;
nothing in the project is written but bench/latest.md.

  cold     mkdocs build with every cache empty (the book's cache folder, KaTeX's and jieba's in TMPDIR)
  warm     the same build again, caches full
  floor    the same docs/ with plain Material: no hooks, math, citations or diagrams
           (warm and floor are run in turns, a run of each a round, so that a drifting load slows both)
  preview  `mkdocs serve --dirty --no-strict` (make serve): from saving a chapter to the served page showing it
  pages    Lighthouse on every page of the warm build, and on the same page of the floor's site, in turns

BENCH_QUICK=1: fewer runs (hyperfine 2, Lighthouse 1 a page): for a loaded machine, and said so in the report.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LHCI = BENCH / "node_modules" / ".bin" / "lhci"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update"
                " --disable-sync --no-first-run")
QUICK = os.environ.get("BENCH_QUICK") == "1"
RUNS, LIGHTHOUSE_RUNS = (2, 1) if QUICK else (5, 3)
MKDOCS = f"{sys.executable} -m mkdocs build -q --strict"
PREVIEW_CHAPTER, PREVIEW_URL = "docs/course/part-1/lesson-01-definition.md", "course/part-1/lesson-01-definition/"
SITES = {"book": "site", "floor": "floor-site"}  # inside the temporary folder: the warm build's site, the floor's
NOT_COPIED = {".git", ".venv", "node_modules", "site", ".cache", ".pytest_cache", "bench"}
TARGETS = "Lighthouse 性能（移动端）每页 ≥ 0.98；热构建 ≤ 1.5 × 下限；预览 ≤ 1 s；冷构建 ≤ 4 × 下限"
FLOOR_CONFIG = """\
site_name: 大模型算法工程：入门与进阶
theme: {name: material, language: zh, font: false}
plugins: {search: {lang: zh}}
markdown_extensions: [abbr, admonition, attr_list, def_list, footnotes, md_in_html, tables, toc,
  pymdownx.details, pymdownx.highlight, pymdownx.inlinehilite, pymdownx.superfences, pymdownx.blocks.caption,
  {pymdownx.snippets: {base_path: [docs]}}]
"""


def hyperfine(commands: dict[str, str], *options: str, runs: int = RUNS) -> dict[str, list[float]]:
    """Seconds of each timed run of shell commands (name -> command), by hyperfine."""
    named = [part for name, command in commands.items() for part in ("--command-name", name, command)]
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(["hyperfine", "--style", "basic", "--runs", str(runs), "--export-json", out.name, *options, *named],
                       check=True, stdout=sys.stderr)
        return {result["command"]: result["times"] for result in json.loads(Path(out.name).read_text())["results"]}


def measure_builds(tmp: Path) -> dict[str, list[float]]:
    cache, temp, site = tmp / "cache", tmp / "temp", tmp / SITES["book"]
    book = f"env BOOK_CACHE_DIR={cache} TMPDIR={temp} NO_MKDOCS_2_WARNING=1 {MKDOCS} -f {ROOT / 'mkdocs.yml'} -d {site}"
    floor_dir = tmp / "floor"
    shutil.copytree(ROOT / "docs", floor_dir / "docs")
    (floor_dir / "mkdocs.yml").write_text(FLOOR_CONFIG, encoding="utf-8")
    floor = f"cd {floor_dir} && env TMPDIR={temp} NO_MKDOCS_2_WARNING=1 {MKDOCS} --no-strict -d {tmp / SITES['floor']}"
    cold = hyperfine({"cold": book}, "--prepare", f"rm -rf {cache} {temp} && mkdir {temp}")["cold"]
    # warm and floor in turns, one run of each a round after a round of warm-up: a load that drifts
    # while the benchmark runs slows both alike, instead of whichever went second
    rounds = [hyperfine({"warm": book, "floor": floor}, runs=1) for _ in range(RUNS + 1)][1:]
    return {"cold": cold, **{name: [r[name][0] for r in rounds] for name in ("warm", "floor")}}


def fetch(url: str) -> str:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8", "replace")
    return ""


def save_and_wait(chapter: str, url: str) -> None:
    """One preview measurement (run by hyperfine): save the chapter with a new line, wait for the page to show it."""
    token = f"BENCH{time.time_ns()}"
    path = Path(chapter)
    path.write_text(path.read_text(encoding="utf-8").rstrip() + f"\n\n{token}\n", encoding="utf-8")
    while token not in fetch(url):
        time.sleep(0.01)  # a poll of the served page: hyperfine times the whole command


def measure_preview(tmp: Path) -> list[float]:
    project = tmp / "preview"
    shutil.copytree(ROOT, project, ignore=lambda _, names: NOT_COPIED & set(names))
    (project / "node_modules").symlink_to(ROOT / "node_modules")
    env = {**os.environ, "BOOK_CACHE_DIR": str(tmp / "cache"), "TMPDIR": str(tmp / "temp"), "NO_MKDOCS_2_WARNING": "1"}
    port = 8000 + os.getpid() % 1000
    url = f"http://127.0.0.1:{port}/{PREVIEW_URL}"
    log = (tmp / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                              cwd=project, env=env, stdout=log, stderr=log)  # as `make serve` runs it
    try:
        deadline = time.monotonic() + 300
        while "</html>" not in fetch(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mkdocs serve did not come up:\n{(tmp / 'serve.log').read_text()[-3000:]}")
            time.sleep(0.1)
        command = f"{sys.executable} {Path(__file__)} save {project / PREVIEW_CHAPTER} {url}"
        return hyperfine({"preview": command}, "--warmup", "1")["preview"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def lighthouse_command(site: Path, pages: list[str]) -> list[str]:
    """`lhci collect` of pages, served by LHCI's own static server (gzip-compressed, as static hosts serve)."""
    return [str(LHCI), "collect", "--additive", f"--staticDistDir={site}", *(f"--url=/{p}" for p in pages),
            f"--numberOfRuns={LIGHTHOUSE_RUNS}", f"--settings.chromeFlags={CHROME_FLAGS}"]


def measure_pages(tmp: Path) -> dict[str, dict[str, list[tuple[float, int]]]]:
    """Lighthouse's performance scores of every page, by site ("book": the warm build's; "floor": the
    same page under plain Material) and path, as (score, Lighthouse's CPU benchmark index)."""
    sites = {name: tmp / folder for name, folder in SITES.items()}
    pages = sorted(str(p.parent.relative_to(sites["book"])) for p in sites["book"].rglob("index.html") if "assets" not in p.parts)
    pages = ["" if p == "." else f"{p}/" for p in pages]
    for name in sites:
        (tmp / "lhci" / name).mkdir(parents=True)
    for page in pages:  # the book's page and plain Material's in turns: a load that drifts weighs on both
        for name, site in sites.items():
            if not (site / page / "index.html").is_file():
                continue  # plain Material has no 术语表 or 参考文献 (the book's hooks make them)
            subprocess.run(lighthouse_command(site, [page]), cwd=tmp / "lhci" / name, check=True, stdout=sys.stderr,
                           env={**os.environ, "CHROME_PATH": CHROMIUM})
    scores: dict[str, dict[str, list[tuple[float, int]]]] = {name: {p: [] for p in pages} for name in sites}
    for name in sites:
        for report in (tmp / "lhci" / name / ".lighthouseci").glob("lhr-*.json"):
            result = json.loads(report.read_text(encoding="utf-8"))
            scores[name][urlsplit(result["requestedUrl"]).path.removeprefix("/")].append(
                (result["categories"]["performance"]["score"], round(result["environment"]["benchmarkIndex"])))
    return scores


def floor_score(runs: list[tuple[float, int]]) -> str:
    """Plain Material's score of a page: the median and each run, or — where it has no such page."""
    if not runs:
        return "—"
    return f"下限 {statistics.median(s for s, _ in runs):.2f}（{', '.join(f'{s:.2f}' for s, _ in sorted(runs))}）"


def report(builds: dict[str, list[float]], preview: list[float], sites: dict[str, dict[str, list[tuple[float, int]]]], loads: list[str]) -> str:
    med = {name: statistics.median(times) for name, times in builds.items()}
    floor = med["floor"]

    def runs(times: list[float]) -> str:
        return f"{statistics.median(times):.2f} s（{', '.join(f'{t:.2f}' for t in times)}）"

    def verdict(ok: bool) -> str:
        return "**达标**" if ok else "**未达标**"

    pages, floor_pages = sites["book"], sites["floor"]
    score = {p: statistics.median(s for s, _ in runs_) for p, runs_ in pages.items()}
    worst = min(score, key=score.get)
    rows = [
        ("构建·冷（缓存全空）", runs(builds["cold"]), f"{med['cold'] / floor:.2f} × 下限", verdict(med["cold"] <= 4 * floor), "≤ 4 × 下限"),
        ("构建·热", runs(builds["warm"]), f"{med['warm'] / floor:.2f} × 下限", verdict(med["warm"] <= 1.5 * floor), "≤ 1.5 × 下限"),
        ("构建·下限（纯 Material）", runs(builds["floor"]), "1.00", "参照", "—"),
        ("预览：保存到页面更新", runs(preview), "—", verdict(statistics.median(preview) <= 1.0), "≤ 1 s"),
        *((f"Lighthouse 性能 /{p}", "，".join(f"{s:.2f}（CPU 指数 {b}）" for s, b in sorted(pages[p])),
           floor_score(floor_pages.get(p, [])),
           verdict(score[p] >= 0.98), "≥ 0.98") for p in pages),
    ]
    table = "\n".join(f"| {' | '.join(row)} |" for row in rows)
    quick = "BENCH_QUICK=1（hyperfine 每项 2 次、Lighthouse 每页 1 次）" if QUICK else f"hyperfine 每项 {RUNS} 次、Lighthouse 每页 {LIGHTHOUSE_RUNS} 次（取中位数）"
    return (f"# 性能基准\n\n{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {os.cpu_count()} 核 · {quick}；"
            f"系统负载（1/5/15 分钟）开始 {loads[0]}，结束 {loads[1]}：负载高时数字偏大且抖动。\n\n"
            f"目标：{TARGETS}。最低的 Lighthouse 性能分：/{worst}。CPU 指数是 Lighthouse 的 benchmarkIndex："
            "越低说明测量时机器越忙（空闲时约 4000）。Lighthouse 的下限是同一页在纯 Material 下的分数（公式是 TeX 原文、"
            "图是代码），与本书的页轮流测：两者一起走低时，是测量时机器忙。\n\n"
            "| 测量 | 结果（中位数与各次） | 对照下限 | 结论 | 目标 |\n| --- | --- | --- | --- | --- |\n" + table + "\n")


def main() -> int:
    for tool, hint in (("hyperfine", "apt-get install hyperfine"), (str(LHCI), "npm ci --prefix bench")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is missing: {hint} (make bench installs both)")
    loads = [" ".join(f"{x:.1f}" for x in os.getloadavg())]
    with tempfile.TemporaryDirectory(prefix="book-bench-") as folder:
        tmp = Path(folder)
        builds = measure_builds(tmp)
        preview = measure_preview(tmp)
        pages = measure_pages(tmp)
    loads.append(" ".join(f"{x:.1f}" for x in os.getloadavg()))
    text = report(builds, preview, pages, loads)
    (BENCH / "latest.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["save"]:
        save_and_wait(*sys.argv[2:4])
    else:
        sys.exit(main())
