"""What a person sees, in a real headless chromium against the running app: answers with sources, source
links, feedback, the staff desk (sign-in, upload, remove), hostile documents shown as text, axe-core."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from apphelpers import ROOT, STAFF_PASSWORD, STAFF_USER, load_pdfs  # type: ignore[import-not-found]

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Gradio's own markup that the app cannot change, excluded narrowly (rule, selector) with the reason:
AXE_EXCLUDED = {
    # gr.File's drop zone is a <button aria-label="Click to upload or drop files"> whose visible text is
    # "Drop File Here - or - Click to Upload": the name and the text differ, inside Gradio's component.
    ("label-content-name-mismatch", "button.upload-container"),
}
FINAL = "[data-testid='bot'] .answer:not(.streaming)"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: run `make browser-deps`")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watch:
    """Dialogs opened and requests made beyond loopback: both must stay empty."""

    def __init__(self, page):  # type: ignore[no-untyped-def]
        self.dialogs: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
                else self.outside.append(r.url))


@pytest.fixture
def page(browser, running_app, request, output_dir):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    watch = Watch(page)
    page.goto(running_app.url + "/")
    page.wait_for_selector("#question textarea")
    page.watch = watch  # type: ignore[attr-defined]
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        page.screenshot(path=str(output_dir / f"failed-{request.node.name}.png"), full_page=True)
    context.close()
    assert watch.dialogs == [], watch.dialogs
    assert watch.outside == [], watch.outside


def ask(page, question: str):  # type: ignore[no-untyped-def]
    """Type a question, press Enter, wait for the finished answer; returns the last bot message."""
    before = page.locator(FINAL).count()
    page.locator("#question textarea").fill(question)
    page.locator("#question textarea").press("Enter")
    page.wait_for_function(f"document.querySelectorAll(\"{FINAL}\").length > {before}"
                           " || document.querySelectorAll(\"[data-testid='bot'] .answer.error\").length > 0")
    return page.locator("[data-testid='bot']").last


def wait_text(page, selector: str, text: str, timeout: float = 60_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the element's visible text contains `text`."""
    page.wait_for_function("([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text],
                           timeout=timeout)


