"""The running app over HTTP: gradio_client calls, the /files route, and staff endpoints refusing callers
without a session (through the client, the REST call route and a raw queue join by fn_index)."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import sqlite3
import urllib.error
import urllib.request
import uuid
from html import unescape
from pathlib import Path

import httpx
import pytest
from apphelpers import ROOT, STAFF_PASSWORD, STAFF_USER, load_pdfs  # type: ignore[import-not-found]
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

pytestmark = pytest.mark.slow

# Every staff endpoint but sign-in/sign-out must refuse a caller without a session. Sign-in is how a
# session starts (it is rate-limited instead); sign-out without a session has nothing to end.
OPEN_STAFF = {"/staff_sign_in", "/staff_sign_out"}
NOT_SIGNED_IN = re.compile(r"sign in", re.IGNORECASE)


def client(app) -> Client:  # type: ignore[no-untyped-def]
    return Client(app.url, verbose=False, analytics_enabled=False, download_files=False)


def content(message: dict) -> str:
    """A chat message's HTML (Gradio 6 sends content as a list of typed parts)."""
    value = message["content"]
    if isinstance(value, list):
        value = "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in value)
    return str(value)


def ask(c: Client, question: str) -> tuple[str, str]:
    """(HTML of the answer message, its visible text)."""
    chat = c.predict(question, api_name="/ask")[0]
    html = content(chat[-1])
    return html, unescape(re.sub(r"<[^>]+>", " ", html))


def raw_get(app, path: str) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
    host, port = app.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=30)
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


def endpoints(app) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(app.url + "/gradio_api/info") as r:
        return json.load(r)["named_endpoints"]


def config(app) -> dict:  # type: ignore[no-untyped-def]
    with urllib.request.urlopen(app.url + "/config") as r:
        return json.load(r)


def test_member_question_gets_a_cited_answer_with_sources(running_app):
    html, text = ask(client(running_app), "What are Socitm's five missions?")
    assert re.search(r"\[\d+\]", text), text
    assert "Sources" in text and '<details class="source"' in html
    assert "<mark>" in html


def test_out_of_scope_question_is_declined_without_sources(running_app):
    html, text = ask(client(running_app), "What is the best recipe for chocolate brownies?")
    assert "<details" not in html
    assert "Nearest topics" in text or "declined" in html


def test_files_route_serves_originals_and_nothing_else(running_app):
    docs = [p.name for p in (running_app.data_dir / "files").iterdir()]
    assert docs
    r = httpx.get(f"{running_app.url}/files/{docs[0]}")
    assert r.status_code == 200 and r.content
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-type"].startswith(("text/plain", "application/pdf", "text/html"))
    if r.headers["content-type"].startswith("text/"):
        assert "sandbox" in r.headers["content-security-policy"]
    for bad in ("..%2Fcatalog.sqlite3", "%2e%2e", "..", "nope", f"{docs[0]}%2F..%2F..%2Fcatalog.sqlite3",
                "%2Fetc%2Fpasswd", "..%5C..%5Ccatalog.sqlite3", f"{docs[0]}/../../catalog.sqlite3", "."):
        status, body = raw_get(running_app, f"/files/{bad}")  # sent as is, no client-side normalising
        assert status == 404 or (status == 200 and b"<html" in body[:2000].lower()), bad
        assert b"SQLite" not in body and b"root:" not in body
    # Gradio's own file route does not serve the data directory either
    r = httpx.get(f"{running_app.url}/gradio_api/file={running_app.data_dir / 'catalog.sqlite3'}")
    assert r.status_code in (403, 404) and b"SQLite" not in r.content


def test_every_staff_endpoint_refuses_without_a_session(running_app):
    named = endpoints(running_app)
    staff = sorted(n for n in named if n.startswith("/staff_"))
    assert {"/staff_add", "/staff_remove", "/staff_reindex", "/staff_restore", "/staff_documents",
            "/staff_evals"} <= set(staff)
    c = client(running_app)
    for name in staff:
        if name in OPEN_STAFF:
            continue
        # (a dropdown value outside the session's choices is refused by Gradio before the handler runs,
        # so None is sent to reach the handler's own check)
        args = [None if p["component"] in ("File", "Dropdown") else "dev" if p["component"] == "Radio" else ""
                for p in named[name]["parameters"]]
        with pytest.raises(AppError, match=NOT_SIGNED_IN):
            c.predict(*args, api_name=name)
        if any(p["component"] == "Dropdown" for p in named[name]["parameters"]):
            with pytest.raises(AppError):
                c.predict(*["socitm-prospectus-five-missions" if a is None else a for a in args], api_name=name)
    # the REST call route goes through the same handlers
    r = httpx.post(f"{running_app.url}/gradio_api/call/staff_remove", json={"data": [None]})
    event = r.json()["event_id"]
    stream = httpx.get(f"{running_app.url}/gradio_api/call/staff_remove/{event}", timeout=30).text
    assert "event: error" in stream and NOT_SIGNED_IN.search(stream)


def queue_call(app, fn_index: int, data: list) -> str:  # type: ignore[no-untyped-def]
    """Join the queue directly, as a hostile script would, and return the event stream text."""
    session = uuid.uuid4().hex[:11]
    r = httpx.post(f"{app.url}/gradio_api/queue/join",
                   json={"data": data, "fn_index": fn_index, "session_hash": session, "event_data": None,
                         "trigger_id": None})
    if r.status_code != 200:
        return f"join refused {r.status_code} {r.text}"
    out = []
    with httpx.stream("GET", f"{app.url}/gradio_api/queue/data", params={"session_hash": session}, timeout=60) as s:
        for line in s.iter_lines():
            out.append(line)
            if "process_completed" in line:
                break
    return "\n".join(out)


