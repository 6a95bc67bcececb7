"""Run the project's retrieval eval for the staff Evals tab and turn its JSON into a table and plots.

The eval runs as `python -m evals run --json` in a child process (same settings, passed as SOCITM_*
variables), so a long run cannot take the app down; the plots are the PNGs it writes in its report folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ingest.settings import PROJECT_DIR, Settings

REPORTS_DIR = PROJECT_DIR / "evals" / "reports"
SPLITS = ("dev", "test", "all")


@dataclass
class EvalRun:
    ok: bool
    message: str
    rows: list[list[Any]] = field(default_factory=list)
    images: list[tuple[Any, str]] = field(default_factory=list)
    report_dir: Path | None = None


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process the same settings."""
    env = dict(os.environ)
    for f in fields(settings):
        env[f"SOCITM_{f.name.upper()}"] = str(getattr(settings, f.name))
    return env


def metric_rows(data: dict[str, Any]) -> list[list[Any]]:
    """[metric, value] rows: retrieval per mode, then answers and follow-ups (numbers rounded)."""
    rows: list[list[Any]] = []

    def add(prefix: str, values: Any) -> None:
        if isinstance(values, dict):
            for key, value in values.items():
                add(f"{prefix} {key}".strip(), value)
        elif isinstance(values, (int, float)) and not isinstance(values, bool):
            rows.append([prefix, round(float(values), 4)])

    modes = data.get("modes")
    if isinstance(modes, dict) and modes:
        for mode, values in modes.items():
            add(f"retrieval ({mode})", values)
    else:
        add("retrieval", data.get("retrieval"))
    add("answers", data.get("answers"))
    add("follow-ups", data.get("followups"))
    if "n" in data:
        rows.insert(0, ["cases", data["n"]])
    return rows


def newest_report(since: float, root: Path = REPORTS_DIR) -> Path | None:
    if not root.is_dir():
        return None
    found = [p for p in root.iterdir() if p.is_dir() and p.stat().st_mtime >= since - 1]
    return max(found, key=lambda p: p.stat().st_mtime) if found else None


def _images(folder: Path | None) -> list[tuple[Any, str]]:
    if folder is None:
        return []
    from PIL import Image

    out = []
    for png in sorted(folder.glob("*.png")):
        with Image.open(png) as im:
            out.append((im.convert("RGB"), png.stem.replace("-", " ").replace("_", " ")))
    return out


def _parse(stdout: str) -> dict[str, Any]:
    """The JSON object the CLI printed (the last line that parses, or the whole output)."""
    try:
        data = json.loads(stdout)
        return data if isinstance(data, dict) else {}
    except ValueError:
        pass
    for line in reversed(stdout.strip().splitlines()):
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return {}


def run_evals(settings: Settings, split: str = "dev", answers: bool = False, reports: Path = REPORTS_DIR,
              timeout: float = 1800.0) -> EvalRun:
    """Run the eval once (retrieval only unless `answers`) and collect what the Evals tab shows."""
    if split not in SPLITS:
        return EvalRun(False, f"Unknown split '{split}' (use dev, test or all).")
    started = time.time()
    cmd = [sys.executable, "-m", "evals", "run", "--split", split, "--json", "--quiet", "--reports", str(reports)]
    if not answers:
        cmd.append("--retrieval-only")
    try:
        done = subprocess.run(cmd, cwd=PROJECT_DIR, env=settings_env(settings), capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return EvalRun(False, f"The eval did not finish within {timeout / 60:.0f} minutes.")
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return EvalRun(False, f"The eval failed: {tail[0][:300]}")
    data = _parse(done.stdout)
    named = re.search(r"^Report: (.+)$", done.stderr or "", re.M)
    folder = Path(named.group(1).strip()).parent if named else newest_report(started, reports)
    if folder is not None and not folder.is_dir():
        folder = None
    full = folder / "results.json" if folder is not None else None
    if full is not None and full.is_file():  # the report's results hold retrieval for every mode
        try:
            data = {**data, **json.loads(full.read_text(encoding="utf-8"))}
        except ValueError:
            pass
    rows = metric_rows(data)
    seconds = time.time() - started
    where = f" Report: {folder.relative_to(PROJECT_DIR) if folder.is_relative_to(PROJECT_DIR) else folder}." if folder else ""
    what = "Retrieval and answer eval" if answers else "Retrieval eval"
    return EvalRun(True, f"{what} of the {split} cases finished in {seconds:.0f} s.{where}", rows, _images(folder),
                   folder)
