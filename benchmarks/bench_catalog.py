"""Catalog benchmark (issue #20): search, facets, lists and paging over HTTP on loopback.

For each backend (SQLite, PostgreSQL) and each catalog size it loads a synthetic national
catalog with ``kaifang generate catalog`` (the load rate is reported), starts ``kaifang
serve`` (uvicorn) on it and measures each question's p50/p99 over ``--requests``
sequential requests and the requests per second of ``--clients`` concurrent clients. On the
SQLite catalogs it also serves the same titles, descriptions, organization names and
categories with Datasette over an FTS5 index (trigram tokenizer: Datasette's default
tokenizer keeps a run of Han characters as one word and finds no Chinese word inside a
title) and measures its search and facet pages.

    python benchmarks/bench_catalog.py --sizes 1000,100000
    python benchmarks/bench_catalog.py --sizes 1000 --backends sqlite --requests 50   # quick
    python benchmarks/bench_catalog.py --sizes 100000 --backends sqlite --kaifang-workers 2 \
        --distinct --peers ""     # two server processes; nearly every request a new one

The searches draw from a small vocabulary, as people's do, so most are asked again and
answered from what the server keeps until the catalog changes; ``--distinct`` shows what
each costs when it is built afresh.

Catalogs are generated under benchmarks/data/catalog/ (git-ignored) and reused when present
(SQLite; a PostgreSQL catalog lives in a throwaway server started for the run, unless
``--postgres-url`` names a server kept between runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from bench_api import datasette_server, free_port, measure_latency, measure_throughput, server

ROOT = Path(__file__).resolve().parent
REPO = ROOT.parent
TWO_CHAR = ("停車", "空氣", "竊盜", "台北", "公園", "醫療", "人口", "公車", "預算", "河川")
PHRASES = ("公有停車場", "空氣品質", "交通事故統計", "臺北市公園綠地", "長期照顧機構")
CATEGORIES = ("H00", "E00", "100", "300", "A00")
Make = Callable[[random.Random], str]


def _q(text: str) -> str:
    return quote(text, safe="")


def kaifang_questions(orgs: list[str], size: int, distinct: bool = False) -> dict[str, Make]:
    """The questions as people ask them: searches from a small vocabulary, so that most are
    asked again (and answered from what the server keeps until the catalog changes). With
    ``distinct``, each request adds a parameter drawn at random that changes its answer
    (a page size, a start time), so nearly every request is built afresh."""
    fq = "&facet.field=" + _q('["organization","license_id","groups"]')
    # datasets published in the last 30 days (the generator spreads them over five years)
    now = datetime.now(UTC)
    since = (now - timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def sized(r: random.Random, name: str, sep: str = "&") -> str:
        return f"{sep}{name}={r.randint(10, 100)}" if distinct else ""

    def moment(r: random.Random) -> str:
        if not distinct:
            return since
        start = now - timedelta(days=30, seconds=r.randrange(86_400 * 30))
        return start.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "search 2-char word": lambda r: (
            f"/api/datasets?q={_q(r.choice(TWO_CHAR))}{sized(r, 'limit')}"
        ),
        "search phrase": lambda r: f"/api/datasets?q={_q(r.choice(PHRASES))}{sized(r, 'limit')}",
        "search page, facets + filter": lambda r: (
            f"/search?q={_q(r.choice(TWO_CHAR))}&category={r.choice(CATEGORIES)}"
        ),
        "portal list page, all facets": lambda r: f"/search?page={r.randint(1, 50)}",
        "dataset list page": lambda r: f"/api/datasets?offset={r.randrange(0, size // 2)}",
        "popular first": lambda r: (
            f"/api/datasets?sort=popularity&offset={r.randrange(0, 200)}{sized(r, 'limit')}"
        ),
        "organization": lambda r: f"/api/organizations/{r.choice(orgs)}{sized(r, 'limit', '?')}",
        "organization page (portal)": lambda r: f"/organizations/{r.choice(orgs)}",
        "openness ranking": lambda r: "/api/openness/ranking",
        "CKAN package_search fq + facets": lambda r: (
            f"/api/3/action/package_search?q={_q(r.choice(TWO_CHAR))}"
            f"&fq=groups:{r.choice(CATEGORIES)}{fq}{sized(r, 'rows')}"
        ),
        "/api/v1/rest/dataset?modified=": lambda r: f"/api/v1/rest/dataset?modified={moment(r)}",
        "DCAT catalog page": lambda r: f"/catalog.jsonld?page={r.randint(1, max(1, size // 200))}",
    }


def datasette_questions() -> dict[str, Make]:
    return {
        "search 2-char word": lambda r: (
            f"/catalog/datasets.json?_search={_q(r.choice(TWO_CHAR))}"  # trigram: no match < 3
        ),
        "search phrase": lambda r: f"/catalog/datasets.json?_search={_q(r.choice(PHRASES))}",
        "search page, facets + filter": lambda r: (
            f"/catalog/datasets.json?_search={_q(r.choice(PHRASES))}"
            f"&category={r.choice(CATEGORIES)}&_facet=organization&_facet=license"
        ),
        "dataset list page": lambda r: "/catalog/datasets.json?_sort_desc=modified",
    }


def kaifang(*args: str, env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "kaifang", *args]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def load(data_dir: Path, size: int, env: dict[str, str], fresh: bool) -> dict[str, Any]:
    if fresh and data_dir.exists():
        shutil.rmtree(data_dir)
    marker = data_dir / "generated.json"
    if marker.exists():
        loaded: dict[str, Any] = json.loads(marker.read_text())
        return loaded
    data_dir.mkdir(parents=True, exist_ok=True)
    args = ["--data-dir", str(data_dir), "generate", "catalog", "--datasets", str(size), "--json"]
    summary: dict[str, Any] = json.loads(kaifang(*args, env=env))
    marker.write_text(json.dumps(summary))
    return summary


def org_codes(size: int) -> list[str]:
    """The generator's organization codes (the first 200)."""
    from kaifang.sources.national_catalog import CatalogPlan, org_code

    return [org_code(n) for n in range(min(200, CatalogPlan(datasets=size).organizations))]