def test_raw_queue_join_by_fn_index_is_refused_for_every_staff_handler(running_app):
    deps = config(running_app)["dependencies"]
    staff_fns = []
    for i, dep in enumerate(deps):
        fn_index = dep.get("id", i)
        name = dep.get("api_name") or ""
        if name.startswith("staff_") and f"/{name}" not in OPEN_STAFF:
            staff_fns.append((fn_index, dep))
    assert len(staff_fns) >= 6
    for fn_index, dep in staff_fns:
        data = [None] * len(dep["inputs"])
        stream = queue_call(running_app, fn_index, data)
        assert "process_completed" in stream, stream  # the handler ran ...
        final = json.loads(stream.split("data:")[-1].strip())
        assert final.get("success") is False, (dep.get("api_name"), stream[-500:])  # ... and refused
        assert NOT_SIGNED_IN.search(json.dumps(final)), stream[-500:]
    # nothing was removed or changed
    with sqlite3.connect(running_app.data_dir / "catalog.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone()[0] >= 2
    audit = (running_app.data_dir / "audit.log").read_text().splitlines()
    assert sum('"refused: not signed in"' in line for line in audit) >= len(staff_fns)


def test_sign_in_rate_limit_and_staff_actions_over_the_api(running_app, tmp_path):
    c = client(running_app)
    out = c.predict("bob", "wrong", api_name="/staff_sign_in")
    assert any("Wrong user name or password" in str(o) for o in out)
    for _ in range(5):
        out = c.predict("bob", "wrong", api_name="/staff_sign_in")
    assert any("Too many failed sign-ins" in str(o) for o in out)
    out = c.predict("bob", "bobs-password-1", api_name="/staff_sign_in")  # right password, still waiting
    assert any("Too many failed sign-ins" in str(o) for o in out)
    with pytest.raises(AppError, match=NOT_SIGNED_IN):
        c.predict(api_name="/staff_documents")

    staff = client(running_app)
    out = staff.predict(STAFF_USER, STAFF_PASSWORD, api_name="/staff_sign_in")
    assert any("Signed in as" in str(o) for o in out)
    docs = staff.predict(api_name="/staff_documents")
    assert "socitm-prospectus-five-missions" in json.dumps(docs)

    pdf = tmp_path / "Moonbase budget.pdf"
    pdf.write_bytes(load_pdfs().text_pdf([["Moonbase Council digital budget",
                                           "The Moonbase Council set its quantum kiosk budget at 917 thousand pounds."]],
                                         title="Moonbase budget"))
    bad = tmp_path / "payload.pdf"
    bad.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 20)
    message, results, *_ = staff.predict([handle_file(str(pdf)), handle_file(str(bad))], "ftp://nope.example",
                                         api_name="/staff_add")
    rows = {r[0]: r for r in results["data"]}
    assert rows["Moonbase budget.pdf"][1] == "Added", rows
    assert rows["payload.pdf"][1] == "FAILED" and "not a supported document" in rows["payload.pdf"][4]
    assert rows["ftp://nope.example"][1] == "FAILED"
    html, text = ask(client(running_app), "What is the Moonbase Council quantum kiosk budget?")
    assert "917" in text and "Moonbase" in text and "<details" in html

    out = staff.predict("moonbase-budget", api_name="/staff_remove")
    assert "Removed" in str(out[0])
    html, text = ask(client(running_app), "What is the Moonbase Council quantum kiosk budget?")
    assert "917" not in text
    out = staff.predict("moonbase-budget", api_name="/staff_restore")
    assert "restored" in str(out[0]).lower()
    out = staff.predict("moonbase-budget", api_name="/staff_remove")
    audit = [json.loads(line) for line in (running_app.data_dir / "audit.log").read_text().splitlines()]
    done = {(a["who"], a["what"], a["outcome"]) for a in audit}
    assert {(STAFF_USER, "add documents", "partly failed"), (STAFF_USER, "remove document", "ok"),
            (STAFF_USER, "restore document", "ok"), ("bob", "sign-in", "rate-limited")} <= done
    staff.predict(api_name="/staff_sign_out")
    with pytest.raises(AppError, match=NOT_SIGNED_IN):
        staff.predict(api_name="/staff_documents")


def test_no_gradio_file_listing_or_api_docs_leak(running_app):
    try:
        with urllib.request.urlopen(running_app.url + "/docs") as r:
            assert r.status != 200
    except urllib.error.HTTPError as e:
        assert e.code == 404


def test_staff_runs_the_retrieval_eval_and_sees_metrics_and_plots(running_app):
    staff = client(running_app)
    staff.predict(STAFF_USER, STAFF_PASSWORD, api_name="/staff_sign_in")
    message, metrics, plots = staff.predict("dev", False, api_name="/staff_evals")
    assert "Retrieval eval of the dev cases finished" in message, message
    table = {row[0]: row[1] for row in metrics["data"]}
    assert 0.5 <= table["retrieval (hybrid) hit@5"] <= 1.0 and "cases" in table
    assert len(plots) >= 2  # the PNGs the eval wrote in its report folder
    report = re.search(r"Report: (\S+?)\.?$", message)
    assert report
    folder = ROOT / report.group(1) if not report.group(1).startswith("/") else Path(report.group(1))
    assert (folder / "report.md").is_file()
    shutil.rmtree(folder)  # evals/reports/ is the team's; leave no test runs in it
    audit = (running_app.data_dir / "audit.log").read_text()
    assert '"what": "run evals", "outcome": "ok"' in audit
