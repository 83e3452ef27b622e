"""Which portal sessions are live, kept on the server so that logout really ends one.

The session cookie is signed, not stored: before this, a cookie copied before logout kept
working for its twelve hours. Each login now gets a random session id, recorded as an empty
file ``<data_dir>/sessions/<id>`` holding the user's name (files, so that several server
processes on one data directory agree); a session whose file is gone is anonymous. Logout
removes the file (revoking the token the session logged in with ends it too, as before), and
files older than the cookie's lifetime are removed when the portal starts.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from kaifang.settings import Settings

_SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class SessionStore:
    def __init__(self, settings: Settings, *, max_age: float) -> None:
        self.root = Path(settings.data_dir) / "sessions"
        self.max_age = max_age

    def start(self, user: str) -> str:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        sid = secrets.token_urlsafe(24)
        fd = os.open(self.root / sid, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(user)
        return sid

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
