#!/usr/bin/env python3
"""Validate evals/cases.jsonl against the source documents.

Usage:
    python3 evals/check_cases.py [CORPUS_DIR] [--cases FILE] [--strict]

CORPUS_DIR defaults to ../shared/corpus relative to the repository root
(i.e. /work/shared/corpus when the repo is /work/main). A document id "x"
is read from CORPUS_DIR/x.txt.

Errors (exit status 1): unparsable lines, duplicate or malformed ids, missing
or unexpected keys, bad values, quotes that are not exact single-line
substrings of the named document, quotes containing "|" or a newline, quotes
outside 6-30 words, quotes that are only a heading, sections that do not match
where the quotes are, and any 4-word sequence shared by a question (or any
turn) and one of its quotes.

Warnings (exit status 0 unless --strict): 4-word sequences shared with the
whole source line of a quote, distinctive 3-word sequences shared with a
quote, quotes occurring more than once in a document, quotes containing
non-breaking spaces, and a section with a single case of a kind (so it can
only be in one split). A section with two or more cases of a kind that is
missing from a split is an error.

Notes (informational): cases whose quotes come from several sections.

Known documents and their top-level headings are listed in SECTIONS below.

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
DEFAULT_CASES = HERE / "cases.jsonl"

SPLITS = ("dev", "test")
MIN_WORDS, MAX_WORDS = 6, 30
MAX_QUOTES = 3

# Top-level section headings, in document order. A quote belongs to the last
# heading line that precedes it. Lines before the first heading (navigation,
# banners) belong to no section.
SECTIONS: dict[str, list[str]] = {
    "socitm-prospectus-five-missions": [
        "Socitm’s geography is always local",
        "Controls versus freedoms",
        "1. Place-based leadership",
        "2. Practical placemaking",
        "3. Connected places",
        "Missions and actions",
        "1. Kickstart economic growth",
        "2. Make Britain a clean energy superpower",
        "3. Take back our streets",
        "4. Break down barriers to opportunity",
        "5. Build an NHS fit for the future",
        "Planting the flag for people and places",
    ],
    "levelling-up-socitm-response": [
        "Levelling up – a Socitm response",
        "Socitm’s research and thinking",
        "Continuing collaboration",
    ],
}

# Sub-part markers inside a top-level section (used for the coverage report).
PART_MARKERS = {
    "How to think about it with:": "table",
    "How Socitm glues this together": "glue",
    "Resources": "resources",
    "Where it’s already working": "examples",
    "How it’s already working": "examples",
}

KEYS = {
    "q": ({"id", "split", "section", "question", "answerable", "relevant"}, set()),
    "f": ({"id", "split", "section", "turns", "answerable", "relevant"}, set()),
    # out of scope: one question, or a conversation ("turns") whose last turn the guidance does not cover
    "u": ({"id", "split", "answerable", "relevant"}, {"section", "question", "turns"}),
}
KIND_NAMES = {"q": "answerable", "f": "multi-turn", "u": "out-of-scope"}

STOPWORDS = set(
    """a an and are as at be by can do does for from has have how i in is it its of on or our s so
    that the their them there these they this to was we what when where which who why will with
    you your any about all into than then those not""".split()
)


def tokens(text: str) -> list[str]:
    text = text.lower().replace("’", "'").replace("‘", "'")
    return re.findall(r"[a-z0-9£]+", text)


def ngrams(toks: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def distinctive(gram: tuple[str, ...]) -> bool:
    return sum(1 for t in gram if t not in STOPWORDS) >= 2


class Doc:
    def __init__(self, doc_id: str, text: str):
        self.id = doc_id
        self.text = text
        self.lines = text.split("\n")
        heads = SECTIONS.get(doc_id, [])
        self.missing_headings = [h for h in heads if h not in (ln.strip() for ln in self.lines)]
        self.section_of_line: list[str | None] = []
        self.part_of_line: list[str] = []
        sec, part = None, "intro"
        for ln in self.lines:
            s = ln.strip()
            if s in heads:
                sec, part = s, "intro"
            elif s in PART_MARKERS and sec is not None:
                part = PART_MARKERS[s]
            self.section_of_line.append(sec)
            self.part_of_line.append("table" if "|" in ln else part)

    def locate(self, quote: str) -> list[int]:
        """Line indexes of every occurrence of quote."""
        return [i for i, ln in enumerate(self.lines) if quote in ln for _ in range(ln.count(quote))]

    def is_heading_line(self, s: str) -> bool:
        s = s.strip()
        if s in SECTIONS.get(self.id, []) or s in PART_MARKERS:
            return True
        for ln in self.lines:
            if ln.strip() == s:
                # A whole line without sentence punctuation is treated as a heading.
                return not re.search(r"[.;:!?,]$", s) and len(s.split()) <= 10
        return False


def load_docs(corpus: Path, ids: set[str], errors: list[str]) -> dict[str, Doc]:
    docs = {}
    for doc_id in sorted(ids):
        path = corpus / f"{doc_id}.txt"
        if not path.is_file():
            errors.append(f"document {doc_id!r}: {path} not found")
            continue
        doc = Doc(doc_id, path.read_text(encoding="utf-8"))
        for h in doc.missing_headings:
            errors.append(f"document {doc_id!r}: configured heading {h!r} not found as a line")
        docs[doc_id] = doc
    return docs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS), help="directory holding <doc id>.txt")
    ap.add_argument("--cases", default=str(DEFAULT_CASES))
    ap.add_argument("--strict", action="store_true", help="treat warnings as errors")
    args = ap.parse_args(argv)

    errors: list[str] = []
    warnings: list[str] = []
    notes: list[str] = []
    corpus = Path(args.corpus)
    docs = load_docs(corpus, set(SECTIONS), errors)
    if errors:
        for e in errors:
            print(f"ERROR: {e}")
        return 1

    cases = []
    raw = Path(args.cases).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"ERROR: {args.cases} is not UTF-8: {exc}")
        return 1
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            if lineno != len(text.split("\n")):
                errors.append(f"line {lineno}: blank line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"line {lineno}: invalid JSON ({exc})")
            continue
        if not isinstance(obj, dict):
            errors.append(f"line {lineno}: not a JSON object")
            continue
        cases.append((lineno, obj))

    seen_ids: Counter[str] = Counter()
    # Coverage tallies.
    by_kind_split: Counter[tuple[str, str]] = Counter()
    by_doc: Counter[tuple[str, str, str]] = Counter()
    by_section: Counter[tuple[str, str, str]] = Counter()
    by_part: Counter[tuple[str, str]] = Counter()

    for lineno, c in cases:
        cid = c.get("id")
        where = f"line {lineno} ({cid})"
        if not isinstance(cid, str) or not re.fullmatch(r"[qfu]\d{3}", cid):
            errors.append(f"{where}: id must look like q001/f001/u001")
            continue
        seen_ids[cid] += 1
        kind = cid[0]
        required, optional = KEYS[kind]
        keys = set(c)
        if required - keys:
            errors.append(f"{where}: missing keys {sorted(required - keys)}")
        if keys - required - optional:
            errors.append(f"{where}: unexpected keys {sorted(keys - required - optional)}")
        split = str(c.get("split"))
        if split not in SPLITS:
            errors.append(f"{where}: split must be one of {SPLITS}, got {c.get('split')!r}")
        by_kind_split[(KIND_NAMES[kind], split)] += 1

        # Question text(s).
        if kind == "u" and "question" not in c and "turns" not in c:
            errors.append(f"{where}: an out-of-scope case needs a question or turns")
        if kind == "f" or (kind == "u" and "turns" in c):
            turns = c.get("turns")
            if not (
                isinstance(turns, list)
                and 2 <= len(turns) <= 3
                and all(isinstance(t, str) and t.strip() for t in turns)
            ):
                errors.append(f"{where}: turns must be a list of 2 or 3 non-empty strings")
                turns = [t for t in turns if isinstance(t, str)] if isinstance(turns, list) else []
            asked = turns
        else:
            q = c.get("question")
            if not (isinstance(q, str) and q.strip()):
                errors.append(f"{where}: question must be a non-empty string")
                q = ""
            asked = [q]

        rel = c.get("relevant")
        if kind == "u":
            if c.get("answerable") is not False:
                errors.append(f"{where}: out-of-scope case must have answerable=false")
            if rel != []:
                errors.append(f"{where}: out-of-scope case must have relevant=[]")
            continue

        if c.get("answerable") is not True:
            errors.append(f"{where}: answerable must be true")
        section = c.get("section")
        if not (isinstance(section, str) and section.strip()):
            errors.append(f"{where}: section must be a non-empty string")
        if not (isinstance(rel, list) and 1 <= len(rel) <= MAX_QUOTES):
            errors.append(f"{where}: relevant must hold 1 to {MAX_QUOTES} quotes")
            continue

        quote_sections: list[tuple[str, str | None]] = []
        case_docs = set()
        for q_i, r in enumerate(rel, 1):
            rw = f"{where} quote {q_i}"
            if not (isinstance(r, dict) and set(r) == {"doc", "quote"}):
                errors.append(f"{rw}: must be an object with exactly 'doc' and 'quote'")
                continue
            doc_id, quote = r["doc"], r["quote"]
            if doc_id not in docs:
                errors.append(f"{rw}: unknown document {doc_id!r}")
                continue
            if not isinstance(quote, str) or not quote.strip():
                errors.append(f"{rw}: empty quote")
                continue
            doc = docs[doc_id]
            case_docs.add(doc_id)
            if "\n" in quote or "\r" in quote:
                errors.append(f"{rw}: quote contains a newline")
            if "|" in quote:
                errors.append(f"{rw}: quote contains '|' (quote one table cell only)")
            if quote != quote.strip():
                errors.append(f"{rw}: quote has leading/trailing whitespace")
            n_words = len(quote.split())
            if not MIN_WORDS <= n_words <= MAX_WORDS:
                errors.append(f"{rw}: quote has {n_words} words (need {MIN_WORDS}-{MAX_WORDS}): {quote!r}")
            if "\xa0" in quote:
                warnings.append(f"{rw}: quote contains a non-breaking space")
            if doc.is_heading_line(quote):
                errors.append(f"{rw}: quote is only a heading: {quote!r}")
            hits = doc.locate(quote)
            if not hits:
                hint = ""
                if quote in doc.text:
                    hint = " (it spans a newline)"
                errors.append(f"{rw}: not an exact substring of a line of {doc_id}{hint}: {quote!r}")
                continue
            if len(hits) > 1:
                warnings.append(f"{rw}: quote occurs {len(hits)} times in {doc_id}: {quote!r}")
            line_idx = hits[0]
            qsec = doc.section_of_line[line_idx]
            if qsec is None:
                errors.append(f"{rw}: quote lies outside every section (before the first heading)")
            quote_sections.append((doc_id, qsec))
            by_part[(qsec or "-", doc.part_of_line[line_idx])] += 1

            # Paraphrase checks: question/turns versus quote and its source line.
            qtoks, ltoks = tokens(quote), tokens(doc.lines[line_idx])
            for t_i, turn in enumerate(asked, 1):
                ttoks = tokens(turn)
                label = f"turn {t_i}" if kind == "f" else "question"
                shared4 = ngrams(ttoks, 4) & ngrams(qtoks, 4)
                if shared4:
                    errors.append(
                        f"{rw}: {label} shares 4-word run(s) with quote: {sorted(' '.join(g) for g in shared4)}"
                    )
                line4 = (ngrams(ttoks, 4) & ngrams(ltoks, 4)) - shared4
                if line4:
                    warnings.append(
                        f"{rw}: {label} shares 4-word run(s) with the source line: {sorted(' '.join(g) for g in line4)}"
                    )
                shared3 = {g for g in ngrams(ttoks, 3) & ngrams(qtoks, 3) if distinctive(g)}
                if shared3:
                    warnings.append(
                        f"{rw}: {label} shares 3-word phrase(s) with quote: {sorted(' '.join(g) for g in shared3)}"
                    )

        if isinstance(section, str) and quote_sections:
            found = {s or "-" for _, s in quote_sections}
            if section not in found:
                errors.append(
                    f"{where}: section {section!r} does not match the quotes' section(s) {sorted(found)}"
                )
            elif len(found) > 1:
                notes.append(f"{where}: quotes span several sections {sorted(found)}")
        for d in case_docs:
            by_doc[(KIND_NAMES[kind], d, split)] += 1
        if isinstance(section, str):
            by_section[(section, KIND_NAMES[kind], split)] += 1

    for cid, uses in seen_ids.items():
        if uses > 1:
            errors.append(f"id {cid} used {uses} times")

    # Split coverage: every section (per kind) and every document (per kind) in both splits.
    for kind_name in ("answerable", "multi-turn"):
        kind_sections = sorted({s for s, k, _ in by_section if k == kind_name})
        for s in kind_sections:
            total = sum(by_section[(s, kind_name, sp)] for sp in SPLITS)
            missing = [sp for sp in SPLITS if not by_section[(s, kind_name, sp)]]
            if missing:
                msg = f"{kind_name}: section {s!r} ({total} case(s)) has nothing in split(s) {missing}"
                (warnings if total < 2 else errors).append(msg)
        for doc_id in docs:
            for sp in SPLITS:
                if not by_doc[(kind_name, doc_id, sp)]:
                    errors.append(f"{kind_name}: document {doc_id!r} has no case in split {sp!r}")
    for sp in SPLITS:
        if not by_kind_split[("out-of-scope", sp)]:
            errors.append(f"out-of-scope: no case in split {sp!r}")
    all_sections = [(d, s) for d, heads in SECTIONS.items() for s in heads]
    for d, s in all_sections:
        if not any(by_section[(s, "answerable", sp)] for sp in SPLITS):
            errors.append(f"answerable: section {s!r} of {d} has no question")

    # ---- Report
    kinds = ("answerable", "multi-turn", "out-of-scope")
    print(f"cases file: {args.cases}")
    print(f"corpus:     {corpus}")
    print(f"\n{len(cases)} cases\n\nBy kind and split:")
    print(f"  {'kind':<14}{'dev':>6}{'test':>6}{'total':>7}")
    for k in kinds:
        dv, ts = by_kind_split[(k, "dev")], by_kind_split[(k, "test")]
        print(f"  {k:<14}{dv:>6}{ts:>6}{dv + ts:>7}")
    print("\nBy document (cases citing it; a case may cite both):")
    for d in docs:
        for k in ("answerable", "multi-turn"):
            dv, ts = by_doc[(k, d, "dev")], by_doc[(k, d, "test")]
            print(f"  {d:<34}{k:<12} dev={dv:<4} test={ts:<4}")
    print("\nBy section (answerable dev/test | multi-turn dev/test):")
    for d, s in all_sections:
        a = [by_section[(s, "answerable", sp)] for sp in SPLITS]
        f = [by_section[(s, "multi-turn", sp)] for sp in SPLITS]
        print(f"  [{d[:9]}] {s:<45} {a[0]:>3}/{a[1]:<3} | {f[0]:>2}/{f[1]:<2}")
    unknown = sorted({s for s, _, _ in by_section} - {s for _, s in all_sections})
    for s in unknown:
        print(f"  [?] {s} (not a configured section)")
    print("\nQuotes by section part (all answerable cases):")
    for _d, s in all_sections:
        parts = {p: n for (sec, p), n in by_part.items() if sec == s}
        print(f"  {s:<45} " + ", ".join(f"{p}={n}" for p, n in sorted(parts.items())))

    if notes:
        print(f"\n{len(notes)} note(s):")
        for note in notes:
            print(f"  NOTE: {note}")
    if warnings:
        print(f"\n{len(warnings)} warning(s):")
        for w in warnings:
            print(f"  WARNING: {w}")
    if errors:
        print(f"\n{len(errors)} error(s):")
        for e in errors:
            print(f"  ERROR: {e}")
        return 1
    if warnings and args.strict:
        print("\nFAILED (--strict: warnings count as errors)")
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
