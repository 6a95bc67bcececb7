"""Reports: each run writes evals/reports/<YYYYmmdd-HHMMSS>/ with report.md, results.json and PNG plots,
and compares itself with the previous report of the same kind (metric deltas, cases that got worse)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

REPORTS_DIR = Path(__file__).resolve().parent / "reports"


def new_report_dir(root: Path = REPORTS_DIR) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path, n = Path(root) / stamp, 1
    while path.exists():
        n += 1
        path = Path(root) / f"{stamp}-{n}"
    path.mkdir(parents=True)
    return path


def previous_report(root: Path, kind: str, before: Path, same: dict[str, Any]) -> tuple[Path, dict[str, Any]] | None:
    """The newest earlier report of this kind whose `same` keys (dotted: "config.split") match."""
    if not Path(root).is_dir():
        return None
    for folder in sorted((p for p in Path(root).iterdir() if p.is_dir() and p.name < before.name), reverse=True):
        file = folder / "results.json"
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if data.get("kind") == kind and all(_get(data, k) == v for k, v in same.items()):
            return folder, data
    return None


def _get(data: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None  # type: ignore[assignment]
    return data


# plots ----------------------------------------------------------------------------------------------------
def _pyplot():  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_modes(by_mode: dict[str, dict[str, float | None]], path: Path, title: str,
               baselines: dict[str, float] | None = None) -> None:
    """Grouped bars: one group per metric, one bar per mode (and published baselines as lines)."""
    plt = _pyplot()
    modes = list(by_mode)
    keys = list(next(iter(by_mode.values()))) if by_mode else []
    fig, ax = plt.subplots(figsize=(max(6, 1.6 * len(keys) + 2), 4))
    width = 0.8 / max(len(modes), 1)
    for i, mode in enumerate(modes):
        vals = [by_mode[mode].get(k) or 0.0 for k in keys]
        bars = ax.bar([x + i * width for x in range(len(keys))], vals, width, label=mode)
        ax.bar_label(bars, fmt="%.3f", fontsize=7)
    for j, (name, value) in enumerate((baselines or {}).items()):
        ax.axhline(value, linestyle=("--", ":", "-.")[j % 3], color="grey", linewidth=1, label=f"{name} nDCG@10 {value}")
    ax.set_xticks([x + width * (len(modes) - 1) / 2 for x in range(len(keys))], keys)
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_curves(curves: dict[str, list[float]], path: Path, title: str, ylabel: str = "recall@k") -> None:
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for mode, values in curves.items():
        ax.plot(range(1, len(values) + 1), values, marker="o" if len(values) <= 20 else None, markersize=3, label=mode)
    ax.set_xlabel("k")
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.set_title(title)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_sections(by_section: dict[str, float], path: Path, title: str) -> None:
    plt = _pyplot()
    names = list(by_section)
    fig, ax = plt.subplots(figsize=(7, max(3, 0.35 * len(names) + 1)))
    bars = ax.barh(range(len(names)), [by_section[n] for n in names], color="tab:green")
    ax.bar_label(bars, fmt="%.2f", fontsize=7)
    ax.set_yticks(range(len(names)), [n if len(n) <= 45 else n[:44] + "…" for n in names], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.1)
    ax.set_xlabel("hit@5")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# comparison ------------------------------------------------------------------------------------------------
def deltas(old: dict[str, Any], new: dict[str, Any]) -> dict[str, float]:
    """Differences of every numeric leaf that both have, keyed by its dotted path."""
    out: dict[str, float] = {}

    def walk(a: Any, b: Any, path: str) -> None:
        if isinstance(a, dict) and isinstance(b, dict):
            for k in a.keys() & b.keys():
                walk(a[k], b[k], f"{path}.{k}" if path else k)
        elif isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
            out[path] = round(float(b) - float(a), 4)

    walk(old, new, "")
    return dict(sorted(out.items()))


def worse(old_ranks: dict[str, int | None], new_ranks: dict[str, int | None], cutoff: int) -> list[dict[str, Any]]:
    """Items whose first relevant result dropped: lost from the top `cutoff`, or ranked lower."""
    out = []
    for key, new in new_ranks.items():
        if key not in old_ranks:
            continue
        old = old_ranks[key]
        if old is None:
            continue
        lost = old <= cutoff and (new is None or new > cutoff)
        if lost or new is None or new > old:
            out.append({"id": key, "before": old, "after": new, f"lost_hit@{cutoff}": lost})
    return out


def fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def md_table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_md(prev: tuple[Path, dict[str, Any]] | None, changes: dict[str, float],
                  got_worse: list[dict[str, Any]], what: str) -> str:
    if prev is None:
        return "## Compared with the previous report\n\nNo earlier report of this kind to compare with.\n"
    lines = [f"## Compared with the previous report ({prev[0].name})\n"]
    moved = {k: v for k, v in changes.items() if abs(v) >= 1e-4}
    if moved:
        lines.append(md_table(["metric", "change"], [[k, f"{v:+.4f}"] for k, v in moved.items()]))
    else:
        lines.append("No metric moved.")
    lines.append(f"\n{len(got_worse)} {what} got worse (first relevant result lost from the cut-off or ranked lower)"
                 + (":" if got_worse else "."))
    for w in got_worse:
        lost = next((k for k, v in w.items() if k.startswith("lost_") and v), "")
        lines.append(f"- {w['id']}: rank {fmt(w['before'])} → {fmt(w['after'])}" + (f" ({lost[5:]} lost)" if lost else ""))
    return "\n".join(lines) + "\n"


# the two kinds of report ---------------------------------------------------------------------------------------
def _case_ranks(data: dict[str, Any], mode: str) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for case in data.get("per_case", []):
        ranking = case.get("rankings", {}).get(mode)
        if case.get("kind") == "unanswerable" or ranking is None:
            continue
        out[case["id"]] = next((i + 1 for i, h in enumerate(ranking["held"]) if h), None)
    return out


def write_run_report(data: dict[str, Any], root: Path = REPORTS_DIR) -> Path:
    """data: RunResult.to_dict(). Returns the report folder."""
    folder = new_report_dir(root)
    cfg = data["config"]
    mode = cfg["mode"]
    plot_modes(data["modes"], folder / "modes.png", f"Retrieval by mode ({cfg['split']} split, {data['n']} cases)")
    plot_curves(data["recall_curve"], folder / "recall_at_k.png", "Quote recall@k, single questions")
    plot_sections(data["by_section"], folder / "sections.png", f"hit@5 by section ({mode})")
    prev = previous_report(root, "run", folder, {"config.set": cfg.get("set"), "config.split": cfg.get("split")})
    changes = deltas({k: prev[1].get(k) for k in ("retrieval", "answers", "followups", "modes")}, data) if prev else {}
    got_worse = worse(_case_ranks(prev[1], mode), _case_ranks(data, mode), 5) if prev else []
    data = {**data, "compared_with": prev[0].name if prev else None, "deltas": changes, "worse": got_worse}
    (folder / "results.json").write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    misses = [c for c in data["per_case"] if c["kind"] != "unanswerable" and not c["metrics"].get("hit@5")]
    wrong = [c for c in data["per_case"] if c["answered"] is not None and
             c["answered"] != (c["kind"] != "unanswerable")]
    md = [f"# Eval run {folder.name}\n",
          f"Set `{cfg['set']}`, split **{cfg['split']}**, {data['n']} cases; mode **{mode}** "
          f"(fusion {cfg['fusion']}, alpha {cfg['alpha']}); index `{cfg['data_dir']}`; "
          f"answers by the Assistant: {'yes' if cfg['assistant'] else 'no (assistant.core missing)'}; "
          f"{cfg['seconds']} s.\n",
          f"Command: `{cfg.get('command', '')}`\n",
          "## Retrieval (single questions)\n",
          md_table(["mode", *next(iter(data["modes"].values())).keys()],
                   [[m, *v.values()] for m, v in data["modes"].items()]),
          "\n## Follow-ups (last turn, condensed query)\n",
          md_table(["mode", "hit@5", "mrr@10"], [[m, v["hit@5"], v["mrr@10"]] for m, v in data["followups_by_mode"].items()]),
          "\n## Answers\n",
          md_table(["metric", "value"], [[k, v] for k, v in data["answers"].items()]),
          "\n![modes](modes.png)\n\n![recall@k](recall_at_k.png)\n\n![sections](sections.png)\n",
          comparison_md(prev, changes, got_worse, "cases"),
          f"## Misses: answerable cases with no relevant chunk in the top 5 ({mode})\n"]
    md += [f"- {c['id']} [{c['section']}] {c['question']} — searched: {c['search_query']!r}" for c in misses] or ["None."]
    md.append("\n## Wrong answer decisions (answered when it should decline, or declined an answerable case)\n")
    md += [f"- {c['id']} ({c['kind']}): answered={c['answered']} — {c['question']}" for c in wrong] or ["None."]
    if data.get("missing_docs"):
        md.append(f"\n**Documents named by quotes but not in the index:** {', '.join(data['missing_docs'])}\n")
    (folder / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    return folder


def _query_ranks(data: dict[str, Any], mode: str) -> dict[str, int | None]:
    return {q: m.get("rank") for q, m in data.get("per_query", {}).get(mode, {}).items()}


def write_beir_report(data: dict[str, Any], root: Path = REPORTS_DIR) -> Path:
    """data: the beir results (dataset, split, results, per_query, recall_curve, config, baselines)."""
    folder = new_report_dir(root)
    name, split = data["dataset"], data["split"]
    baselines = data.get("baselines") or {}
    plot_modes(data["results"], folder / "modes.png", f"BEIR {name} ({split}) by mode",
               baselines if split == "test" else None)
    plot_curves(data["recall_curve"], folder / "recall_at_k.png", f"BEIR {name} ({split}) recall@k")
    prev = previous_report(root, "beir", folder, {"dataset": name, "split": split})
    changes = deltas({"results": prev[1].get("results")}, data) if prev else {}
    got_worse: list[dict[str, Any]] = []
    if prev:
        for mode in data["results"]:
            got_worse += [{**w, "id": f"{mode}:{w['id']}"} for w in
                          worse(_query_ranks(prev[1], mode), _query_ranks(data, mode), 10)]
    data = {**data, "compared_with": prev[0].name if prev else None, "deltas": changes, "worse": got_worse}
    (folder / "results.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
    cfg = data.get("config", {})
    rows = [[m, v["ndcg@10"], v["recall@100"], v["mrr@10"], cfg.get("labels", {}).get(m, "")]
            for m, v in data["results"].items()]
    md = [f"# BEIR {name}, {split} split ({folder.name})\n",
          f"{data.get('n_queries', '?')} queries, {cfg.get('documents', '?')} documents in "
          f"{cfg.get('chunks', '?')} chunks; index `{cfg.get('data_dir', '')}` "
          f"({'reused' if cfg.get('reused') else 'built'}); {cfg.get('seconds', '?')} s.\n",
          f"Command: `{cfg.get('command', '')}`\n",
          md_table(["mode", "nDCG@10", "recall@100", "MRR@10", "settings"], rows)]
    if baselines:
        md += ["\nPublished nDCG@10 on the test split:\n",
               md_table(["baseline", "nDCG@10"], [[k, v] for k, v in baselines.items()])]
    md += ["\n![modes](modes.png)\n\n![recall@k](recall_at_k.png)\n", comparison_md(prev, changes, got_worse, "queries")]
    (folder / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    return folder
