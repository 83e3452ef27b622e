"""A real S3-compatible HTTP server for the object-store tests: moto's ``moto.server``.

No MinIO server is packaged in Debian or on PyPI (only its clients are), so the tests run
moto's standalone server, which speaks the S3 REST API over HTTP like any remote store; the
store reaches it through pyarrow's own S3 client, exactly as it would reach MinIO or AWS.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError

import pyarrow.fs as pafs

ACCESS_KEY = "kaifang-test"
SECRET_KEY = "kaifang-test-secret"
REGION = "us-east-1"
START_SECONDS = 60.0


@dataclass(frozen=True)
class S3Server:
    endpoint: str

    def filesystem(self) -> pafs.S3FileSystem:
        return pafs.S3FileSystem(
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            region=REGION,
            endpoint_override=self.endpoint.removeprefix("http://"),
            scheme="http",
            allow_bucket_creation=True,
            allow_bucket_deletion=True,
        )

    def create_bucket(self, name: str) -> None:
        self.filesystem().create_dir(name)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_s3_server(log_path: Path) -> Iterator[S3Server]:
    """Start ``moto.server`` on 127.0.0.1 at a random port; stop it on exit."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_serving(server, endpoint, log_path)
            yield S3Server(endpoint)
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def _wait_until_serving(server: subprocess.Popen[bytes], endpoint: str, log_path: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"the S3 test server exited with {server.returncode}:\n{log_path.read_text()}"
            )
        try:
            with urllib.request.urlopen(f"{endpoint}/", timeout=1):
                return
        except (URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError(
        f"the S3 test server did not answer at {endpoint} within {START_SECONDS:.0f} s:\n"
        f"{log_path.read_text()}\nHint: pip install 'moto[server]' (the dev extra has it)."
    )
