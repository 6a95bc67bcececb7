"""Sentence units are verbatim pieces of what a chunk shows; answers number only what they cite."""

from __future__ import annotations

import numpy as np

from assistant.extractive import Unit, compose, pick, split_units
from assistant.kinds import holds, wanted_kinds
from assistant.retriever import Hit
from ingest.records import Chunk

TABLE = ("How to think about it with:\nPlace-based leadership | Practical placemaking | Connected places |\n"
         "Place-based leadership: Work with the green energy sector. Identifying local assets.; Practical "
         "placemaking: Empower residents to adopt net zero targets.; Connected places: Provide tools and data.")


def _chunk(text: str, display: str = "", cid: str = "d:1") -> Chunk:
    return Chunk(chunk_id=cid, doc_id="d", text=text, start=0, end=len(text), section=("S",), page=None,
                 title="Doc", display=display)


def test_units_of_a_plain_chunk_are_verbatim_and_skip_lead_ins():
    text = ("Socitm encourages members to create sustainable places through:\n- Energy: Adopting renewable energy "
            "sources. Smart grids help.\nChild poverty. Public safety. Net zero. And many more.\n1. Kickstart growth")
    units = split_units(_chunk(text))
    texts = [t for _, t in units]
    for start, t in units:
        assert text[start:start + len(t)] == t
    assert any(t.startswith("Energy: Adopting renewable energy sources.") for t in texts)  # no bullet marker
    assert not any(t.endswith(":") for t in texts)
    assert any(t.startswith("Child poverty.") and "Net zero." in t for t in texts)  # short sentences kept together


def test_a_pictures_description_is_not_quoted():
    text = ("The Socitm and Socitm Advisory logos next to an illustration of a woman holding a laptop and standing "
            "on a map. It's title is levelling up: our view. A picture of health in the borough emerges from the "
            "data. Images of places matter to residents.")
    texts = [t for _, t in split_units(_chunk(text))]
    assert not any("logos" in t for t in texts)
    assert any(t.startswith("A picture of health") for t in texts)  # a sentence, not a caption
    assert any(t.startswith("Images of places") for t in texts)


def test_units_of_a_table_chunk_are_cells_of_its_readable_rows():
    chunk = _chunk("raw | table |", display=TABLE)
    units = split_units(chunk)
    texts = [t for _, t in units]
    assert "Practical placemaking: Empower residents to adopt net zero targets." in texts
    assert not any("|" in t for t in texts)
    for start, t in units:
        assert chunk.shown[start:start + len(t)] == t


def test_compose_numbers_only_cited_chunks_in_order_of_rank():
    hits = [Hit(_chunk("A one. A two.", cid="d:a"), 0.9), Hit(_chunk("B one.", cid="d:b"), 0.8),
            Hit(_chunk("C one.", cid="d:c"), 0.7)]
    picked = [Unit("C one.", 0, 2), Unit("A two.", 7, 0), Unit("A one.", 0, 0)]
    text, cites = compose(picked, hits)
    assert text == "A one. [1] A two. [1]\n\nC one. [2]"
    assert [(c.n, c.chunk.chunk_id, c.sentences) for c in cites] == [(1, "d:a", ["A one.", "A two."]),
                                                                      (2, "d:c", ["C one."])]


def test_pick_keeps_two_to_five_distinct_sentences_near_the_best():
    rng = np.random.default_rng(0)
    units = []
    for i, score in enumerate([0.9, 0.88, 0.85, 0.84, 0.83, 0.5]):
        v = rng.normal(size=8)
        units.append(Unit(f"s{i}", i, i, sim=score, score=score, vector=v / np.linalg.norm(v)))
    units.append(Unit("s0", 0, 9, sim=0.86, score=0.86, vector=units[0].vector))  # the same text again
    chosen = pick(sorted(units, key=lambda u: -u.score))
    assert 2 <= len(chosen) <= 5
    assert len({u.text for u in chosen}) == len(chosen)
    assert all(u.score > 0.6 for u in chosen)


def test_pick_quotes_another_passage_before_more_of_the_first():
    # The best passage has five good sentences; the second passage's best is a little weaker. The answer
    # quotes the second passage as well (the passage that answers is often not the first hit), and the
    # first passage's fifth sentence is still quoted: up to five in all.
    basis = np.eye(8)
    units = [Unit(f"first {i}", i * 10, 0, sim=s, score=s, vector=basis[i]) for i, s in enumerate([0.9, 0.89, 0.88,
                                                                                                     0.87, 0.86])]
    units.append(Unit("second 0", 0, 1, sim=0.84, score=0.84, vector=basis[6]))
    chosen = pick(sorted(units, key=lambda u: -u.score))
    assert [u.text for u in chosen][:2] == ["first 0", "second 0"]
    assert len(chosen) == 5


def test_questions_asking_for_a_kind_of_fact():
    assert wanted_kinds("How much does a strategic review cost?") == [("money", "")]
    assert wanted_kinds("How many members does Socitm have?") == [("count", "")]
    assert wanted_kinds("When is the next conference?") == [("date", ""), ("organisation", "conference")]
    assert wanted_kinds("Who is the current president of Socitm?") == [("role", "president")]
    assert wanted_kinds("When should citizens be brought in?") == []
    assert holds("It has allocated £1.4 million.", "money") and not holds("It funds projects.", "money")
    assert holds("Our 2,500+ members", "count") and not holds("Digital Vision 2030", "count")
    assert holds("In May 2011, we set out", "date") and not holds("early on", "date")
