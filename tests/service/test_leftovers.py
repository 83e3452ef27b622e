"""A server starting after a crash removes what the crash left: expired uploads, staging
folders whose writer is gone, and day-old kaifang temp folders; fresh ones stay."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

from kaifang.service import Service
from kaifang.storage.layout import STAGING_DIR
from tests.catalogs import MakeSettings


def _age(path: Path, seconds: float) -> Path:
    moment = time.time() - seconds
    os.utime(path, (moment, moment))
    return path


def test_start_up_removes_what_a_crash_left(tmp_path: Path, make_settings: MakeSettings) -> None:
    settings = make_settings(tmp_path / "data")
    uploads = settings.data_dir / "uploads"
    old_upload = uploads / "old-upload"
    new_upload = uploads / "new-upload"
    for folder in (old_upload, new_upload):
        folder.mkdir(parents=True)
        (folder / "meta.json").write_text("{}")
    _age(old_upload, 2 * 3600)
    staging = settings.data_dir / "tables" / "people" / STAGING_DIR / "crashed-writer"
    staging.mkdir(parents=True)
    (staging / "part-0.parquet").write_bytes(b"half written")
    _age(staging, 2 * 3600)
    old_temp = _age(Path(tempfile.mkdtemp(prefix="kaifang-upload-")), 2 * 86_400)
    new_temp = Path(tempfile.mkdtemp(prefix="kaifang-read-"))
    try:
        service = Service(settings)
        service.close()
        assert not old_upload.exists() and new_upload.is_dir()
        assert not staging.exists()
        assert not old_temp.exists() and new_temp.is_dir()
    finally:
        shutil.rmtree(old_temp, ignore_errors=True)
        shutil.rmtree(new_temp, ignore_errors=True)
