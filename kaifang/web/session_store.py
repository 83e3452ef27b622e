"""Which portal sessions are live, kept on the server so that logout really ends one.

The session cookie is signed, not stored: before this, a cookie copied before logout kept
working for its twelve hours. Each login now gets a random session id, recorded as a file
``<data_dir>/sessions/<id>`` holding the user's name and the browser's User-Agent (files, so
that several server processes on one data directory agree); a session whose file is gone is
anonymous. Logout removes the file (revoking the token the session logged in with ends it
too, as before), a user can list their sessions and end any of them from the account page
(each shown by a handle, a hash of its id, never the id), and files older than the
cookie's lifetime are removed when the portal starts.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from kaifang.settings import Settings

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
AGENT_CHARS = 200
"""How much of the User-Agent a session file keeps (enough to tell browsers apart)."""


@dataclass(frozen=True)
class LiveSession:
    handle: str  # a hash of the session id: what pages show and forms send back
    started: float  # seconds since the epoch
    agent: str
    current: bool


class SessionStore:
    def __init__(self, settings: Settings, *, max_age: float) -> None:
        self.root = Path(settings.data_dir) / "sessions"
        self.max_age = max_age

    def start(self, user: str, *, agent: str = "") -> str:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        sid = secrets.token_urlsafe(24)
        fd = os.open(self.root / sid, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"{user}\n{' '.join(agent.split())[:AGENT_CHARS]}")
        return sid

    def of_user(self, user: str, *, current: object = None) -> list[LiveSession]:
        """``user``'s live sessions, newest first; ``current`` (this request's session id)
        is marked."""
        found = []
        now = time.time()
        for path in self._files():
            try:
                started = path.stat().st_mtime
                owner, _, agent = path.read_text(encoding="utf-8").partition("\n")
            except (OSError, UnicodeDecodeError):
                continue
            if owner != user or now - started >= self.max_age:
                continue
            found.append(LiveSession(handle(path.name), started, agent, path.name == current))
        return sorted(found, key=lambda live: -live.started)

    def end_of_user(self, user: str, session_handle: str) -> bool:
        """End ``user``'s session shown as ``session_handle``; False if they have none such
        (another user's session is never ended)."""
        for path in self._files():
            if handle(path.name) != session_handle:
                continue
            try:
                owner = path.read_text(encoding="utf-8").partition("\n")[0]
            except (OSError, UnicodeDecodeError):
                return False
            if owner != user:
                return False
            path.unlink(missing_ok=True)
            return True
        return False

    def active(self, sid: object) -> bool:
        if not isinstance(sid, str) or not _SESSION_ID.match(sid):
            return False
        try:
            started = (self.root / sid).stat().st_mtime
        except OSError:
            return False
        return time.time() - started < self.max_age

    def end(self, sid: object) -> None:
        if isinstance(sid, str) and _SESSION_ID.match(sid):
            (self.root / sid).unlink(missing_ok=True)

    def clean_expired(self) -> int:
        removed = 0
        now = time.time()
        for path in self._files():
            try:
                if now - path.stat().st_mtime >= self.max_age:
                    path.unlink(missing_ok=True)
                    removed += 1
            except OSError:
                continue
        return removed

    def _files(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [path for path in self.root.iterdir() if _SESSION_ID.match(path.name)]


def handle(sid: str) -> str:
    """What a page shows for session ``sid``: a hash, so that the id itself (a part of the
    signed cookie) never leaves the server."""
    return hashlib.sha256(sid.encode("ascii")).hexdigest()[:16]
