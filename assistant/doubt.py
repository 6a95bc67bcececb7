"""A learned check on top of the decline rules: how likely a question is to be out of scope.

The rules (decline.py, kinds.py) know the kinds of question the guidance cannot answer that someone has seen and
named. Every eval set written so far still brought new kinds. This check learns the rest from the labelled
eval cases: a logistic regression over the decline signals and the vectors the assistant already has for a
question (the question, the search query, the best sentence, the sentence holding the fact asked for). It only
ever adds declines, and only above a threshold chosen by cross-validation to cost at most `ANSWER_LOSS` of
the answerable questions the rules answer.

It judges only questions whose best passage comes from a document it was trained with, in the version it was
trained with (`documents`: doc id => content hash). Staff adding or updating a document do not make it decline
questions about text it never saw; retrain with `python -m assistant learn` after the corpus or the eval set
changes (CALIBRATION.md, "The learned check").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from .core import Evidence

MODEL_PATH = Path(__file__).with_name("doubt_model.json")
DIM = 384
SCALARS = ("dense", "sentence", "coverage", "confidence", "follow_up", "sim1", "sim2", "sim3", "found", "wanted")
VECTORS = ("question*best", "search*best", "question*found", "question")
ANSWER_LOSS = 0.005  # share of rule-answered answerable questions the threshold may decline (cross-validated)
FOLDS = 5
C = 0.1  # inverse strength of the L2 penalty
CONFIDENCE_BELOW = 0.6  # the check judges only questions whose evidence is no better than middling


def features(ev: Evidence) -> np.ndarray:
    """The check's inputs for one question, from what `Assistant.gather` found (same order as SCALARS, VECTORS)."""
    s = ev.signals
    zero = np.zeros(DIM, dtype=np.float32)
    q = ev.vector if ev.vector is not None else zero
    c = ev.search_vector if ev.search_vector is not None else q  # a follow-up's condensed query
    sims = [u.sim for u in ev.units[:3]] + [0.0] * 3
    best = ev.units[0].vector if ev.units and ev.units[0].vector is not None else zero
    found = s.found.vector if s.found is not None and s.found.vector is not None else zero
    scalars = [s.dense, s.sentence, s.coverage, s.confidence, float(ev.search.dependent),
               *sims[:3], float(s.found is not None), float(bool(s.wanted))]
    return np.concatenate([np.asarray(scalars, dtype=np.float32), q * best, c * best, q * found, q])


def judgeable(ev: Evidence) -> bool:
    """Is this a question the check may judge? Not when the guidance matches it closely (confidence at least
    CONFIDENCE_BELOW: "what are the five missions?") or it names a section of the guidance ("what does Socitm
    say about knife crime?"): the eval sets, whose quotes cannot be headings, hold few questions like these, and
    the check learnt nothing about them."""
    return ev.signals.confidence < CONFIDENCE_BELOW and not ev.lead


@dataclass
class DoubtModel:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float
    documents: dict[str, str]  # doc id => content hash of the version the cases were answered from
    info: dict[str, Any] = field(default_factory=dict)  # what it was trained on and how it measured

    def probability(self, x: np.ndarray) -> float:
        """For one question's features."""
        return float(self.probabilities(x[None, :])[0])

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """For a matrix of features, one question a row."""
        return _probabilities(x, self.mean, self.scale, self.weights, self.bias)

    def judges(self, doc_id: str, content_hash: str) -> bool:
        """Was the check trained on this document, as it is now?"""
        return self.documents.get(doc_id) == content_hash

    def save(self, path: Path) -> None:
        data = {"info": self.info, "threshold": self.threshold, "bias": self.bias,
                "features": {"scalars": list(SCALARS), "vectors": list(VECTORS), "dim": DIM},
                "documents": self.documents,
                "mean": [round(float(v), 6) for v in self.mean], "scale": [round(float(v), 6) for v in self.scale],
                "weights": [round(float(v), 6) for v in self.weights]}
        # one key a line: the info and documents stay readable in a diff, the numbers stay compact
        lines = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in data.items()]
        path.write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> DoubtModel | None:
        """The model at `path`, or None when there is none or it was made for other features."""
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        spec = data.get("features", {})
        if spec != {"scalars": list(SCALARS), "vectors": list(VECTORS), "dim": DIM}:
            return None
        arr = {k: np.asarray(data[k], dtype=np.float32) for k in ("mean", "scale", "weights")}
        return cls(arr["mean"], arr["scale"], arr["weights"], float(data["bias"]), float(data["threshold"]),
                   dict(data["documents"]), dict(data.get("info", {})))


