"""The web app: a thin Gradio adapter over `assistant` and `ingest`. Run: python app.py

Members chat without signing in; staff sign in on the Staff desk tab to add, remove, re-index and
restore documents and to run evals. Every staff handler checks the session token itself: Gradio
exposes each handler over HTTP, so hiding a button protects nothing.
"""

from __future__ import annotations

import os

# No outbound network: set before gradio, huggingface_hub or chromadb are imported.
for _key, _value in {"GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
                     "HF_HUB_DISABLE_TELEMETRY": "1", "ANONYMIZED_TELEMETRY": "False", "DO_NOT_TRACK": "1",
                     "TOKENIZERS_PARALLELISM": "false", "GRADIO_RUN_HISTORY": "False"}.items():
    os.environ[_key] = _value

from ingest.settings import Settings  # noqa: E402  (light: no model, no gradio)

# Uploads and other temporary files stay inside the data directory unless told otherwise.
os.environ.setdefault("GRADIO_TEMP_DIR", str(Settings.from_env().data_dir / "gradio-tmp"))

import argparse  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import urllib.parse  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402
from fastapi import FastAPI, HTTPException  # noqa: E402
from fastapi.responses import FileResponse  # noqa: E402

from assistant import ui  # noqa: E402
from assistant.condense import Condensed  # noqa: E402
from assistant.core import Assistant  # noqa: E402
from assistant.desk import Desk, names_of  # noqa: E402
from assistant.doubt import model_for  # noqa: E402
from assistant.evals_view import run_evals  # noqa: E402
from assistant.feedback import FeedbackStore  # noqa: E402
from assistant.index import Index  # noqa: E402
from assistant.records import Answer  # noqa: E402
from assistant.staff import StaffDesk, StaffRefused  # noqa: E402
from ingest.errors import IndexUnavailable, SocitmError  # noqa: E402
from ingest.pipeline import Ingestor, IngestReport  # noqa: E402

log = logging.getLogger("socitm.app")
HERE = Path(__file__).resolve().parent
CSS = (HERE / "assistant" / "app.css").read_text(encoding="utf-8")
STAFF_OFF = """### The staff desk is off

No staff accounts are configured. To turn it on, make a password hash and set `SOCITM_STAFF_USERS`
(in the environment or `.env`), then restart the app:

```
.venv/bin/python -m assistant.staff hash-password --user alice
SOCITM_STAFF_USERS='alice:pbkdf2_sha256$...'
```
"""

# Buttons with at least 4.5:1 contrast between their text and background (WCAG AA).
THEME = gr.themes.Default(primary_hue="blue").set(
    button_primary_background_fill="#1d4ed8", button_primary_background_fill_hover="#1e40af",
    button_primary_text_color="#ffffff", button_primary_text_color_hover="#ffffff",
    button_cancel_background_fill="#b91c1c", button_cancel_background_fill_hover="#991b1b",
    button_cancel_text_color="#ffffff", button_cancel_text_color_hover="#ffffff")


