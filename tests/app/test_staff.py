"""Staff accounts: hashing, configuration, rate limits, sessions, the audit log and the hash CLI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant.staff import (
    AuditLog,
    RateLimiter,
    Sessions,
    StaffDesk,
    StaffRefused,
    hash_password,
    parse_users,
    verify_password,
)

FAST = 1_000  # iterations for tests; the default (600,000) is for real accounts


def test_hash_and_verify():
    encoded = hash_password("correct horse", FAST)
    assert encoded.startswith("pbkdf2_sha256$1000$")
    assert verify_password("correct horse", encoded)
    assert not verify_password("correct horsE", encoded)
    assert hash_password("correct horse", FAST) != encoded  # salted
    for bad in ("", "pbkdf2_sha256$x$y$z", "md5$1000$aa$bb", "pbkdf2_sha256$1$aa$bb", encoded + "$"):
        assert not verify_password("correct horse", bad)


def test_parse_users_reports_problems_without_secrets():
    good = hash_password("pw-12345678", FAST)
    users, problems = parse_users(f"alice:{good}; bob:plaintext ;;carol:{good}\n")
    assert set(users) == {"alice", "carol"}
    assert len(problems) == 1 and "bob" in problems[0] and "plaintext" not in problems[0]
    assert parse_users("") == ({}, [])


def test_rate_limiter_window():
    now = [0.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.wait("k") == 0
        limiter.fail("k")
    assert limiter.wait("k") > 0 and limiter.wait("other") == 0
    now[0] = 61
    assert limiter.wait("k") == 0


def test_sessions_expire_and_end():
    now = [1000.0]
    sessions = Sessions(minutes=1, clock=lambda: now[0])
    token = sessions.create("alice")
    assert sessions.user(token) == "alice"
    assert sessions.user("forged") is None and sessions.user(None) is None and sessions.user(123) is None  # type: ignore[arg-type]
    now[0] += 61
    assert sessions.user(token) is None
    token = sessions.create("alice")
    sessions.end(token)
    assert sessions.user(token) is None


def test_staff_desk_sign_in_rate_limit_and_audit(tmp_path):
    users = f"alice:{hash_password('s3cret-pass', FAST)}"
    desk = StaffDesk(users, 30, tmp_path / "audit.log", RateLimiter(limit=3, window=300))
    assert desk.enabled
    with pytest.raises(StaffRefused, match="Wrong user name or password"):
        desk.sign_in("alice", "nope", "1.2.3.4")
    with pytest.raises(StaffRefused, match="Wrong user name or password"):
        desk.sign_in("mallory", "s3cret-pass", "1.2.3.4")
    token = desk.sign_in("alice", "s3cret-pass", "1.2.3.4")
    assert desk.require(token, "add documents") == "alice"
    with pytest.raises(StaffRefused, match="sign in"):
        desk.require("forged", "remove document")
    for _ in range(3):
        with pytest.raises(StaffRefused):
            desk.sign_in("alice", "guess", "5.6.7.8")
    with pytest.raises(StaffRefused, match="Too many failed sign-ins"):
        desk.sign_in("alice", "s3cret-pass", "5.6.7.8")  # even the right password waits
    assert desk.sign_in("alice", "s3cret-pass", "1.2.3.4")  # another client is not blocked
    desk.sign_out(token)
    assert desk.sessions.user(token) is None
    records = AuditLog(tmp_path / "audit.log").read()
    outcomes = [(r["who"], r["what"], r["outcome"]) for r in records]
    assert ("alice", "sign-in", "refused") in outcomes and ("alice", "sign-in", "ok") in outcomes
    assert ("alice", "sign-in", "rate-limited") in outcomes and ("?", "remove document", "refused: not signed in") in outcomes
    assert ("alice", "sign-out", "ok") in outcomes
    assert all({"when", "who", "what", "outcome"} <= set(r) for r in records)
    assert "s3cret" not in (tmp_path / "audit.log").read_text()


def test_staff_desk_off_without_accounts(tmp_path):
    desk = StaffDesk("", 30, tmp_path / "audit.log")
    assert not desk.enabled
    with pytest.raises(StaffRefused, match="off"):
        desk.sign_in("admin", "admin", "x")


def test_hash_password_cli_reads_stdin():
    done = subprocess.run([sys.executable, "-m", "assistant.staff", "hash-password", "--user", "alice",
                           "--iterations", str(FAST)], input="long-enough-pw\n", capture_output=True, text=True,
                          check=True)
    line = done.stdout.strip()
    name, encoded = line.split(":", 1)
    assert name == "alice" and verify_password("long-enough-pw", encoded)
    short = subprocess.run([sys.executable, "-m", "assistant.staff", "hash-password"], input="short\n",
                           capture_output=True, text=True)
    assert short.returncode == 2 and "too short" in short.stderr
    assert json.dumps(line)  # one printable line
