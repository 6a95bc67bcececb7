"""python -m bench: run the benchmarks (all sections, or some) and rewrite BENCHMARKS.md.

Sections: ingest (throughput vs raw encode and llama-index), reingest (unchanged corpus), embed (torch
vs ONNX vs ONNX int8), query (latency, memory, recall by index size), bm25 (keyword index update after a
catalog change vs a full rebuild, at the largest size), hnsw (graph settings on a hard index), server
(embedded Chroma vs a Chroma server), load (the app under 20 users).
Expensive inputs (real vectors, the 5,000-document and synthetic indexes, the ONNX export) are cached
under .cache/; a full run from a warm cache takes about 12 minutes on 2 cores (the first, about 30).
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from .common import ROOT, log, offline, save

SECTIONS = ("ingest", "reingest", "embed", "query", "bm25", "hnsw", "server", "load")


def _ints(text: str) -> list[int]:
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("sections", nargs="*", metavar="SECTION",
                   help=f"what to run: {', '.join(SECTIONS)} (default: all)")
    p.add_argument("--quick", action="store_true", help="small sizes everywhere (a few minutes)")
    p.add_argument("--docs", type=int, help="ingest: SciFact abstracts to ingest (default 500; quick 100)")
    p.add_argument("--batch", type=int, default=32, help="ingest: embedding batch size")
    p.add_argument("--no-llama", action="store_true", help="ingest: skip the plain llama-index pipeline")
    p.add_argument("--no-torch", action="store_true", help="ingest: skip the project run with the torch backend")
    p.add_argument("--reingest-docs", type=int, help="reingest: documents (default 5000; quick 1000)")
    p.add_argument("--sizes", type=_ints, help="query: index sizes, e.g. 1000,10000,100000 (quick: 1000,10000); "
                   "bm25: the largest; server: the first one (default 10000; quick 1000)")
    p.add_argument("--queries", type=int, help="query/embed: timed queries per measurement (default 200; quick 50)")
    p.add_argument("--answers", type=int, help="query: timed full answers per size (default 50; quick 10)")
    p.add_argument("--ef-sweep", type=_ints, help="query: ef_search values to try at the largest size "
                   "(default 100,200,400; quick none)")
    p.add_argument("--base-docs", type=int, help="query: SciFact abstracts whose real chunk vectors seed the "
                   "synthetic indexes (default 5000, embedded once and cached; quick 100)")
    p.add_argument("--backend", choices=["onnx", "torch", "onnx-int8"],
                   help="query: embedding backend in the query processes (default: the settings' embed_backend)")
    p.add_argument("--users", type=int, help="load: concurrent chat users (default 20; quick 5)")
    p.add_argument("--seconds", type=float, help="load: duration (default 60; quick 15)")
    p.add_argument("--url", help="load: a running app (default: start app.py on a free port)")
    p.add_argument("--report-only", action="store_true", help="rewrite BENCHMARKS.md from saved results only")
    p.add_argument("--out", type=Path, default=ROOT, help="folder for BENCHMARKS.md and docs/latency.png "
                   "(default: the project folder); set SOCITM_BENCH_CACHE to move the cache")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    unknown = [s for s in args.sections if s not in SECTIONS]
    if unknown:
        parser.error(f"unknown section {', '.join(unknown)} (choose from {', '.join(SECTIONS)})")
    offline()
    from . import report

    command = "python -m bench " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    command = command.strip()
    q = args.quick
    if not args.report_only:
        for section in args.sections or SECTIONS:
            log(f"section {section}")
            data = _run(section, args, q)
            save(section, data, command)
            report.write(args.out)
    path = report.write(args.out)
    log(f"wrote {path}")
    return 0


def _run(section: str, args: argparse.Namespace, q: bool) -> dict:  # type: ignore[type-arg]
    if section == "ingest":
        from .ingest_bench import run_throughput

        return run_throughput(_docs(args), args.batch, not args.no_llama, not args.no_torch)
    if section == "reingest":
        from .ingest_bench import run_reingest

        return run_reingest(args.reingest_docs or (1000 if q else 5000))
    if section == "embed":
        from .embed_bench import run_embed

        return run_embed(args.queries or (50 if q else 200), 64 if q else 192, 1 if q else 2, args.batch)
    if section == "query":
        from ingest.settings import Settings

        from .query_bench import run_query

        sweep = args.ef_sweep if args.ef_sweep is not None else ([] if q else [100, 200, 400])
        return run_query(args.sizes or ([1000, 10000] if q else [1000, 10000, 100000]), args.queries or (50 if q else 200),
                         args.answers if args.answers is not None else (10 if q else 50), sweep, args.backend or Settings().embed_backend,
                         args.base_docs or (100 if q else 5000))
    if section == "bm25":
        from .bm25_bench import run_bm25

        return run_bm25(max(args.sizes or [10000 if q else 100000]), args.base_docs or (100 if q else 5000))
    if section == "hnsw":
        from .query_bench import run_hnsw

        efs = args.ef_sweep or [100, 200, 400]
        return run_hnsw(10000 if q else 100000, 100 if q else 500, [(200, 32), (400, 64)], efs, args.queries or 150)
    if section == "server":
        from .server_bench import run_server

        return run_server((args.sizes or [1000 if q else 10000])[0], args.base_docs or (100 if q else 5000), args.queries or 100,
                          args.answers if args.answers is not None else 20)
    from .load import run

    return run(args.url, args.users or (5 if q else 20), args.seconds or (15 if q else 60), 2000)


def _docs(args: argparse.Namespace) -> int:
    return int(args.docs or (100 if args.quick else 500))


if __name__ == "__main__":
    sys.exit(main())
