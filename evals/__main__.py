"""python -m evals: score the assistant on the eval set, on a BEIR dataset, or draft cases from feedback.

  python -m evals run [--set FILE] [--split dev|test|all] [--mode dense|bm25|hybrid] [--data-dir DIR] [--json]
  python -m evals beir --data DIR [--split test] [--mode dense|bm25|hybrid|all] [--json]
  python -m evals from-feedback [--data-dir DIR] [--out FILE] [--max-rating 0]
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from ingest.errors import SocitmError
from ingest.settings import Settings

from .report import REPORTS_DIR


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evals", description=__doc__.splitlines()[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="score retrieval and answers on the eval set")
    run.add_argument("--set", type=Path, help="eval set file (default evals/cases.jsonl)")
    run.add_argument("--split", default="all", choices=["dev", "test", "all"])
    run.add_argument("--mode", default="hybrid", choices=["dense", "bm25", "hybrid"])
    run.add_argument("--fusion", choices=["convex", "rrf"], help="override SOCITM_FUSION for this run")
    run.add_argument("--alpha", type=float, help="override SOCITM_FUSION_ALPHA for this run")
    run.add_argument("--data-dir", type=Path, help="index folder (default: SOCITM_DATA_DIR or ./data)")
    run.add_argument("--retrieval-only", action="store_true", help="skip the Assistant (answer metrics are null)")
    run.add_argument("--per-case", action="store_true", help="add per_case results to the JSON")
    _common(run)

    beir = sub.add_parser("beir", help="score retrieval on a BEIR dataset indexed by this project's pipeline")
    beir.add_argument("--data", type=Path, required=True, help="folder with corpus.jsonl, queries.jsonl, qrels/")
    beir.add_argument("--split", default="test")
    beir.add_argument("--mode", default="all", choices=["dense", "bm25", "hybrid", "all"])
    beir.add_argument("--fusion", choices=["convex", "rrf"])
    beir.add_argument("--alpha", type=float, help="dense weight of convex fusion")
    beir.add_argument("--k1", type=float, help="BM25 k1")
    beir.add_argument("--b", type=float, help="BM25 b")
    beir.add_argument("--depth", type=int, help="candidates per side before fusion (>= 300)")
    beir.add_argument("--prf-docs", type=int, help="dense pseudo-relevance feedback: top chunks mixed into the query")
    beir.add_argument("--prf-weight", type=float, help="weight of their mean vector (Rocchio)")
    beir.add_argument("--cache", type=Path, help="where cached indexes live (default .cache/beir)")
    beir.add_argument("--model", help="embedding model folder (python -m evals finetune), or 'bundled'; default: "
                                       "SOCITM_EMBED_MODEL, else the newest model fine-tuned here on the dataset's "
                                       "other split (.cache/models), else the bundled all-MiniLM-L6-v2")
    beir.add_argument("--per-query", action="store_true", help="add per_query results to the JSON")
    _common(beir)

    tune = sub.add_parser("tune-beir", help="grid of fusion and BM25 settings on one split (use train)")
    tune.add_argument("--data", type=Path, required=True)
    tune.add_argument("--split", default="train")
    tune.add_argument("--cache", type=Path)
    tune.add_argument("--stages", default="base,prf", help="comma-separated: base, prf, fusions")
    tune.add_argument("--json", action="store_true")

    ft = sub.add_parser("finetune", help="fine-tune the embedding model on a BEIR dataset's judged queries")
    ft.add_argument("--data", type=Path, required=True, help="folder with corpus.jsonl, queries.jsonl, qrels/")
    ft.add_argument("--split", default="train", help="the judged queries to learn from (default train)")
    ft.add_argument("--out", type=Path, help="model folder to write (default .cache/models/<dataset>-<split>-e<N>)")
    ft.add_argument("--epochs", type=int, default=1)
    ft.add_argument("--lr", type=float, default=2e-5, help="learning rate (default 2e-5)")
    ft.add_argument("--batch", type=int, default=32, help="queries per step (default 32)")
    ft.add_argument("--hold-out", type=float, default=0.0,
                    help="share of the split's queries kept out of training, for scoring it (default 0)")
    ft.add_argument("--cache", type=Path, help="where cached indexes live (default .cache/beir)")
    ft.add_argument("--json", action="store_true", help="print one JSON object")
    ft.add_argument("--quiet", action="store_true", help="no progress bars")

    fb = sub.add_parser("from-feedback", help="draft eval cases from poorly rated answers")
    fb.add_argument("--data-dir", type=Path, help="the app's data folder holding feedback.sqlite3")
    fb.add_argument("--out", type=Path, help="drafts file (default evals/drafts.jsonl)")
    fb.add_argument("--max-rating", type=int, default=0, help="take answers rated at or below this (default 0)")
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--reports", type=Path, default=REPORTS_DIR, help="where report folders go")
    p.add_argument("--no-report", action="store_true", help="do not write a report folder")
    p.add_argument("--quiet", action="store_true", help="no progress bars")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = "python -m evals " + " ".join(shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv))
    try:
        if args.command == "run":
            return _run(args, command)
        if args.command == "beir":
            return _beir(args, command)
        if args.command == "tune-beir":
            return _tune(args)
        if args.command == "finetune":
            return _finetune(args)
        return _from_feedback(args)
    except SocitmError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, command: str) -> int:
    from .cases import DEFAULT_SET, load_cases
    from .report import write_run_report
    from .runner import run_eval

    settings = Settings.from_env(data_dir=args.data_dir, fusion=args.fusion, fusion_alpha=args.alpha)
    cases = load_cases(args.set or DEFAULT_SET, args.split)
    result = run_eval(settings, cases, args.mode, use_assistant=not args.retrieval_only, progress=not args.quiet,
                      config={"set": str(Path(args.set or DEFAULT_SET).resolve()), "split": args.split, "command": command})
    summary: dict[str, Any] = result.summary()
    data = result.to_dict()
    folder = None if args.no_report else write_run_report(data, args.reports)
    if args.json:
        if args.per_case:
            summary["per_case"] = data["per_case"]
        print(json.dumps(summary, ensure_ascii=False))
    else:
        _print_run(summary, result.config)
    if folder is not None:
        print(f"Report: {folder / 'report.md'}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _print_run(summary: dict[str, Any], cfg: dict[str, Any]) -> None:
    print(f"{summary['n']} cases ({cfg['split']}), mode {cfg['mode']}, fusion {cfg['fusion']} alpha {cfg['alpha']}"
          + ("" if cfg["assistant"] else "; answers not judged (assistant.core missing)"))
    for group in ("retrieval", "answers", "followups"):
        values = ", ".join(f"{k} {'n/a' if v is None else f'{v:.3f}'}" for k, v in summary[group].items())
        print(f"  {group:<10} {values}")


def _beir(args: argparse.Namespace, command: str) -> int:
    from .beir import CACHE_ROOT, evaluate_beir, load_beir
    from .report import write_beir_report

    data = load_beir(args.data, args.split)
    modes = ["dense", "bm25", "hybrid"] if args.mode == "all" else [args.mode]
    overrides = {"fusion": args.fusion, "alpha": args.alpha, "k1": args.k1, "b": args.b, "depth": args.depth,
                 "prf_docs": args.prf_docs, "prf_weight": args.prf_weight}
    model = args.model
    if model is None and not Settings.from_env().embed_model:
        from .finetune import finetuned_for

        found = finetuned_for(data)
        if found is not None:
            model = str(found)
            print(f"Using {found.name}, fine-tuned here on {data.name}'s other split (--model bundled for the "
                  "model as shipped)", file=sys.stderr)
        elif (Path(args.data) / "qrels" / "train.tsv").is_file() and args.split != "train":
            print(f"Scoring the model as shipped. To fine-tune it on {data.name}'s train split first (SciFact: "
                  f"about 35 min here, +0.03 nDCG@10 hybrid): python -m evals finetune --data {args.data} "
                  "--split train --epochs 5", file=sys.stderr)
    if model == "bundled":
        model = ""
    if model and args.alpha is None:
        from .finetune import FINETUNED_ALPHA

        overrides["alpha"] = FINETUNED_ALPHA
    settings = Settings.from_env(embed_model=model)
    result = evaluate_beir(data, modes, settings, args.cache or CACHE_ROOT, progress=not args.quiet, **overrides)
    result["config"]["command"] = command
    folder = None if args.no_report else write_beir_report(result, args.reports)
    if args.json:
        out = {k: result[k] for k in ("dataset", "split", "results")}
        if args.per_query:
            out["per_query"] = result["per_query"]
        print(json.dumps(out))
    else:
        cfg = result["config"]
        print(f"BEIR {result['dataset']} ({result['split']}, {result['n_queries']} queries); model {cfg['model']}; "
              f"index {'reused' if cfg['reused'] else 'built'} at {cfg['data_dir']}")
        if cfg["excluded_training_queries"]:
            print(f"  scored on the queries held out of fine-tuning only ({cfg['excluded_training_queries']} "
                  "queries the model learnt from are left out)")
        print(f"  {'mode':<8} {'nDCG@10':>8} {'R@100':>7} {'MRR@10':>7}  settings")
        for mode, r in result["results"].items():
            print(f"  {mode:<8} {r['ndcg@10']:>8.4f} {r['recall@100']:>7.4f} {r['mrr@10']:>7.4f}  "
                  f"{result['config']['labels'][mode]}")
        for name, value in result["baselines"].items():
            print(f"  published nDCG@10 (test): {name} {value}")
    if folder is not None:
        print(f"Report: {folder / 'report.md'}", file=sys.stderr if args.json else sys.stdout)
    return 0


def _tune(args: argparse.Namespace) -> int:
    from .beir import CACHE_ROOT, load_beir
    from .tune import print_table, tune

    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    rows = tune(load_beir(args.data, args.split), Settings.from_env(), args.cache or CACHE_ROOT, stages)
    print(json.dumps(rows) if args.json else print_table(rows))
    return 0


def _finetune(args: argparse.Namespace) -> int:
    from .beir import CACHE_ROOT, load_beir
    from .finetune import finetune

    info = finetune(load_beir(args.data, args.split), args.out, Settings.from_env(), args.cache or CACHE_ROOT,
                    args.epochs, args.lr, args.batch, args.hold_out, progress=not args.quiet)
    if args.json:
        print(json.dumps({k: v for k, v in info.items() if k != "held_out"}))
    else:
        print(f"Fine-tuned on {info['examples']} query-passage pairs from {info['queries']} queries of "
              f"{info['dataset']} ({info['split']}; {len(info['held_out'])} held out), {info['epochs']} epoch(s), "
              f"{info['steps']} steps in {info['seconds']} s; loss {info['first_loss']:.3f} -> {info['last_loss']:.3f}")
        print(f"Model: {info['out']}")
        print(f"Score it: python -m evals beir --data {args.data} --model {info['out']} --split test")
    return 0


def _from_feedback(args: argparse.Namespace) -> int:
    from .feedback import DRAFTS, draft_cases, read_feedback, write_drafts

    settings = Settings.from_env(data_dir=args.data_dir)
    rows = read_feedback(settings.data_dir / "feedback.sqlite3")
    drafts = draft_cases(rows, args.max_rating)
    out = write_drafts(drafts, args.out or DRAFTS)
    print(f"{len(drafts)} draft cases from {len(rows)} feedback rows (rating <= {args.max_rating}) written to {out}. "
          "Each needs review: add the quotes that answer it (or mark it answerable: false).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
