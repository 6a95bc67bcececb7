"""python -m ingest: add, update, list, remove and rebuild the documents of the index."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import SocitmError
from .settings import Settings


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ingest", description=__doc__)
    p.add_argument("sources", nargs="*", help="files, folders or http(s) addresses to add or update")
    p.add_argument("--data-dir", type=Path, help="index folder (default: SOCITM_DATA_DIR or ./data)")
    p.add_argument("--chroma-url", help="use a Chroma server at this address instead of the embedded store")
    p.add_argument("--sync", action="store_true", help="make the index match the given folder exactly")
    p.add_argument("--list", action="store_true", help="list the documents in the index")
    p.add_argument("--remove", metavar="DOC_ID", action="append", help="remove a document and all its chunks")
    p.add_argument("--restore", metavar="DOC_ID", action="append", help="bring back a removed document")
    p.add_argument("--purge", action="store_true", help="delete the kept originals of removed documents")
    p.add_argument("--rebuild", action="store_true", help="recreate the index from the stored originals")
    p.add_argument("--linked", action="store_true", help="also fetch the linked guides named in sources.toml")
    p.add_argument("--dry-run", action="store_true", help="show what would be added or updated; write nothing")
    p.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another ingest to finish")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env(data_dir=args.data_dir, chroma_url=args.chroma_url)
    try:
        return _run(args, settings)
    except SocitmError as e:
        if args.json:
            print(json.dumps({"error": str(e), "kind": type(e).__name__}))
        print(f"error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: the index is consistent; run the same command again to finish.", file=sys.stderr)
        return 130


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from .loaders import is_url
    from .pipeline import Ingestor, IngestReport

    if args.rebuild:
        from .catalog import set_aside_if_damaged

        moved = set_aside_if_damaged(settings.catalog_path)
        if moved:
            print(f"The catalog was damaged; it was moved to {moved} and the index is rebuilt from the "
                  "stored originals (every chunk is embedded again).", file=sys.stderr)
    if args.dry_run and (args.rebuild or args.remove or args.restore or args.purge or args.sync):
        raise SocitmError("--dry-run previews adding and updating only; leave out --rebuild, --remove, "
                          "--restore, --purge and --sync")
    ingestor = Ingestor(settings, lock_wait=args.wait)
    if args.list:
        docs = ingestor.list()
        if args.json:
            print(json.dumps(docs, indent=1))
        else:
            print(f"{len(docs)} documents in {settings.data_dir}")
            for d in docs:
                print(f"  {d['doc_id']:<40} {d['n_chunks']:>5} chunks  {d['added_at'][:10]}  {d['title']}")
        return 0
    report = IngestReport()
    if args.rebuild:
        report = ingestor.rebuild()
    for doc_id in args.remove or []:
        report.results.append(ingestor.remove(doc_id))
    for doc_id in args.restore or []:
        restored = ingestor.restore(doc_id)
        report.results += restored.results
        report.embedded += restored.embedded
        report.sentences += restored.sentences
        report.chunks_written += restored.chunks_written
    if args.purge:
        print(f"Purged {ingestor.purge()} removed documents.", file=sys.stderr)
    sources: list[str | Path] = [s if is_url(s) else Path(s) for s in args.sources]
    if args.linked:
        from .corpus import read_sources

        for folder in [s for s in sources if isinstance(s, Path) and s.is_dir()] or [settings.corpus_dir]:
            sources += [link.url for link in read_sources(folder)[1]]
    if args.sync:
        if len(args.sources) != 1 or not Path(args.sources[0]).is_dir():
            raise SocitmError("--sync needs exactly one folder")
        report = ingestor.sync(Path(args.sources[0]))
    elif sources and args.dry_run:
        report = ingestor.preview(sources)
    elif sources:
        more = ingestor.ingest(sources)
        report.results += more.results
        report.embedded += more.embedded
        report.sentences += more.sentences
        report.chunks_written += more.chunks_written
        report.seconds += more.seconds
    elif not (args.rebuild or args.remove or args.restore or args.purge):
        build_parser().print_usage(sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report.to_dict(), indent=1))
    else:
        for r in report.results:
            print(r.line(), file=sys.stderr if r.status == "failed" else sys.stdout)
        print(report.summary() + (" Dry run: nothing was written." if args.dry_run else ""))
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
