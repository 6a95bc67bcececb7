"""python -m assistant: ask questions of the indexed guidance from the command line.

    python -m assistant ask "What does Socitm say about net zero?" "Any examples?"
    python -m assistant ask --json QUESTION [QUESTION ...]   # one JSON object per turn per line
    python -m assistant calibrate --cases evals/cases.jsonl --split dev
    python -m assistant learn evals/cases.jsonl evals/holdout*.jsonl   # retrain the learned decline check
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from ingest.errors import SocitmError
from ingest.settings import Settings


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m assistant", description="Ask the Socitm guidance assistant.")
    sub = p.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="ask one or more questions (successive turns of one conversation)")
    ask.add_argument("questions", nargs="+", metavar="QUESTION")
    ask.add_argument("--json", action="store_true", help="one JSON object per turn per line")
    cal = sub.add_parser("calibrate", help="sweep the decline threshold over an eval set")
    cal.add_argument("--cases", type=Path, default=Path("evals/cases.jsonl"))
    cal.add_argument("--split", default="dev", help="dev, test, or '' for all")
    cal.add_argument("--out", type=Path, help="also write the per-case results as JSON lines here")
    learn = sub.add_parser("learn", help="train the learned decline check on eval case files")
    learn.add_argument("case_files", nargs="+", type=Path, metavar="CASES.jsonl")
    learn.add_argument("--model", type=Path, help="write the model here (default: the bundled one)")
    learn.add_argument("--test", type=Path, nargs="+", default=[], metavar="HELD_OUT.jsonl",
                       help="then measure rules alone and rules with the new check on these case files")
    for q in (ask, cal, learn):
        q.add_argument("--data-dir", type=Path, help="index folder (default: SOCITM_DATA_DIR or ./data)")
        q.add_argument("--chroma-url", help="use a Chroma server at this address")
        q.add_argument("-v", "--verbose", action="store_true", help="log each question (redacted) to stderr")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(name)s: %(message)s")
    settings = Settings.from_env(data_dir=args.data_dir, chroma_url=args.chroma_url)
    try:
        from .core import Assistant

        assistant = Assistant(settings)
        if args.command == "calibrate":
            return _calibrate(assistant, args)
        if args.command == "learn":
            return _learn(assistant, args)
        history: list[tuple[str, Any]] = []
        for question in args.questions:
            answer = assistant.ask(question, history)
            history.append((question, answer))
            print(json.dumps(answer.to_dict(), ensure_ascii=False) if args.json else _plain(answer), flush=True)
        return 0
    except SocitmError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _plain(answer: Any) -> str:
    lines = [f"Q: {answer.question}", "", answer.text]
    for notice in answer.notices:
        lines.append(f"Note: {notice}")
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            ch = c.chunk
            where = " › ".join(p for p in (ch.title, ch.section_path) if p)
            page = f", page {ch.page}" if ch.page is not None else ""
            lines.append(f"  [{c.n}] {where}{page} ({ch.url or ch.source})")
    if answer.suggestions:
        lines += ["", "Nearest topics in the guidance:"] + [f"  - {s}" for s in answer.suggestions]
    return "\n".join(lines) + "\n"


def _calibrate(assistant: Any, args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .calibrate import evaluate, load_cases, report

    cases = load_cases(args.cases, args.split)
    if not cases:
        print(f"error: no cases in {args.cases} for split '{args.split}'", file=sys.stderr)
        return 2
    results = [evaluate(assistant, c) for c in cases]
    if args.out:
        args.out.write_text("".join(json.dumps(asdict(r)) + "\n" for r in results), encoding="utf-8")
    print(f"{len(results)} cases from {args.cases} (split: {args.split or 'all'})\n")
    print(report(results, assistant.settings.decline_threshold))
    return 0


def _learn(assistant: Any, args: argparse.Namespace) -> int:
    from .calibrate import case_features, learn
    from .doubt import MODEL_PATH, declines, rates

    missing = [str(f) for f in (*args.case_files, *args.test) if not f.is_file()]
    if missing:
        print(f"error: no such case file: {', '.join(missing)}", file=sys.stderr)
        return 2
    model = learn(assistant, args.case_files)
    out = args.model or MODEL_PATH
    model.save(out)
    cv = model.info["cross_validated"]
    print(f"Trained on {model.info['cases']} cases ({model.info['out_of_scope']} out of scope) from "
          f"{len(args.case_files)} files; threshold {model.threshold:.3f}; wrote {out}")
    for name, label in (("rules", "rules alone"), ("rules_and_check", "rules and the check")):
        print(f"  {label} (cross-validated by case file): answered {cv[name]['answered']:.1%} of answerable, "
              f"declined {cv[name]['declined']:.1%} of out of scope")
    if args.test:
        x, oos, ruled, judged, _ = case_features(assistant, args.test)
        checked = declines(model.probabilities(x), model.threshold, ruled, judged)
        print(f"On {len(oos)} held-out cases ({int(oos.sum())} out of scope) from {len(args.test)} files:")
        for label, declined in (("rules alone", ruled), ("rules and the check", checked)):
            r = rates(declined, oos)
            print(f"  {label}: answered {r['answered']:.1%} of answerable, declined {r['declined']:.1%} of out of scope")
    return 0


if __name__ == "__main__":
    sys.exit(main())
