"""Report folders: plots, results, and the comparison with the previous report."""

from __future__ import annotations

import json

from evals.report import deltas, worse, write_beir_report, write_run_report


def _run_data(hit_case_2: bool, hit1: float) -> dict:
    def case(cid: str, section: str, held: list[list[int]]) -> dict:
        return {"id": cid, "kind": "single", "section": section, "question": f"question {cid}", "search_query": cid,
                "answered": True, "metrics": {"hit@5": float(any(held[:5]))}, "rankings": {"hybrid": {"held": held}}}

    cases = [case("q001", "A", [[0], [], []]),
             case("q002", "B", [[], [0]] if hit_case_2 else [[], [], [], [], [], [0]]),
             {"id": "u001", "kind": "unanswerable", "section": "", "question": "off topic", "search_query": "x",
              "answered": False, "metrics": {}, "rankings": {}}]
    retrieval = {"hit@1": hit1, "hit@5": 1.0, "recall@10": 1.0, "mrr@10": 0.75, "ndcg@10": 0.8}
    return {"kind": "run", "n": 3, "config": {"mode": "hybrid", "split": "dev", "set": "cases.jsonl", "fusion": "convex",
                                             "alpha": 0.5, "data_dir": "d", "assistant": True, "seconds": 1.0},
            "retrieval": retrieval, "answers": {"answered_when_answerable": 1.0, "declined_when_unanswerable": 1.0,
                                                "citation_precision": 1.0},
            "followups": {"hit@5": None, "mrr@10": None}, "modes": {"hybrid": retrieval, "bm25": retrieval},
            "followups_by_mode": {"hybrid": {"hit@5": None, "mrr@10": None}},
            "recall_curve": {"hybrid": [0.5] * 20}, "by_section": {"A": 1.0, "B": 1.0}, "missing_docs": [],
            "per_case": cases}


def test_run_report_has_plots_and_names_cases_that_got_worse(tmp_path):
    first = write_run_report(_run_data(True, 0.5), tmp_path)
    second = write_run_report(_run_data(False, 0.25), tmp_path)
    for folder in (first, second):
        for name in ("report.md", "results.json", "modes.png", "recall_at_k.png", "sections.png"):
            assert (folder / name).stat().st_size > 0, name
    data = json.loads((second / "results.json").read_text())
    assert data["compared_with"] == first.name
    assert data["deltas"]["retrieval.hit@1"] == -0.25
    assert [w["id"] for w in data["worse"]] == ["q002"]
    assert data["worse"][0] == {"id": "q002", "before": 2, "after": 6, "lost_hit@5": True}
    md = (second / "report.md").read_text()
    assert "q002: rank 2 → 6 (hit@5 lost)" in md and "retrieval.hit@1 | -0.2500" in md
    assert "No earlier report" in (first / "report.md").read_text()


def test_beir_report_compares_only_the_same_dataset_and_split(tmp_path):
    def data(name: str, ndcg: float, rank: int | None) -> dict:
        return {"kind": "beir", "dataset": name, "split": "test", "n_queries": 1,
                "results": {"hybrid": {"ndcg@10": ndcg, "recall@100": 1.0, "mrr@10": ndcg}},
                "baselines": {"BM25": 0.665}, "config": {}, "recall_curve": {"hybrid": [1.0] * 100},
                "per_query": {"hybrid": {"1": {"rank": rank}}}}

    write_beir_report(data("one", 0.9, 1), tmp_path)
    write_beir_report(data("two", 0.1, None), tmp_path)
    third = write_beir_report(data("one", 0.5, 2), tmp_path)
    result = json.loads((third / "results.json").read_text())
    assert result["deltas"]["results.hybrid.ndcg@10"] == -0.4
    assert result["worse"] == [{"id": "hybrid:1", "before": 1, "after": 2, "lost_hit@10": False}]
    assert (third / "modes.png").stat().st_size > 0 and (third / "recall_at_k.png").stat().st_size > 0


def test_deltas_and_worse_helpers():
    assert deltas({"a": {"b": 1.0, "c": None}, "d": True}, {"a": {"b": 0.5, "c": 1.0}, "d": False}) == {"a.b": -0.5}
    got = worse({"x": 1, "y": 3, "z": None, "w": 2}, {"x": 1, "y": None, "z": 1, "w": 1}, 5)
    assert got == [{"id": "y", "before": 3, "after": None, "lost_hit@5": True}]
