"""The benchmark's own parts (bench/run.py): its verdicts, its gzip host, and what installs it. No timing here."""

from __future__ import annotations

import functools
import gzip
import http.server
import importlib.util
import json
import threading
import urllib.request
from pathlib import Path

from conftest import ROOT

spec = importlib.util.spec_from_file_location("book_bench", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)


def test_the_report_judges_every_target():
    builds = {"cold": [4.1, 4.3], "warm": [1.5, 1.4], "floor": [1.0, 1.0]}
    pages = {"": [(1.0, 4000)], "course/": [(0.97, 3900)]}
    rows = [line for line in bench.report(builds, [0.4, 1.2], pages, ["1.0", "2.0"]).splitlines() if line.startswith("| ")]
    verdicts = {row.split(" | ")[0].lstrip("| "): row.split(" | ")[3] for row in rows[1:]}
    assert verdicts["构建·冷（缓存全空）"] == "**未达标**"  # 4.2 s > 4 x 1.0 s
    assert verdicts["构建·热"] == "**达标**"  # 1.45 s <= 1.5 x 1.0 s
    assert verdicts["预览：保存到页面更新"] == "**达标**"  # median 0.8 s
    assert verdicts["Lighthouse 性能 /"] == "**达标**" and verdicts["Lighthouse 性能 /course/"] == "**未达标**"


def test_pages_are_served_gzip_compressed_as_static_hosts_do(tmp_path: Path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text("<p>微调</p>" * 100, encoding="utf-8")
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(bench.Gzipped, directory=str(tmp_path)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        request = urllib.request.Request(f"http://127.0.0.1:{httpd.server_address[1]}/a/", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["Content-Encoding"] == "gzip"
            assert gzip.decompress(response.read()).decode("utf-8") == "<p>微调</p>" * 100
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_lighthouse_is_installed_for_the_benchmark_only():
    site = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    own = json.loads((ROOT / "bench" / "package.json").read_text(encoding="utf-8"))
    assert not {"lighthouse", "@lhci/cli"} & set(site["dependencies"])
    assert own["dependencies"] == {"@lhci/cli": "0.14.0"}
    assert "npm ci --prefix bench" in (ROOT / "Makefile").read_text(encoding="utf-8")
