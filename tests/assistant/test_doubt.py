"""The learned decline check (assistant/doubt.py) on the real corpus index: the bundled model fits the features,
declines out-of-scope questions the rules let through, leaves documents it never saw alone, and `learn`
trains one that loads. The questions below are in no eval set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.core import Assistant
from assistant.doubt import CONFIDENCE_BELOW, MODEL_PATH, SCALARS, VECTORS, DoubtModel, features, judgeable
from ingest.catalog import Catalog
from ingest.settings import Settings

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

# Out of scope, answered by the rules alone; declined with the check.
DOUBTED = [
    "how does the prospectus rate Liverpool's bus services?",
    "how well did Blackpool's tourism season go?",
]
# Answerable, answered with the check too. The first model, trained without the plain sets and judging every
# question, declined the last three.
ANSWERED = [
    "What does Socitm mean by connected places?",
    "how did the vaccine rollout show councils and the NHS working together?",
    "what are the five missions?",  # matched closely: confidence above CONFIDENCE_BELOW, not judged
    "what does socitm say about knife crime?",  # names a section: not judged
    "who is Mariana Mazzucato?",
]


@pytest.fixture(scope="module")
def unchecked(corpus_index):  # type: ignore[no-untyped-def]
    return Assistant(Settings(data_dir=corpus_index, learned_check="off"))


def test_bundled_model_fits_the_features_and_the_corpus(assistant, corpus_index):
    model = DoubtModel.load(MODEL_PATH)
    assert model is not None and assistant.doubt is not None
    ev = assistant.gather(DOUBTED[0], _alone(DOUBTED[0]))
    x = features(ev)
    assert x.shape == model.weights.shape == model.mean.shape == (len(SCALARS) + 384 * len(VECTORS),)
    assert 0.5 < model.threshold < 1.0
    assert model.info["cases"] >= 12000 and model.info["out_of_scope"] >= 4900
    docs = Catalog(corpus_index / "catalog.sqlite3").documents()
    assert docs and all(model.judges(d["doc_id"], d["content_hash"]) for d in docs)
    assert judgeable(ev) and ev.signals.doubt == pytest.approx(model.probability(x), abs=1e-6)
    assert ev.signals.doubt_limit == pytest.approx(model.threshold)


@pytest.mark.parametrize("question", ["What does Socitm mean by connected places?", "what are the five missions?"])
def test_questions_the_guidance_matches_closely_are_left_to_the_rules(assistant, question):
    ev = assistant.gather(question, _alone(question))
    assert not judgeable(ev) and (ev.signals.doubt, ev.signals.doubt_limit) == (0.0, 1.0)
    assert ev.lead or ev.signals.confidence >= CONFIDENCE_BELOW


@pytest.mark.parametrize("question", DOUBTED)
def test_the_check_declines_what_the_rules_would_answer(assistant, unchecked, question):
    assert unchecked.ask(question).answered
    answer = assistant.ask(question)
    assert not answer.answered and not answer.citations
    signals = assistant.gather(question, _alone(question)).signals
    assert signals.doubt > signals.doubt_limit
    assert "learned check" in signals.decline_reason(assistant.settings.decline_threshold)


@pytest.mark.parametrize("question", ANSWERED)
def test_the_check_lets_answerable_questions_through(assistant, question):
    answer = assistant.ask(question)
    assert answer.answered and answer.citations


def test_a_document_the_check_never_saw_is_not_judged(assistant, corpus_index, tmp_path):
    question = DOUBTED[0]
    doc = assistant.gather(question, _alone(question)).hits[0].chunk.doc_id
    model = DoubtModel.load(MODEL_PATH)
    assert model is not None and doc in model.documents
    model.documents[doc] += "-before"  # as if staff had updated the document since the check was trained
    path = tmp_path / "model.json"
    model.save(path)
    changed = Assistant(Settings(data_dir=corpus_index, learned_check=str(path)))
    ev = changed.gather(question, _alone(question))
    assert ev.hits[0].chunk.doc_id == doc
    assert (ev.signals.doubt, ev.signals.doubt_limit) == (0.0, 1.0)
    assert changed.ask(question).answered  # only the rules judge it now, and they let it through
    other = next(d for d in model.documents if d != doc)
    assert changed.doubt is not None and changed.doubt.judges(other, model.documents[other])


def test_a_model_for_other_features_is_ignored(corpus_index, tmp_path):
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    data["features"]["dim"] = 768
    path = tmp_path / "other.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert DoubtModel.load(path) is None
    assert Assistant(Settings(data_dir=corpus_index, learned_check=str(path))).doubt is None
    assert Assistant(Settings(data_dir=corpus_index, learned_check="off")).doubt is None


def test_learn_trains_a_model_that_loads_and_judges(corpus_index, tmp_path):
    out = tmp_path / "model.json"
    files = [ROOT / "tests/assistant/own_cases.jsonl", ROOT / "evals/holdout.jsonl", ROOT / "evals/holdout2.jsonl"]
    run = subprocess.run([sys.executable, "-m", "assistant", "learn", "--data-dir", str(corpus_index),
                          "--model", str(out), *map(str, files)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, run.stderr
    assert f"wrote {out}" in run.stdout and "rules and the check (cross-validated by case file)" in run.stdout
    model = DoubtModel.load(out)
    assert model is not None
    n = sum(1 for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip())
    assert model.info["cases"] == n and model.info["case_files"] == sorted(f.stem for f in files)
    assert np.isfinite(model.weights).all() and np.abs(model.weights).max() > 0
    again = Assistant(Settings(data_dir=corpus_index, learned_check=str(out)))
    ev = again.gather(DOUBTED[0], _alone(DOUBTED[0]))
    assert ev.signals.doubt == pytest.approx(model.probability(features(ev)))
    from assistant.calibrate import case_features

    x, oos, ruled, judged, groups = case_features(again, files[:1], progress=False)
    assert again.doubt is not None  # switched off while the rules' decisions were read, then back on
    assert len(x) == len(oos) == len(ruled) == len(judged) == len(groups) == n_own(files[0])

    bad = subprocess.run([sys.executable, "-m", "assistant", "learn", "--data-dir", str(corpus_index),
                          "--model", str(out), "no-such-cases.jsonl"], capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "no such case file: no-such-cases.jsonl" in bad.stderr


def n_own(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def _alone(question: str):  # type: ignore[no-untyped-def]
    from assistant.condense import Condensed

    return Condensed(question, False)