class Services:
    """One Ingestor, Index and Assistant per process, shared by the chat and the staff desk.

    The Index reads the same catalog (its keyword index follows the catalog generation) and the same
    VectorStore the Ingestor writes, so a staff change is answerable in the chat at once.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        self.ingestor = Ingestor(settings)
        self.desk = Desk(settings, self.ingestor)
        self.staff = StaffDesk(settings.staff_users, settings.session_minutes, settings.data_dir / "audit.log")
        self.feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
        self._assistant: Assistant | None = None
        self._lock = threading.Lock()
        self.doubt = model_for(settings.learned_check)  # shown on the staff desk: which documents it judges

    def assistant(self) -> Assistant:
        """The shared Assistant, made on first use (and made again later if the index was unavailable)."""
        if not self.ingestor.catalog.db.execute("SELECT 1 FROM documents LIMIT 1").fetchone():
            raise IndexUnavailable(f"The library in {self.settings.data_dir} holds no documents yet. "
                                   "Build it with: python -m ingest corpus/ (or add documents on the staff desk).")
        with self._lock:
            if self._assistant is None:
                index = Index(self.settings, embedder=self.ingestor.embedder)
                index.store = self.ingestor.store  # one VectorStore for writes and reads
                self._assistant = Assistant(self.settings, index)
            return self._assistant

    def warm_up(self) -> None:
        """Load the model, the keyword index and the sentence vectors now, so the first member does not wait."""
        question = "What are Socitm's missions?"
        self.assistant().gather(question, Condensed(question, False))


# chat ------------------------------------------------------------------------------------------
MAX_TURNS = 10  # earlier turns passed to the Assistant for follow-ups


def new_conversation() -> dict[str, Any]:
    return {"history": [], "turns": {}, "rated": None}


def chat_handlers(services: Services) -> dict[str, Callable[..., Any]]:
    def respond(message: str, chat: list[dict[str, Any]], conv: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
        question = (message or "").strip()
        conv = conv or new_conversation()
        chat = list(chat or [])
        hide = gr.update(visible=False)
        if not question:
            yield chat, "", conv, gr.update()
            return
        chat += [{"role": "user", "content": ui.render_question(question)},
                 {"role": "assistant", "content": ui.render_partial("")}]
        yield chat, "", conv, hide
        text, answer = "", None
        try:
            for piece in services.assistant().stream(question, list(conv["history"])):  # (question, Answer) pairs
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    text += str(piece)
                    chat[-1] = {"role": "assistant", "content": ui.render_partial(text)}
                    yield chat, "", conv, hide
            if answer is None:
                raise RuntimeError("the assistant finished without an answer")
            chat[-1] = {"role": "assistant", "content": ui.render_answer(answer)}
            conv["history"] = [*conv["history"], (question, answer)][-MAX_TURNS:]
            conv["turns"] = {**conv["turns"], len(chat) - 1: {
                "question": question, "answer": answer.text, "answered": answer.answered,
                "chunk_ids": ui.chunk_ids(answer), "feedback_id": None}}
        except Exception as e:  # noqa: BLE001 - any failure becomes a message; the chat carries on
            if not isinstance(e, SocitmError):
                log.exception("answering failed")
            chat[-1] = {"role": "assistant", "content": ui.error_message(e)}
        yield chat, "", conv, hide

    def rate(conv: dict[str, Any], data: gr.LikeData) -> tuple[dict[str, Any], str]:
        conv = conv or new_conversation()
        index = data.index if isinstance(data.index, int) else data.index[0]
        turn = conv["turns"].get(index)
        if turn is None or data.liked is None or data.liked == "":
            return conv, ""
        rating = 1 if data.liked is True or data.liked == "Like" else -1
        if turn["feedback_id"] is None:
            turn["feedback_id"] = services.feedback.add(turn["question"], turn["answer"], rating, turn["chunk_ids"],
                                                        turn["answered"])
        else:
            services.feedback.rate(turn["feedback_id"], rating)
        conv["rated"] = turn["feedback_id"]
        word = "helpful" if rating > 0 else "not helpful"
        return conv, (f"Thank you: you marked the answer to \u201c{ui.esc(ui.short(turn['question']))}\u201d as {word}. "
                      "You can add a comment below (optional).")

    def comment(text: str, conv: dict[str, Any]) -> tuple[str, str]:
        conv = conv or new_conversation()
        if not (text or "").strip():
            return text, "Write a comment first."
        if conv.get("rated") is None:
            return text, "Rate an answer first (thumbs up or down under it), then add your comment."
        services.feedback.comment(conv["rated"], text)
        return "", "Thank you: your comment was saved (personal details such as emails and phone numbers are removed)."

    def reset() -> tuple[Any, ...]:
        return [], new_conversation(), "", "", "", gr.update(visible=True)

    return {"respond": respond, "rate": rate, "comment": comment, "reset": reset}


# staff desk ------------------------------------------------------------------------------------
def staff_handlers(services: Services) -> dict[str, Callable[..., Any]]:
    desk, staff = services.desk, services.staff

    def require(token: str | None, action: str) -> str:
        try:
            return staff.require(token, action)
        except StaffRefused as e:
            raise gr.Error(str(e), title="Not signed in") from None

    def tables() -> tuple[Any, Any, Any]:
        docs = desk.documents()
        choices = [(f"{d['title'] or d['doc_id']} ({d['doc_id']})", d["doc_id"]) for d in docs]
        trash = [(f"{d.get('title') or d['doc_id']} ({d['doc_id']})", d["doc_id"]) for d in desk.trash()]
        judged = services.doubt.judges if services.doubt is not None else None
        return (ui.document_rows(docs, judged), gr.update(choices=choices, value=None),
                gr.update(choices=trash, value=None))

    def sign_in(user: str, password: str, request: gr.Request) -> tuple[Any, ...]:
        client = getattr(getattr(request, "client", None), "host", "") or "?"
        try:
            token = staff.sign_in(user, password, client)
        except StaffRefused as e:
            return (None, gr.update(visible=True), gr.update(visible=False), gr.update(visible=False),
                    gr.update(visible=False), "", f"**Not signed in.** {e}", *[gr.update()] * 3)
        return (token, gr.update(visible=False), gr.update(visible=True), gr.update(visible=True), gr.update(visible=True), "",
                f"Signed in as **{ui.esc(user.strip())}**. Sessions end after {services.settings.session_minutes} minutes.",
                *tables())

    def sign_out(token: str | None) -> tuple[Any, ...]:
        staff.sign_out(token)
        hidden = gr.update(visible=False)
        return None, gr.update(visible=True), hidden, hidden, hidden, "Signed out."

    def refresh(token: str | None) -> tuple[Any, ...]:
        require(token, "list documents")
        return tables()

    def add(token: str | None, files: list[Any] | None, urls: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        user = require(token, "add documents")
        uploads = names_of(files or [])
        if not uploads and not (urls or "").strip():
            return ("Choose files to upload or paste web addresses first.", gr.update(), *tables(), gr.update())

        def tick(stage: str, done: int, total: int) -> None:
            progress((done, max(total, 1)), desc=f"{stage.capitalize()}…")

        try:
            report = desk.add(uploads, urls, tick)
        except SocitmError as e:
            staff.audit.write(user, "add documents", f"failed: {e}", files=[n for _, n in uploads])
            return (f"**Nothing was added.** {ui.esc(str(e))}", gr.update(), *tables(), gr.update())
        staff.audit.write(user, "add documents", "ok" if not report.failed else "partly failed",
                          results=[{"source": r.source, "status": r.status, "doc_id": r.doc_id, "reason": r.reason}
                                   for r in report.results])
        return (summary(report), ui.result_rows(report.results), *tables(), None)

    def remove(token: str | None, doc_id: str) -> tuple[Any, ...]:
        user = require(token, "remove document")
        try:
            result = desk.remove(doc_id)
        except SocitmError as e:
            staff.audit.write(user, "remove document", f"failed: {e}", doc_id=doc_id)
            return (f"**Not removed.** {ui.esc(str(e))}", *tables())
        staff.audit.write(user, "remove document", "ok", doc_id=doc_id, chunks=result.chunks)
        return (f"Removed **{ui.esc(result.title)}** ({result.chunks} passages). It can be restored below.", *tables())

    def reindex(token: str | None, doc_id: str, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        user = require(token, "re-index document")
        try:
            report = desk.reindex(doc_id, lambda s, d, t: progress((d, max(t, 1)), desc=f"{s.capitalize()}…"))
        except SocitmError as e:
            staff.audit.write(user, "re-index document", f"failed: {e}", doc_id=doc_id)
            return (f"**Not re-indexed.** {ui.esc(str(e))}", gr.update(), *tables())
        staff.audit.write(user, "re-index document", "ok" if not report.failed else "failed", doc_id=doc_id,
                          results=[r.status for r in report.results])
        return (summary(report), ui.result_rows(report.results), *tables())

    def restore(token: str | None, doc_id: str) -> tuple[Any, ...]:
        user = require(token, "restore document")
        try:
            report = desk.restore(doc_id)
        except SocitmError as e:
            staff.audit.write(user, "restore document", f"failed: {e}", doc_id=doc_id)
            return (f"**Not restored.** {ui.esc(str(e))}", gr.update(), *tables())
        staff.audit.write(user, "restore document", "ok" if not report.failed else "failed", doc_id=doc_id)
        return (summary(report), ui.result_rows(report.results), *tables())

    def evals(token: str | None, split: str, answers: bool,
              progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:  # noqa: B008
        user = require(token, "run evals")
        progress(0.1, desc="Running the eval (a minute or more)…")
        result = run_evals(services.settings, split, bool(answers))
        staff.audit.write(user, "run evals", "ok" if result.ok else f"failed: {result.message}", split=split,
                          answers=bool(answers), report=str(result.report_dir or ""))
        return result.message, result.rows, gr.update(value=result.images, visible=bool(result.images))

    return {"sign_in": sign_in, "sign_out": sign_out, "refresh": refresh, "add": add, "remove": remove,
            "reindex": reindex, "restore": restore, "evals": evals}


def summary(report: IngestReport) -> str:
    failed = len(report.failed)
    text = ui.esc(report.summary())
    if failed:
        text += f" **{failed} failed**: see the Details column."
    return text + " Changes are answerable in the chat now."


# layout ----------------------------------------------------------------------------------------
def build_app(services: Services) -> gr.Blocks:
    """The Blocks: Ask (members), Staff desk and Evals (staff, signed in)."""
    chat_fn, staff_fn = chat_handlers(services), staff_handlers(services)
    with gr.Blocks(title="Socitm guidance assistant", delete_cache=(3600, 3600)) as blocks:
        gr.Markdown("# Socitm guidance assistant", elem_id="app-title")
        with gr.Tabs():
            with gr.Tab("Ask", id="ask"):
                gr.Markdown(ui.NOTICE, elem_classes=["notice-box"])
                conv = gr.State(new_conversation())
                chatbot = gr.Chatbot(label="Conversation", height=560, elem_id="chat", latex_delimiters=[],
                                     buttons=["copy"], feedback_options=("Like", "Dislike"), autoscroll=True,
                                     sanitize_html=True, allow_tags=False,
                                     placeholder="Ask about Socitm's guidance, or try an example question below.")
                with gr.Row(elem_id="examples") as examples_row:
                    example_buttons = [gr.Button(q, size="sm", elem_classes=["example"]) for q in ui.EXAMPLES]
                question = gr.Textbox(label="Your question", placeholder="Type a question and press Enter",
                                      max_length=services.settings.max_question_chars, elem_id="question",
                                      submit_btn="Ask")
                new = gr.Button("New conversation", variant="secondary", size="sm", elem_id="new-conversation")
                with gr.Group():
                    feedback_note = gr.Markdown("Rate an answer with the thumbs under it; you can then add a comment.",
                                                elem_id="feedback-note")
                    comment = gr.Textbox(label="Comment on the answer you rated (optional)", lines=2, max_length=2000,
                                         elem_id="feedback-comment")
                    send_comment = gr.Button("Send comment", elem_id="send-comment")
            with gr.Tab("Staff desk", id="staff"):
                token = gr.State(None)
                if not services.staff.enabled:
                    gr.Markdown(STAFF_OFF + "".join(f"\n\n**Problem:** {ui.esc(p)}" for p in services.staff.problems),
                                elem_id="staff-off")
                with gr.Column(visible=services.staff.enabled, elem_id="sign-in") as signin_box:
                    user = gr.Textbox(label="User name", elem_id="staff-user", max_length=100)
                    password = gr.Textbox(label="Password", type="password", elem_id="staff-password", max_length=200)
                    sign_in_btn = gr.Button("Sign in", variant="primary", elem_id="sign-in-button")
                with gr.Row(equal_height=True):
                    signin_msg = gr.Markdown(elem_id="sign-in-message")
                    with gr.Column(visible=False, min_width=120, scale=0) as signout_box:
                        sign_out_btn = gr.Button("Sign out", size="sm", elem_id="sign-out")
                with gr.Column(visible=False, elem_id="desk") as desk_box:
                    gr.Markdown("## Add or update documents")
                    files = gr.File(label=f"Files to add: PDF, HTML, Markdown, text or Word (.docx), up to "
                                          f"{services.settings.max_upload_mb:g} MB each; several at once",
                                    file_count="multiple", type="filepath", elem_id="upload")
                    urls = gr.Textbox(label="Web addresses to add, one per line", lines=3, elem_id="urls",
                                      placeholder="https://socitm.net/...")
                    add_btn = gr.Button("Add documents", variant="primary", elem_id="add-documents")
                    add_msg = gr.Markdown(elem_id="add-message")
                    results = gr.Dataframe(headers=ui.RESULT_HEADERS, label="Result for each document",
                                           interactive=False, wrap=True, elem_id="results", latex_delimiters=[])
                    gr.Markdown("## Documents in the library")
                    docs = gr.Dataframe(headers=ui.DOCUMENT_HEADERS, label="Documents", interactive=False, wrap=True,
                                        elem_id="documents", latex_delimiters=[],
                                        column_widths=["20%", "34%", "8%", "8%", "11%", "19%"])
                    with gr.Row():
                        doc_pick = gr.Dropdown(label="Document to remove or re-index", choices=[], elem_id="doc-pick")
                        remove_btn = gr.Button("Remove", variant="stop", elem_id="remove")
                        reindex_btn = gr.Button("Re-index", elem_id="reindex")
                    with gr.Row():
                        trash_pick = gr.Dropdown(label="Removed document to restore", choices=[], elem_id="trash-pick")
                        restore_btn = gr.Button("Restore", elem_id="restore")
                    refresh_btn = gr.Button("Refresh lists", size="sm", elem_id="refresh")
                    action_msg = gr.Markdown(elem_id="action-message")
            with gr.Tab("Evals", id="evals"):
                gr.Markdown("Staff only: sign in on the Staff desk tab to run the retrieval eval.", elem_id="evals-note")
                with gr.Column(visible=False, elem_id="evals-box") as evals_box:
                    split = gr.Radio(["dev", "test", "all"], value="dev", label="Eval cases")
                    judge = gr.Checkbox(label="Also judge the answers (slower)", value=False, elem_id="judge-answers")
                    run_btn = gr.Button("Run eval", variant="primary", elem_id="run-evals")
                    evals_msg = gr.Markdown(elem_id="evals-message")
                    metrics = gr.Dataframe(headers=["Metric", "Value"], label="Metrics", interactive=False,
                                           elem_id="metrics", latex_delimiters=[])
                    plots = gr.Gallery(label="Plots", columns=2, height="auto", elem_id="plots", visible=False)

        # chat events
        ask_args: dict[str, Any] = {"fn": chat_fn["respond"], "inputs": [question, chatbot, conv],
                                    "outputs": [chatbot, question, conv, examples_row], "concurrency_limit": 2,
                                    "concurrency_id": "ask"}
        question.submit(api_name="ask", **ask_args)
        for button in example_buttons:  # a button's value is its label: the example question
            button.click(lambda text: text, button, question, api_visibility="private").then(
                api_visibility="private", **ask_args)
        chatbot.like(chat_fn["rate"], [conv], [conv, feedback_note], api_name="rate")
        send_comment.click(chat_fn["comment"], [comment, conv], [comment, feedback_note], api_name="comment")
        reset_outputs = [chatbot, conv, question, comment, feedback_note, examples_row]
        new.click(chat_fn["reset"], None, reset_outputs, api_name="new_conversation")
        chatbot.clear(chat_fn["reset"], None, reset_outputs, api_visibility="private")  # the chat's own bin button

        # staff events: every handler checks the token itself
        lists = [docs, doc_pick, trash_pick]
        desk_views = [token, signin_box, desk_box, evals_box, signout_box, password]
        sign_in_btn.click(staff_fn["sign_in"], [user, password], [*desk_views, signin_msg, *lists],
                          api_name="staff_sign_in", concurrency_limit=2)
        password.submit(staff_fn["sign_in"], [user, password], [*desk_views, signin_msg, *lists],
                        api_visibility="private", concurrency_limit=2)
        sign_out_btn.click(staff_fn["sign_out"], [token], [*desk_views[:5], signin_msg], api_name="staff_sign_out")
        refresh_btn.click(staff_fn["refresh"], [token], lists, api_name="staff_documents")
        add_btn.click(staff_fn["add"], [token, files, urls], [add_msg, results, *lists, files],
                      api_name="staff_add", concurrency_id="ingest", concurrency_limit=1)
        remove_btn.click(staff_fn["remove"], [token, doc_pick], [action_msg, *lists], api_name="staff_remove",
                         concurrency_id="ingest", concurrency_limit=1)
        reindex_btn.click(staff_fn["reindex"], [token, doc_pick], [action_msg, results, *lists],
                          api_name="staff_reindex", concurrency_id="ingest", concurrency_limit=1)
        restore_btn.click(staff_fn["restore"], [token, trash_pick], [action_msg, results, *lists],
                          api_name="staff_restore", concurrency_id="ingest", concurrency_limit=1)
        run_btn.click(staff_fn["evals"], [token, split, judge], [evals_msg, metrics, plots], api_name="staff_evals",
                      concurrency_limit=1)
    return blocks


# serving ---------------------------------------------------------------------------------------
def make_server(services: Services) -> FastAPI:
    """FastAPI app: /files/<doc_id> serves stored originals; Gradio is mounted at /."""
    settings = services.settings
    api = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @api.api_route("/files/{doc_id}", methods=["GET", "HEAD"])
    def stored_file(doc_id: str) -> FileResponse:
        found = services.desk.stored_file(doc_id)
        if found is None:
            raise HTTPException(status_code=404, detail="No such document (it may have been removed).")
        path, media, disposition = found
        quoted = urllib.parse.quote(path.name)
        headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
                   "Cache-Control": "no-store", "Content-Disposition": f"{disposition}; filename*=UTF-8''{quoted}"}
        if media.startswith(("text/", "application/octet-stream")):
            headers["Content-Security-Policy"] = "sandbox; default-src 'none'; style-src 'unsafe-inline'"
        return FileResponse(path, media_type=media, headers=headers)

    blocks = build_app(services)
    blocks.queue(default_concurrency_limit=1, max_size=64)
    return gr.mount_gradio_app(
        api, blocks, path="/", root_path=settings.root_path or None, footer_links=[], run_history=False,
        max_file_size=f"{int(settings.max_upload_mb * 1024 * 1024) + 1}b", css=CSS, ssr_mode=False, mcp_server=False,
        show_error=True, theme=THEME)


def prepare(settings: Settings, build: bool = True) -> Services:
    """Build the index from corpus/ when there is none, then load the model once and warm it up."""
    if build and not settings.chroma_url and not settings.catalog_path.is_file() and settings.corpus_dir.is_dir():
        print(f"No index in {settings.data_dir}: building it from {settings.corpus_dir} …", flush=True)
        report = Ingestor(settings).ingest([settings.corpus_dir])
        print(report.summary(), flush=True)
    services = Services(settings)
    try:
        services.warm_up()
    except SocitmError as e:  # the app still starts: members see a friendly message, staff can add documents
        print(f"Warning: {e}", file=sys.stderr, flush=True)
    return services


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve the Socitm guidance assistant.")
    parser.add_argument("--host")
    parser.add_argument("--port", type=int)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--no-build", action="store_true", help="do not build a missing index from corpus/")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings.from_env(host=args.host, port=args.port, data_dir=args.data_dir)
    services = prepare(settings, build=not args.no_build)
    server = make_server(services)
    import uvicorn

    print(f"Serving on http://{settings.host}:{settings.port}{settings.root_path}/", flush=True)
    uvicorn.run(server, host=settings.host, port=settings.port, log_level="warning", timeout_graceful_shutdown=5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