def datasette_db(catalog: Path, target: Path) -> None:
    """The same titles, descriptions, organization names and categories, FTS5 trigram."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(catalog)
    rows = src.execute(
        "SELECT d.id, d.title, d.description, o.name, d.category, d.license_id, d.modified "
        "FROM datasets d JOIN organizations o ON o.id = d.organization_id"
    ).fetchall()
    src.close()
    db = sqlite3.connect(target)
    db.execute(
        "CREATE TABLE datasets (id INTEGER PRIMARY KEY, title TEXT, description TEXT, "
        "organization TEXT, category TEXT, license TEXT, modified TEXT)"
    )
    db.executemany("INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    for column in ("category", "organization", "modified"):
        db.execute(f"CREATE INDEX ix_{column} ON datasets({column})")
    db.execute(
        "CREATE VIRTUAL TABLE datasets_fts USING fts5(title, description, "
        "content='datasets', content_rowid='id', tokenize='trigram')"
    )
    db.execute("INSERT INTO datasets_fts(datasets_fts) VALUES ('rebuild')")
    db.commit()
    db.close()


def measure(base: str, pid: int, questions: dict[str, Make], a: argparse.Namespace) -> dict:
    out = {}
    for name, make in questions.items():
        latency = measure_latency(base, make, a.requests, budget=a.budget, warmup=1.0).summary()
        rate = measure_throughput(base, make, a.clients, a.seconds, pid)
        out[name] = {**latency, **rate}
        print(f"    {name}: {json.dumps(out[name], ensure_ascii=False)}", flush=True)
    return out


def _chosen(questions: dict[str, Make], a: argparse.Namespace) -> dict[str, Make]:
    """The questions ``--questions`` names (all when it names none)."""
    names = {n.strip() for n in a.questions.split(";") if n.strip()}
    return {k: v for k, v in questions.items() if not names or k in names}


def run_backend(backend: str, size: int, a: argparse.Namespace) -> dict[str, Any]:
    data_dir = ROOT / "data" / "catalog" / f"{backend}-{size}"
    env = {**os.environ, "KAIFANG_RATE_LIMIT": "0"}
    result: dict[str, Any] = {"backend": backend, "datasets": size}
    with ExitStack() as stack:
        if backend == "postgres" and a.postgres_url:
            # a server kept between runs: its catalog is loaded once (see --postgres-url)
            env["KAIFANG_DATABASE_URL"] = a.postgres_url.replace("{size}", str(size))
        elif backend == "postgres":
            started = subprocess.run(
                [str(REPO / "scripts" / "pg-test-server"), "start"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            stack.callback(
                subprocess.run, [str(REPO / "scripts" / "pg-test-server"), "stop", started[1]]
            )
            env["KAIFANG_DATABASE_URL"] = started[0]
        fresh = backend == "postgres" and not a.postgres_url
        result["load"] = load(data_dir, size, env, fresh=fresh)
        print(f"  {backend} {size}: loaded {result['load']}", flush=True)
        orgs = org_codes(size)
        port = free_port()
        command = [sys.executable, "-m", "kaifang", "serve", "--data-dir", str(data_dir)]
        command += ["--workers", str(a.kaifang_workers)]
        proc = stack.enter_context(
            server([*command, "--port", str(port)], f"http://127.0.0.1:{port}/api/datasets", env)
        )
        base = f"http://127.0.0.1:{port}"
        questions = _chosen(kaifang_questions(orgs, size, distinct=a.distinct), a)
        result["kaifang"] = measure(base, proc.pid, questions, a)
    if backend == "sqlite" and "datasette" in a.peers:
        db = data_dir / "datasette" / "catalog.db"
        db.parent.mkdir(exist_ok=True)
        datasette_db(data_dir / "catalog.sqlite", db)
        port = free_port()
        with datasette_server(db, port) as proc:
            base = f"http://127.0.0.1:{port}"
            result["datasette"] = measure(base, proc.pid, _chosen(datasette_questions(), a), a)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,100000", help="Catalog sizes (datasets).")
    parser.add_argument("--backends", default="sqlite,postgres", help="sqlite and/or postgres.")
    parser.add_argument("--peers", default="datasette", help="datasette, or '' for none.")
    parser.add_argument("--requests", type=int, default=200, help="Sequential requests each.")
    parser.add_argument("--budget", type=float, default=30, help="Seconds at most per p50/p99.")
    parser.add_argument("--clients", type=int, default=16, help="Concurrent clients.")
    parser.add_argument("--seconds", type=float, default=8, help="Seconds of concurrent load.")
    parser.add_argument("--out", type=Path, help="Also write the results as JSON here.")
    parser.add_argument(
        "--kaifang-workers", type=int, default=1, help="kaifang serve --workers (processes)."
    )
    parser.add_argument(
        "--distinct",
        action="store_true",
        help="Make nearly every kaifang request a new one (a random page size or start time), "
        "so that none is answered from what the server keeps until the catalog changes.",
    )
    parser.add_argument(
        "--questions",
        default="",
        help="Names of the questions to ask, separated by ';' (default: all).",
    )
    parser.add_argument(
        "--postgres-url",
        default="",
        help="Use this PostgreSQL server ({size} is replaced by the catalog size) instead of "
        "a throwaway one; its catalog is loaded once and reused, like SQLite's.",
    )
    a = parser.parse_args(argv)
    results = []
    started = time.time()
    for size in (int(s) for s in a.sizes.split(",")):
        for backend in a.backends.split(","):
            print(f"... {backend}, {size} datasets", flush=True)
            results.append(run_backend(backend, size, a))
    print(f"done in {time.time() - started:.0f} s", flush=True)
    if a.out:
        a.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