def axe_violations(page) -> list[dict]:  # type: ignore[no-untyped-def]
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => (await axe.run(document)).violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200)}))}))""")
    out = []
    for v in found:
        nodes = [n for n in v["nodes"] if not any(v["id"] == rule and _matches(page, n["target"], sel)
                                                  for rule, sel in AXE_EXCLUDED)]
        if nodes:
            out.append({**v, "nodes": nodes})
    return out


def _matches(page, target: str, selector: str) -> bool:  # type: ignore[no-untyped-def]
    return bool(page.evaluate("([t, s]) => { const e = document.querySelector(t); return !!e && e.matches(s); }",
                              [target, selector]))


def sign_in(page, password: str = STAFF_PASSWORD) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Staff desk").click()
    page.get_by_label("User name").fill(STAFF_USER)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def upload(page, *paths: Path) -> None:  # type: ignore[no-untyped-def]
    """Choose files in the upload box (again if the box was re-rendered meanwhile), then add them."""
    page.locator("#upload").wait_for()
    for attempt in range(3):
        page.locator("#upload input[type=file]").set_input_files([str(p) for p in paths])
        try:
            for p in paths:
                wait_text(page, "#upload", p.name, timeout=20_000)
            break
        except playwright.TimeoutError:
            if attempt == 2:
                raise
    page.get_by_role("button", name="Add documents").click()
    page.locator("#add-message").get_by_text("Documents:").wait_for()


def remove(page, doc_id: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="Staff desk").click()
    page.locator("#doc-pick input").click()
    page.get_by_role("option", name=re.compile(re.escape(f"({doc_id})") + "$")).click()
    page.get_by_role("button", name="Remove", exact=True).click()
    page.locator("#action-message").get_by_text("Removed").wait_for()


def test_member_asks_sees_sources_follows_a_link_and_rates(page, running_app, output_dir, tmp_path):
    assert page.get_by_text("Answers come only from the Socitm guidance").is_visible()
    assert axe_violations(page) == []  # the empty chat, with its example questions
    example = page.get_by_role("button", name="What are Socitm's five missions?")
    example.click()
    page.wait_for_selector(FINAL)
    bot = page.locator("[data-testid='bot']").last
    assert re.search(r"\[\d+\]", bot.inner_text())
    assert not example.is_visible()  # examples only on an empty chat
    cards = bot.locator("details.source")
    assert cards.count() >= 1 and bot.get_by_text("Sources").is_visible()
    cards.first.locator("summary").focus()
    page.keyboard.press("Enter")  # cards open from the keyboard
    assert cards.first.get_attribute("open") is not None
    assert cards.first.locator("mark").count() >= 1 and cards.first.locator("mark").first.is_visible()

    assert axe_violations(page) == []
    page.screenshot(path=str(output_dir / "chat.png"), full_page=True)
    shot = output_dir / "screenshot-chat.png"  # the README's picture: copied to docs/ when missing or asked for
    page.locator("#chat").screenshot(path=str(shot), scale="css", type="png")
    assert shot.stat().st_size < 300_000
    readme_shot = ROOT / "docs" / "screenshot-chat.png"
    if not readme_shot.exists() or os.environ.get("SOCITM_UPDATE_SCREENSHOTS") == "1":
        readme_shot.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, readme_shot)

    link = cards.first.locator("a")
    with page.expect_popup() as popup_info:
        link.click()
    popup = popup_info.value
    popup.wait_for_load_state()
    assert popup.url.startswith(running_app.url + "/files/")
    assert "Socitm" in popup.content()
    popup.close()

    # feedback: thumbs up, then a comment with personal data that is stored redacted
    page.locator("#chat button[aria-label='Like']").last.click()
    page.locator("#feedback-note").get_by_text("Thank you").wait_for()
    page.get_by_label("Comment on the answer you rated (optional)").fill("Useful. Mail me: jo@council.gov.uk")
    page.get_by_role("button", name="Send comment").click()
    page.locator("#feedback-note").get_by_text("comment was saved").wait_for()
    with sqlite3.connect(running_app.data_dir / "feedback.sqlite3") as db:
        rows = db.execute("SELECT rating, comment, question, answered, chunk_ids FROM feedback").fetchall()
    assert rows and rows[-1][0] == 1 and rows[-1][1] == "Useful. Mail me: [email]"
    assert rows[-1][2] == "What are Socitm's five missions?" and rows[-1][3] == 1 and json.loads(rows[-1][4])
    drafts = tmp_path / "drafts.jsonl"  # the evals read this table as it is
    done = subprocess.run([sys.executable, "-m", "evals", "from-feedback", "--data-dir", str(running_app.data_dir),
                           "--out", str(drafts), "--max-rating", "1"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "five missions" in drafts.read_text()

    # a follow-up keeps the conversation; a new conversation clears it
    ask(page, "Tell me more about the first one")
    assert page.locator(FINAL).count() == 2
    page.get_by_role("button", name="New conversation").click()
    page.wait_for_function("document.querySelectorAll(\"[data-testid='bot']\").length === 0")
    assert example.is_visible()


def test_declined_question_shows_topics_not_sources(page):
    bot = ask(page, "What is the best recipe for chocolate brownies?")
    text = bot.inner_text()
    assert "does not cover" in text and "Nearest topics" in text
    assert bot.locator("details.source").count() == 0


def test_staff_sign_in_upload_ask_remove(page, running_app, output_dir, tmp_path):
    sign_in(page, "not-the-password")
    page.locator("#sign-in-message").get_by_text("Wrong user name or password").wait_for()
    assert not page.locator("#desk").is_visible()
    sign_in(page)
    page.locator("#sign-in-message").get_by_text("Signed in as").wait_for()

    pdf = tmp_path / "Heliotrope kiosks.pdf"
    pdf.write_bytes(load_pdfs().text_pdf([["Heliotrope Borough kiosk programme",
                                           "The Heliotrope Borough installed exactly 5813 solar kiosks in its libraries."]],
                                         title="Heliotrope kiosks"))
    upload(page, pdf)
    wait_text(page, "#results", "Added")
    wait_text(page, "#documents", "Heliotrope kiosks")
    # the learned decline check was trained on the corpus documents, not on the new one: the table says so
    wait_text(page, "#documents", "no: retrain")
    table = page.locator("#documents").inner_text()
    assert "Learned check" in table and "\tyes" in table.replace("\n", "\t") + "\t"
    assert axe_violations(page) == []
    page.screenshot(path=str(output_dir / "staff-desk.png"), full_page=True)
    page.get_by_role("tab", name="Evals").click()
    page.get_by_role("button", name="Run eval").wait_for()
    assert axe_violations(page) == []

    page.get_by_role("tab", name="Ask").click()
    bot = ask(page, "How many solar kiosks did Heliotrope Borough install?")
    assert "5813" in bot.inner_text()
    assert bot.locator("details.source summary").get_by_text("Heliotrope kiosks").count() >= 1
    href = bot.locator("details.source a").first.get_attribute("href")
    assert href and href.startswith("files/heliotrope-kiosks")
    served = page.request.get(running_app.url + "/" + href.split("#")[0])
    assert served.status == 200 and served.headers["content-type"] == "application/pdf"
    assert served.body().startswith(b"%PDF-")

    remove(page, "heliotrope-kiosks")
    page.get_by_role("tab", name="Ask").click()
    bot = ask(page, "How many solar kiosks did Heliotrope Borough install?")
    assert "5813" not in bot.inner_text()
    assert page.request.get(running_app.url + "/files/heliotrope-kiosks").status == 404
    audit = (running_app.data_dir / "audit.log").read_text()
    assert '"what": "add documents"' in audit and '"what": "remove document"' in audit


def test_hostile_document_text_is_shown_as_text(page, running_app, tmp_path):
    doc = tmp_path / "hostile.md"
    doc.write_text(
        "# Quokka <img src=x onerror=\"window.__xss=4;alert(4)\"> guide\n\n"
        "The Quokka Valley council adopted exactly 6247 accessible kiosks. "
        "<script>window.__xss=1;alert(1)</script> "
        "<img src=x onerror=\"window.__xss=2;alert(2)\"> "
        "![tracker](http://evil.example/pixel.png) "
        "[click here](javascript:window.__xss=3;alert(3)) "
        "<a href=\"javascript:alert(5)\">link</a> $$\\alert$$\n", encoding="utf-8")
    sign_in(page)
    page.locator("#sign-in-message").get_by_text("Signed in as").wait_for()
    upload(page, doc)
    wait_text(page, "#results", "Added")
    page.get_by_role("tab", name="Ask").click()
    bot = ask(page, "How many accessible kiosks did the Quokka Valley council adopt?")
    card = bot.locator("details.source").first
    card.locator("summary").click()
    text = card.inner_text()
    assert "6247" in bot.inner_text()
    assert "<script>window.__xss=1;alert(1)</script>" in text
    assert "![tracker](http://evil.example/pixel.png)" in text and "javascript:window.__xss=3" in text
    assert "onerror" in card.locator("summary").inner_text()  # the title, shown as text
    chat = page.locator("#chat")
    assert chat.locator("script").count() == 0 and chat.locator("img").count() == 0
    assert chat.locator("a[href^='javascript']").count() == 0
    assert all(h.startswith(("files/", "http://", "https://"))
               for h in chat.locator(".answer a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    page.get_by_role("tab", name="Staff desk").click()
    wait_text(page, "#documents", "Quokka <img")
    assert page.locator("#documents img").count() == 0
    assert page.evaluate("window.__xss") is None
    remove(page, "hostile")


def test_source_file_of_removed_or_unknown_document_is_not_served(page, running_app):
    for path in ("/files/nope", "/files/..%2Fcatalog.sqlite3", "/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd"):
        assert page.request.get(running_app.url + path).status == 404