def model_for(setting: str) -> DoubtModel | None:
    """The model a `learned_check` setting names: "" the bundled one, a file, or "off" for none."""
    if setting.strip().lower() == "off":
        return None
    return DoubtModel.load(Path(setting) if setting.strip() else MODEL_PATH)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -50, 50))))


def _probabilities(x: np.ndarray, mean: np.ndarray, scale: np.ndarray, w: np.ndarray, b: float) -> np.ndarray:
    return _sigmoid(((x - mean) / scale) @ w + b)


def declines(probability: np.ndarray, threshold: float, ruled: np.ndarray, judged: np.ndarray) -> np.ndarray:
    """The decisions of the rules and the check together: declined by a rule, or judged and doubted."""
    return ruled | (judged & (probability > threshold))


def rates(declined: np.ndarray, out_of_scope: np.ndarray) -> dict[str, float]:
    """Shares of answerable cases answered and of out-of-scope cases declined."""
    def share(mask: np.ndarray, of: np.ndarray) -> float:
        return round(float(mask[of].mean()) if of.any() else 0.0, 4)

    return {"answered": share(~declined, ~out_of_scope), "declined": share(declined, out_of_scope)}


def fit(x: np.ndarray, y: np.ndarray, c: float = C) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """L2-penalised logistic regression on standardised inputs: (mean, scale, weights, bias)."""
    from scipy.optimize import minimize

    mean, scale = x.mean(0), x.std(0) + 1e-6
    z = ((x - mean) / scale).astype(np.float64)
    t = y.astype(np.float64)

    def loss(p: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = p[:-1], p[-1]
        m = z @ w + b
        prob = _sigmoid(m)
        nll = float(np.sum(np.logaddexp(0.0, m) - t * m))
        g = prob - t
        return nll + 0.5 / c * float(w @ w), np.append(z.T @ g + w / c, g.sum())

    p = minimize(loss, np.zeros(z.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 2000}).x
    return mean.astype(np.float32), scale.astype(np.float32), p[:-1].astype(np.float32), float(p[-1])


def cross_validated(x: np.ndarray, y: np.ndarray, groups: np.ndarray, folds: int = FOLDS) -> np.ndarray:
    """Each case's probability from a model fitted without its group (its case file)."""
    out = np.zeros(len(y))
    names = np.unique(groups)
    for k in range(folds):
        held = np.isin(groups, names[k::folds])
        out[held] = _probabilities(x[held], *fit(x[~held], y[~held]))
    return out


def train(x: np.ndarray, out_of_scope: np.ndarray, ruled: np.ndarray, judged: np.ndarray, groups: np.ndarray,
          documents: dict[str, str], info: dict[str, Any]) -> DoubtModel:
    """Fit on every case; choose the threshold from cross-validated probabilities so that at most ANSWER_LOSS of
    the answerable cases the rules answer (`ruled` is False) and the check may judge (`judged`) are declined."""
    cv = cross_validated(x, out_of_scope, groups)
    kept = ~out_of_scope & ~ruled & judged
    threshold = float(np.quantile(cv[kept], 1 - ANSWER_LOSS)) if kept.any() else 1.0
    info = {**info, "cases": int(len(out_of_scope)), "out_of_scope": int(out_of_scope.sum()),
            "cross_validated": {
                "folds": FOLDS, "answer_loss": ANSWER_LOSS, "rules": rates(ruled, out_of_scope),
                "rules_and_check": rates(declines(cv, threshold, ruled, judged), out_of_scope)},
            "confidence_below": CONFIDENCE_BELOW, "c": C}
    mean, scale, w, b = fit(x, out_of_scope)
    return DoubtModel(mean, scale, w, b, threshold, documents, info)
