"""`python -m evals run` on the real corpus index with a small eval set of its own."""

from __future__ import annotations

import json

import pytest

from evals.__main__ import main
from evals.cases import load_cases
from ingest.errors import SocitmError

PROSPECTUS = "socitm-prospectus-five-missions"
CASES = [
    {"id": "q001", "split": "dev", "section": "3. Take back our streets", "question": "How can councils make streets safer?",
     "answerable": True, "relevant": [{"doc": PROSPECTUS, "quote": "Identify and target crime hotspots."}]},
    {"id": "q002", "split": "test", "section": "Levelling up – a Socitm response",
     "question": "What narrative is Socitm developing for levelling up?", "answerable": True,
     "relevant": [{"doc": "levelling-up-socitm-response", "quote": "Socitm is developing a narrative around Regeneration"}]},
    {"id": "f001", "split": "dev", "section": "3. Take back our streets",
     "turns": ["What does Socitm say about crime?", "Which partners are in community safety partnerships?"],
     "answerable": True, "relevant": [{"doc": PROSPECTUS, "quote": "CSPs bring together local authorities, police, fire services"}]},
    {"id": "u001", "split": "dev", "question": "Who won the Premier League in 2016?", "answerable": False,
     "relevant": []},
]


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES), encoding="utf-8")
    return path


@pytest.mark.slow
def test_run_prints_one_json_object_and_writes_a_report(corpus_index, case_file, tmp_path, capsys):
    reports = tmp_path / "reports"
    args = ["run", "--set", str(case_file), "--split", "dev", "--data-dir", str(corpus_index), "--json", "--quiet",
            "--reports", str(reports)]
    assert main(args) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)  # exactly one JSON object on stdout
    assert set(out) == {"n", "retrieval", "answers", "followups"}
    assert out["n"] == 3
    assert set(out["retrieval"]) == {"hit@1", "hit@5", "recall@10", "mrr@10", "ndcg@10"}
    assert set(out["answers"]) == {"answered_when_answerable", "declined_when_unanswerable", "citation_precision"}
    assert set(out["followups"]) == {"hit@5", "mrr@10"}
    assert out["retrieval"]["hit@5"] == 1.0 and out["followups"]["hit@5"] == 1.0
    assert out["answers"]["declined_when_unanswerable"] == 1.0 and out["answers"]["answered_when_answerable"] == 1.0
    assert "Report:" in captured.err

    folder = next(reports.iterdir())
    data = json.loads((folder / "results.json").read_text())
    assert set(data["modes"]) == {"dense", "bm25", "hybrid"}
    assert len(data["recall_curve"]["hybrid"]) == 20
    by_id = {c["id"]: c for c in data["per_case"]}
    assert by_id["f001"]["search_query"]  # condensed by the Assistant
    assert by_id["u001"]["answered"] is False
    for name in ("report.md", "modes.png", "recall_at_k.png", "sections.png"):
        assert (folder / name).is_file()

    assert main([*args, "--per-case", "--no-report"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"n", "retrieval", "answers", "followups", "per_case"}
    assert len(list(reports.iterdir())) == 1


def test_run_without_an_index_says_how_to_build_one(tmp_path, case_file, capsys):
    assert main(["run", "--set", str(case_file), "--data-dir", str(tmp_path / "empty"), "--no-report"]) == 2
    assert "python -m ingest corpus/" in capsys.readouterr().err


def test_cases_are_checked_when_loaded(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "q1", "question": "x", "answerable": true, "relevant": []}\n', encoding="utf-8")
    with pytest.raises(SocitmError, match="needs at least one quote"):
        load_cases(path)
    path.write_text('{"id": "fb001", "question": "x", "answerable": true, "needs_review": true, "relevant": []}\n')
    with pytest.raises(SocitmError, match="draft"):
        load_cases(path)
    path.write_text('{"id": "q1", "question": "x", "answerable": false, "split": "dev"}\nnot json\n')
    with pytest.raises(SocitmError, match="bad.jsonl:2"):
        load_cases(path)
    with pytest.raises(SocitmError, match="no cases in split 'test'"):
        path.write_text('{"id": "q1", "question": "x", "answerable": false, "split": "dev"}\n')
        load_cases(path, "test")
