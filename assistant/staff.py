"""Staff accounts: PBKDF2 password hashes from configuration, sessions, sign-in rate limits, audit log.

Accounts come from SOCITM_STAFF_USERS ("alice:pbkdf2_sha256$<iterations>$<salt>$<hash>;bob:...").
There is no default account: with nothing configured the staff desk is off. Make a hash with
`python -m assistant.staff hash-password`.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import json
import secrets
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000  # OWASP 2023 guidance for PBKDF2-HMAC-SHA256
MIN_PASSWORD = 8


class StaffRefused(Exception):
    """A staff action or sign-in was refused; the message is safe to show."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, iterations: int = ITERATIONS, salt: bytes | None = None) -> str:
    """An encoded PBKDF2-HMAC-SHA256 hash: pbkdf2_sha256$<iterations>$<salt>$<hash>."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when `password` matches `encoded`; malformed hashes never match."""
    try:
        algorithm, iterations, salt, digest = encoded.split("$")
        if algorithm != ALGORITHM or not 1_000 <= int(iterations) <= 10_000_000:
            return False
        expected = _unb64(digest)
        actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _unb64(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def parse_users(config: str) -> tuple[dict[str, str], list[str]]:
    """Accounts from "name:hash;name2:hash2", and a list of problems (never containing a hash)."""
    users: dict[str, str] = {}
    problems: list[str] = []
    for n, entry in enumerate(e.strip() for e in config.replace("\n", ";").split(";")):
        if not entry:
            continue
        name, sep, encoded = entry.partition(":")
        name = name.strip()
        parts = encoded.strip().split("$")
        if not sep or not name or len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
            problems.append(f"entry {n + 1} ('{name or '?'}') of SOCITM_STAFF_USERS is not name:pbkdf2_sha256$...; "
                            "make one with: python -m assistant.staff hash-password --user NAME")
            continue
        users[name] = encoded.strip()
    return users, problems


class RateLimiter:
    """At most `limit` failures per key in a sliding `window` of seconds."""

    def __init__(self, limit: int = 5, window: float = 300.0, clock: Any = time.monotonic):
        self.limit, self.window, self.clock = limit, window, clock
        self._fails: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        now = self.clock()
        q = self._fails.setdefault(key, deque())
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def wait(self, key: str) -> float:
        """Seconds until `key` may try again (0 when it may try now)."""
        with self._lock:
            q = self._recent(key)
            return 0.0 if len(q) < self.limit else max(0.0, self.window - (self.clock() - q[0]))

    def fail(self, key: str) -> None:
        with self._lock:
            self._recent(key).append(self.clock())

    def clear(self, key: str) -> None:
        with self._lock:
            self._fails.pop(key, None)


@dataclass
class Session:
    user: str
    expires: float


class Sessions:
    """Random bearer tokens held server-side; each expires after `minutes`."""

    def __init__(self, minutes: int, clock: Any = time.time):
        self.seconds, self.clock = minutes * 60, clock
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def create(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._sessions[token] = Session(user, self.clock() + self.seconds)
        return token

    def user(self, token: str | None) -> str | None:
        """The signed-in user for `token`, or None when unknown or expired."""
        if not token or not isinstance(token, str):
            return None
        with self._lock:
            session = self._sessions.get(token)
            if session is None:
                return None
            if session.expires <= self.clock():
                del self._sessions[token]
                return None
            return session.user

    def end(self, token: str | None) -> None:
        with self._lock:
            self._sessions.pop(token or "", None)


class AuditLog:
    """Every staff action as one JSON line: when, who, what, outcome and details."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def write(self, who: str, what: str, outcome: str, **details: Any) -> None:
        record = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "who": who, "what": what,
                  "outcome": outcome, **details}
        line = json.dumps(record, ensure_ascii=False, default=str)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as f:
                f.write(line + "\n")

    def read(self) -> list[dict[str, Any]]:
        if not self.path.is_file():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]


class StaffDesk:
    """Sign-in, session checks and the audit trail for the staff desk."""

    def __init__(self, users_config: str, session_minutes: int, audit_path: Path,
                 limiter: RateLimiter | None = None):
        self.users, self.problems = parse_users(users_config)
        self.sessions = Sessions(session_minutes)
        self.limiter = limiter or RateLimiter()
        self.audit = AuditLog(audit_path)
        self._dummy = hash_password(secrets.token_hex(8), iterations=ITERATIONS)

    @property
    def enabled(self) -> bool:
        return bool(self.users)

    def sign_in(self, user: str, password: str, client: str) -> str:
        """A session token, or StaffRefused with a message that does not say which part was wrong."""
        user = (user or "").strip()[:100]
        if not self.enabled:
            raise StaffRefused("The staff desk is off: no staff accounts are configured.")
        key = f"{user.lower()}|{client}"
        wait = self.limiter.wait(key)
        if wait > 0:
            self.audit.write(user or "?", "sign-in", "rate-limited", client=client)
            raise StaffRefused(f"Too many failed sign-ins. Try again in {int(wait // 60) + 1} minute(s).")
        encoded = self.users.get(user)
        ok = verify_password(password or "", encoded or self._dummy) and encoded is not None
        if not ok:
            self.limiter.fail(key)
            self.audit.write(user or "?", "sign-in", "refused", client=client)
            raise StaffRefused("Wrong user name or password.")
        self.limiter.clear(key)
        self.audit.write(user, "sign-in", "ok", client=client)
        return self.sessions.create(user)

    def require(self, token: str | None, action: str) -> str:
        """The signed-in user for `token`; refuses (and records the attempt) otherwise."""
        user = self.sessions.user(token)
        if user is None:
            self.audit.write("?", action, "refused: not signed in")
            raise StaffRefused("Please sign in to the staff desk first (your session may have expired).")
        return user

    def sign_out(self, token: str | None) -> None:
        user = self.sessions.user(token)
        self.sessions.end(token)
        if user:
            self.audit.write(user, "sign-out", "ok")


def _read_password(prompt: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(prompt)
        if getpass.getpass("Again: ") != first:
            raise SystemExit("The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.staff", description="Staff account tools.")
    sub = parser.add_subparsers(dest="command", required=True)
    hp = sub.add_parser("hash-password", help="read a password (prompt or stdin) and print its hash")
    hp.add_argument("--user", help="print a whole SOCITM_STAFF_USERS entry, name:hash")
    hp.add_argument("--iterations", type=int, default=ITERATIONS)
    args = parser.parse_args(argv)
    password = _read_password("Password: ")
    if len(password) < MIN_PASSWORD:
        print(f"Password too short: use at least {MIN_PASSWORD} characters.", file=sys.stderr)
        return 2
    encoded = hash_password(password, args.iterations)
    print(f"{args.user}:{encoded}" if args.user else encoded)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
