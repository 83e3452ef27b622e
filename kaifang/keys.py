"""Server secrets that every process of one deployment must share: a configured value, or
else a random key kept in ``<data_dir>/secrets/<name>.key`` (created on first use, owner-only;
when several processes start together, the first writer wins and the others read its key)."""

from __future__ import annotations

import os
import secrets

from kaifang.settings import Settings


def shared_key(settings: Settings, name: str, configured: str = "") -> bytes:
    if configured:
        return configured.encode()
    path = settings.data_dir / "secrets" / f"{name}.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fresh = path.with_name(f".{name}.key.{secrets.token_hex(8)}")
        fresh.write_text(secrets.token_hex(32), encoding="utf-8")
        fresh.chmod(0o600)
        try:
            os.link(fresh, path)  # the first writer wins; the others read its key
        except FileExistsError:
            pass
        finally:
            fresh.unlink()
    return path.read_text(encoding="utf-8").strip().encode()
