"""BENCHMARKS.md and docs/latency.png from the saved section results (each with its command and date)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .common import ROOT, load_results, machine, now

PLOT = Path("docs") / "latency.png"  # relative to the output folder (the project folder by default)


def _ms(s: dict[str, Any] | None) -> str:
    if not s:
        return "–"
    return f"{s['median_ms']:.1f} / {s['p95_ms']:.1f}"


def _ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def _head(rec: dict[str, Any]) -> list[str]:
    return [f"Command: `{rec['command']}` · {rec['date']} · load average at the end {rec['load']:.1f} "
            "(2 cores, shared with other work: treat absolute numbers as ±20 %)", ""]


def ingest_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    p, r = d["project"], d["raw"]
    lines = ["## Ingest throughput", "", *_head(rec),
             f"First {d['n_docs']} SciFact abstracts as .txt files (+ sources.toml), fresh data directory each "
             f"time, models loaded and warmed before timing, batch size {d['batch']}. The pipelines take turns "
             f"on {d.get('slices', 1)} slices of the corpus, so a change in the machine's load hits all alike.", "",
             "| pipeline | chunks | seconds | chunks/s | vs raw encode |", "|---|---:|---:|---:|---:|",
             f"| project as shipped: {d['backend']}, sentence vectors on"
             + (f" ({p['sentences']} sentence vectors too)" if "sentences" in p else "")
             + f" | {p['chunks']} | {p['seconds']:.1f} | {p['chunks_per_s']:.2f} | {d['project_vs_raw']:.2f} |"]
    pn = d.get("project_no_sentences")
    if pn:
        lines.append(f"| project, {d['backend']}, sentence vectors off | {pn['chunks']} | {pn['seconds']:.1f} | "
                     f"{pn['chunks_per_s']:.2f} | {d['project_no_sentences_vs_raw']:.2f} |")
    pt = d.get("project_torch")
    if pt:
        lines.append(f"| project, torch backend{', sentence vectors off' if pn else ''} (same engine and texts as "
                     f"raw) | {pt['chunks']} | {pt['seconds']:.1f} | {pt['chunks_per_s']:.2f} | "
                     f"{d['project_torch_vs_raw']:.2f} |")
    lines.append(f"| raw `SentenceTransformer.encode`, same texts | {r['chunks']} | {r['seconds']:.1f} | "
                 f"{r['chunks_per_s']:.2f} | 1.00 |")
    ra = d.get("raw_with_sentences")
    if ra:
        lines.append(f"| raw `SentenceTransformer.encode`, same texts and the project's {ra['sentences']} sentences | "
                     f"{r['chunks']} | {ra['seconds']:.1f} | {ra['chunks_per_s']:.2f} | "
                     f"{ra['chunks_per_s'] / r['chunks_per_s']:.2f} |")
    li = d.get("llama_index")
    if li:
        lines.append(f"| plain llama-index (defaults, batch {li['batch']}) | {li['chunks']} | {li['seconds']:.1f} | "
                     f"{li['chunks_per_s']:.2f} | {li['chunks_per_s'] / r['chunks_per_s']:.2f} |")
    same = d.get("project_torch_vs_raw", d["project_vs_raw"])
    lines += ["", f"Goal project ≥ 0.9 × raw: {_ok(d['project_vs_raw'] >= 0.9)} as shipped "
              f"({d['project_vs_raw']:.2f})"
              + (f"; with sentence vectors off, {d['project_no_sentences_vs_raw']:.2f} "
                 f"({_ok(d['project_no_sentences_vs_raw'] >= 0.9)})" if pn else "")
              + f"; with the same engine and work as raw (torch), {same:.2f} ({_ok(same >= 0.9)})"
              + (f"; as shipped against raw encode of the same chunks and sentences, "
                 f"{d['project_vs_raw_with_sentences']:.2f} ({_ok(d['project_vs_raw_with_sentences'] >= 0.9)})"
                 if ra else "") + "."]
    if pn:
        st = p["stages"]
        separate = st.get("sentence embedding", 0)
        how = (f"{separate:.1f} s of separate model time ({separate / max(st.get('embedding', 1e-9), 1e-9):.2f}× its "
               "chunk embedding time)" if separate > 0.05 else
               "read off the chunks' own model pass (each sentence's tokens averaged), so no separate model time")
        lines.append(f"Sentence vectors are what answers read instead of embedding every candidate sentence per "
                     f"question: the default run made {p['sentences']} besides its {p['embedded']} chunk vectors, "
                     f"{how}; `SOCITM_SENTENCE_VECTORS=false` skips them (answers then make them per question, "
                     "see the query section).")
    if li:
        faster = p["chunks_per_s"] > li["chunks_per_s"]
        plain = (f" (with sentence vectors off, {pn['chunks_per_s'] / li['chunks_per_s']:.2f}×, "
                 f"{_ok(pn['chunks_per_s'] > li['chunks_per_s'])})" if pn else "")
        lines.append(f"Goal faster than plain llama-index: {_ok(faster)} per chunk as shipped "
                     f"({p['chunks_per_s'] / li['chunks_per_s']:.2f}×){plain}; per document llama-index takes "
                     f"{d['project_vs_llama_docs_per_s']:.2f}× the project's time"
                     + (f" ({d['project_no_sentences_vs_llama_docs_per_s']:.2f}× with sentence vectors off)"
                        if "project_no_sentences_vs_llama_docs_per_s" in d else "")
                     + ". Its default 1,024-token chunks "
                     "give one chunk per abstract, which the model silently cuts at 256 word pieces"
                     + (f" ({li['cut_chunks']} of {li['chunks']} chunks cut; {li['unembedded_share']:.0%} of the "
                        "text never embedded)" if "cut_chunks" in li else "")
                     + "; the project embeds every word, in chunks that fit, so it embeds more text per document.")
    lines += ["", f"Where the project's time goes ({d['backend']}):", "", "| stage | seconds | share |",
              "|---|---:|---:|"]
    for stage, secs in sorted(p["stages"].items(), key=lambda kv: -kv[1]):
        lines.append(f"| {stage} | {secs:.2f} | {secs / p['seconds']:.0%} |")
    return [*lines, ""]


def reingest_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    s = d["seconds"]
    lines = ["## Re-ingest of an unchanged corpus", "", *_head(rec),
             f"{d['n_docs']} SciFact abstracts ({d['chunks']} chunks) already indexed; the same folder ingested "
             f"again with an embedder that fails if called ({d['counts']}).", "",
             "| measure | median | p95 |", "|---|---:|---:|",
             f"| `Ingestor.ingest([folder])`, in process | {s['median_ms'] / 1000:.2f} s | {s['p95_ms'] / 1000:.2f} s |",
             f"| `python -m ingest folder` (interpreter start and imports included) | {d['cli_seconds']:.2f} s | – |",
             "", f"Goal under 5 s with no embedding: {_ok(s['p95_ms'] < 5000)}.", "",
             "Most expensive functions of one re-ingest (cProfile, self time):", "",
             "| function | calls | self s | cumulative s |", "|---|---:|---:|---:|"]
    lines += [f"| `{r['function']}` | {r['calls']} | {r['self_s']} | {r['cumulative_s']} |" for r in d["profile_top"][:8]]
    return [*lines, ""]


def embed_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    lines = ["## Embedding backends: torch vs ONNX vs ONNX int8", "", *_head(rec),
             "Same bundled all-MiniLM-L6-v2; ONNX exported locally with `torch.onnx.export` "
             f"(fp32 {d['export']['fp32']['mb']} MB; int8 by `quantize_dynamic`, {d['export']['int8']['mb']} MB), "
             "mean pooling and normalisation in numpy. Queries interleaved across backends; passages are SciFact "
             f"abstracts cut to about one chunk, batch {d['batch']}. Cold load: a new process importing the "
             "backend, loading the model and embedding one question.", "",
             "| backend | cold load s | query ms median / p95 | query speed-up | passages/s | passage speed-up | "
             "min cosine to torch (queries / passages) | dense hit@5 |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    hits = d.get("eval_hit_at_5") or {}
    for name, b in d["backends"].items():
        cos = b["cosine_to_torch"]
        hit = f"{hits[name]:.3f}" if name in hits else "–"
        lines.append(f"| {name} | {b['load_s']:.1f} | {_ms(b['query'])} | {b['query_speedup']:.2f}× | "
                     f"{b['passages_per_s']:.1f} | {b['passage_speedup']:.2f}× | {cos['queries_min']:.5f} / "
                     f"{cos['passages_min']:.5f} | {hit} |")
    if hits:
        lines += ["", f"Dense hit@5: {hits['cases']} answerable single-turn cases of evals/cases.jsonl over the "
                  f"{hits['chunks']} corpus chunks, each backend embedding both sides. Cases that differ from torch: "
                  + "; ".join(f"{k}: {len(v)}" for k, v in hits["cases_that_differ_from_torch"].items() if k != "torch")
                  + "."]
    return [*lines, ""]


def query_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    sizes = d["sizes"]
    lines = ["## Query latency, memory and recall by index size", "", *_head(rec),
             f"Synthetic indexes from the real chunk texts and vectors of {d.get('base_docs', '?')} SciFact abstracts, "
             "mixed pairwise beyond that from whole real sentences, with the real sentence vectors the ingest "
             "stored for them (bench/synth.py); real SciFact "
             "questions; every size in its own process. Milliseconds, median / p95. `retrieve` is hybrid top 10 "
             "with the query embedding; `answer` is `Assistant.ask` (extractive, no LLM) as shipped: candidate "
             "sentences' vectors read from the catalog, nothing in memory yet; then the same questions again "
             "(vectors in memory); then other questions with the stored vectors ignored, every candidate sentence "
             "embedded per question (how answers worked before ingest stored them).", "",
             f"HNSW: {d['hnsw']}; embedding backend for queries: {d['backend']}.", "",
             "| chunks | embed query | dense top 50 | BM25 top 50 | retrieve | answer | answer, vectors in memory | "
             "answer, sentences embedded per question | BM25 build s | peak RSS MB | recall@10 (min) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for n, r in sizes.items():
        rc = r["recall_at_10"]
        lines.append(f"| {int(n):,} | {_ms(r['embed_query'])} | {_ms(r['dense_search'])} | {_ms(r['bm25_search'])} | "
                     f"{_ms(r['retrieve'])} | {_ms(r.get('answer'))} | {_ms(r.get('answer_cached_sentences'))} | "
                     f"{_ms(r.get('answer_no_stored_sentences'))} | {r['bm25_build_s']:.2f} | {r['peak_rss_mb']:.0f} | "
                     f"{rc['mean']:.3f} ({rc['min']:.1f}) |")
    big = sizes.get(str(max(int(n) for n in sizes))) if sizes else None
    if big:
        ans = big.get("answer")
        lines += ["", f"Goals at {int(big['chunks']):,} chunks: retrieval p50 ≤ 40 ms "
                  f"{_ok(big['retrieve']['median_ms'] <= 40)}, p95 ≤ 80 ms {_ok(big['retrieve']['p95_ms'] <= 80)}; "
                  + (f"answer p95 ≤ 250 ms {_ok(ans['p95_ms'] <= 250)} "
                     f"({ans['p95_ms']:.0f} ms; {big.get('answer_embedded_texts', '?')} sentences embedded in "
                     f"{ans['n'] + 3} answers, warm-up included); " if ans else "answer not measured; ")
                  + f"peak RSS < 1.5 GB {_ok(big['peak_rss_mb'] < 1536)}; recall@10 ≥ 0.99 "
                  f"{_ok(big['recall_at_10']['mean'] >= 0.99)}.",
                  f"A full BM25 build (what `LiveBM25` pays once, when a process first opens the index; a "
                  f"catalog change now updates it, see below) took {big['bm25_rebuild_s']:.2f} s at this size."]
    sweep = d.get("ef_sweep")
    if sweep:
        lines += ["", f"Search depth (`ef_search`) at {sweep['size']:,} chunks, each in a new process:", "",
                  "| ef_search | recall@10 | min | dense top 50 ms | retrieve ms |", "|---:|---:|---:|---:|---:|"]
        for ef, r in sweep["results"].items():
            lines.append(f"| {ef} | {r['recall_at_10']['mean']:.4f} | {r['recall_at_10']['min']:.1f} | "
                         f"{_ms(r['dense_search'])} | {_ms(r['retrieve'])} |")
    lines += ["", "![Latency by index size](docs/latency.png)", ""]
    return lines


def bm25_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    ch = d["changes"]
    add = ch["add"]["update"]["median_ms"]
    lines = ["### Keyword index after a catalog change", "", *_head(rec),
             f"A copy of the {d['chunks']:,}-chunk synthetic index; one document of 10 chunks added, one document "
             "updated (one chunk's text changed) and one removed, "
             f"{ch['add']['update']['n']} times each, through the catalog as ingest writes it. `LiveBM25` then reads "
             "every chunk's id and content hash, the terms of new or changed chunks only, and swaps in an updated "
             "index (bench/bm25_bench.py). Milliseconds, median / p95; the last three columns are what the first "
             "question after the change touches.", "",
             "| change | chunks whose terms were read | keyword index update | BM25 top 50 | known ids | "
             "vocabulary and idf (decline check) |", "|---|---:|---:|---:|---:|---:|"]
    for kind, label in (("add", "add one document"), ("update", "update one document"),
                        ("remove", "remove one document")):
        r = ch[kind]
        lines.append(f"| {label} | {r['terms_read']} | {_ms(r['update'])} | {_ms(r['search'])} | {_ms(r['known'])} | "
                     f"{_ms(r['vocab'])} |")
    s = d["bm25_search"]
    lines += ["", f"Keyword index update after adding one document: {add:.0f} ms, against {d['rebuild_s']:.2f} s for "
              f"the full rebuild every change used to cost ({d['rebuild_s'] * 1000 / add:.0f}× less). Of the update, "
              f"{ch['add']['catalog_read']['median_ms']:.0f} ms is reading every chunk's id and hash from SQLite "
              "(the whole chunks table is scanned: no index covers them); the index change itself is the rest.",
              f"After these {3 * ch['add']['update']['n']} changes the index ({d['layout']['segments']} postings "
              f"segments, {d['layout']['rows'] - d['layout']['live']} removed rows awaiting compaction) scores "
              f"every question as a fresh build does (largest difference {d['max_score_diff']:.1e}); BM25 top 50: "
              f"{_ms(s['updated'])} ms updated, {_ms(s['fresh'])} ms fresh.", ""]
    return lines


def hnsw_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    lines = ["## HNSW settings on a hard index", "", *_head(rec),
             f"{d['size']:,} chunks made from only {d['base_docs']} abstracts' real chunks, so every passage has "
             "dozens of near-duplicates (like boilerplate repeated across documents): the case where the graph "
             "settings matter. Each search depth measured in a new process.", "",
             "| ef_construction | max_neighbors | Chroma build s | ef_search | recall@10 | min | dense top 50 ms | "
             "retrieve ms |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in d["results"]:
        lines.append(f"| {r['ef_construction']} | {r['max_neighbors']} | {r['build_s']:.0f} | {r['ef_search']} | "
                     f"{r['recall_at_10']['mean']:.4f} | {r['recall_at_10']['min']:.1f} | {_ms(r['dense_search'])} | "
                     f"{_ms(r['retrieve'])} |")
    return [*lines, ""]


def server_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    e, s = d["embedded"], d["server"]
    lines = ["## Embedded Chroma vs a Chroma server", "", *_head(rec),
             f"The {d['size']:,}-chunk index of the query section, its vectors sent to `chroma run` on 127.0.0.1 "
             f"({d['upload_s']:.0f} s); the same questions measured in a new process against each. Milliseconds, "
             "median / p95.", "",
             "| store | dense top 50 | retrieve | answer, sentence vectors cached | recall@10 | app-side peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, r in (("embedded", e), ("server (HTTP, same machine)", s)):
        lines.append(f"| {name} | {_ms(r['dense_search'])} | {_ms(r['retrieve'])} | "
                     f"{_ms(r.get('answer_cached_sentences'))} | {r['recall_at_10']['mean']:.3f} | "
                     f"{r['peak_rss_mb']:.0f} |")
    return [*lines, ""]


def load_section(rec: dict[str, Any]) -> list[str]:
    d = rec["data"]
    lines = ["## The app under load", "", *_head(rec)]
    cold = d.get("cold_start")
    if cold:
        lines += [f"Cold start of `python app.py` (existing index): page served after {cold['page_s']:.1f} s, first "
                  f"answer after {cold['first_answer_s']:.1f} s.", ""]
    ld = d["load"]
    lines += [f"{ld['users']} concurrent chat users (gradio_client, `/ask`, eval-set questions) for {ld['seconds']:.0f} s "
              f"on 127.0.0.1:", "", "| requests | errors | answered | requests/s | latency ms median / p95 | "
              "first streamed update ms median / p95 |", "|---:|---:|---:|---:|---:|---:|",
              f"| {ld['requests']} | {ld['errors']} | {ld['answered']} | {ld['requests_per_s']:.2f} | {_ms(ld['latency'])} | "
              f"{_ms(ld['first_update'])} |", "", f"Goal zero errors: {_ok(ld['errors'] == 0)}."]
    if ld["error_samples"]:
        lines += ["", "Errors seen: " + "; ".join(f"`{e}`" for e in ld["error_samples"])]
    return [*lines, ""]


SECTIONS = {"ingest": ingest_section, "reingest": reingest_section, "embed": embed_section, "query": query_section,
            "bm25": bm25_section, "hnsw": hnsw_section, "server": server_section, "load": load_section}


def write(out_dir: Path = ROOT) -> Path:
    results = load_results()
    m = machine()
    lines = ["# Benchmarks", "",
             "Made by `make bench` (= `python -m bench`; `python -m bench --help` to re-run one section or "
             "other sizes). Each section keeps the command and date of the run that produced it; this file is "
             f"rewritten from the saved results (.cache/bench/results/) on every run. Written {now()}.", "",
             f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB memory, Python {m['python']}, "
             f"{m['os']}, torch threads {m['torch_threads']}.", ""]
    for name, fn in SECTIONS.items():
        if name in results:
            lines += fn(results[name])
    out = Path(out_dir) / "BENCHMARKS.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    if "query" in results:
        plot(results["query"]["data"], Path(out_dir) / PLOT)
    return out


def plot(d: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(d["sizes"], key=int)
    xs = [int(n) for n in sizes]
    fig, ax = plt.subplots(figsize=(9, 4.6), dpi=120)
    for key, label, color in (("answer", "full extractive answer (as shipped)", "tab:orange"),
                              ("answer_cached_sentences", "answer, sentence vectors in memory", "tab:purple"),
                              ("answer_no_stored_sentences", "answer, sentences embedded per question", "tab:brown"),
                              ("retrieve", "hybrid retrieval (top 10)", "tab:blue"),
                              ("dense_search", "Chroma dense top 50", "tab:green"),
                              ("bm25_search", "BM25 top 50", "tab:red")):
        rows = [d["sizes"][n].get(key) for n in sizes]
        if not all(rows):
            continue
        ax.plot(xs, [r["median_ms"] for r in rows], "o-", color=color, label=f"{label}, median")
        ax.plot(xs, [r["p95_ms"] for r in rows], "o--", color=color, alpha=0.6, label=f"{label}, p95")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("chunks in the index")
    ax.set_ylabel("latency (ms)")
    ax.set_title("Query latency by index size (2 CPU cores)")
    ax.grid(True, which="both", alpha=0.3)
    for goal, text in ((80, "retrieval goal, p95"), (250, "answer goal, p95")):
        ax.axhline(goal, color="grey", linestyle=":", linewidth=1)
        ax.text(xs[0], goal * 1.08, text, fontsize=7, color="grey")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
