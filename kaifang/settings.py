"""One typed settings object, built from an environment mapping and passed in.

Every setting has a default, an environment variable ``KAIFANG_<NAME>`` and a help text; the
table in ``docs/settings.md`` is checked against :data:`SETTINGS` by the tests.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kaifang.errors import ValidationError

# a tile address: http(s), a plain host (it goes into the Content-Security-Policy), a path
TILES = re.compile(r"^https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?/[^\s'\";,]*$")


def _setting(default: Any, help_text: str) -> Any:
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    data_dir: Path = _setting(Path("kaifang-data"), "Where the catalog and tables live.")
    database_url: str = _setting(
        "",
        "SQLAlchemy URL of the catalog; empty means a SQLite file catalog.sqlite in the data "
        "directory. Use postgresql+psycopg://user:pass@host/db in production.",
    )
    database_pool_size: int = _setting(
        5, "Connections each process keeps open to a PostgreSQL catalog (SQLAlchemy pool_size)."
    )
    database_max_overflow: int = _setting(
        10, "Extra PostgreSQL connections a process may open under load (max_overflow)."
    )
    database_pool_timeout: float = _setting(
        30.0, "Seconds to wait for a free catalog connection before failing (pool_timeout)."
    )
    database_pool_recycle: int = _setting(
        1800, "Seconds after which a catalog connection is replaced (pool_recycle)."
    )
    storage_url: str = _setting(
        "",
        "Where table versions are stored; empty means <data_dir>/tables on local disk, "
        "s3://bucket/prefix for an S3-compatible object store.",
    )
    s3_endpoint: str = _setting(
        "", "Endpoint of the S3-compatible store, e.g. http://127.0.0.1:9000."
    )
    s3_access_key: str = _setting("", "Access key of the S3-compatible store.")
    s3_secret_key: str = _setting("", "Secret key of the S3-compatible store.")
    s3_region: str = _setting("us-east-1", "Region of the S3-compatible store.")
    engine: str = _setting("duckdb", "Query engine: duckdb (in-process) or spark.")
    spark_master: str = _setting("local[2]", "Spark master URL when engine is spark.")
    spark_query_timeout: float = _setting(
        120.0,
        "Seconds a query on Spark may run before it is stopped (Spark's start-up, once per "
        "process, does not count; a cold session's first query is slow while the JVM warms).",
    )
    query_timeout: float = _setting(5.0, "Seconds a query may run before it is stopped.")
    query_max_rows: int = _setting(10_000, "Most rows a query returns.")
    query_memory_limit: str = _setting("1GB", "Memory a query may use (DuckDB memory_limit).")
    query_threads: int = _setting(2, "Threads a query may use.")
    query_workers: int = _setting(
        2,
        "Worker processes that run users' SQL (/api/sql), one query each; more requests "
        "wait up to query_timeout for one, then get 503 with Retry-After. At least 1: the "
        "server refuses to start with 0, since in its own process no OS limit would hold.",
    )
    query_nice: int = _setting(
        10,
        "How much lower the OS priority (nice) of heavy query work is than the server's "
        "pages: SQL workers, aggregates, analyses. 0 keeps one priority for all; at most 19.",
    )
    query_memory_budget: str = _setting(
        "2GB",
        "Memory all SQL workers together may use beyond what they need to start, split "
        "evenly between them (and between the processes of serve --workers N); the "
        "operating system stops a worker that reaches its share (Linux).",
    )
    query_spill_limit: str = _setting(
        "4GB",
        "Disk each query engine may spill to under <data_dir>/tmp/query when a query outgrows "
        "its memory limit (DuckDB max_temp_directory_size).",
    )
    query_page_threads: int = _setting(
        1,
        "Threads of the engine that answers rows pages (small, selective queries): with one "
        "thread each, concurrent pages use the cores instead of splitting each page.",
    )
    serving_copies: bool = _setting(
        True,
        "Keep a DuckDB-format serving copy of each large version under "
        "<data_dir>/cache/serving, built in the background on first query (a rebuildable "
        "cache; the Parquet version stays the truth).",
    )
    serving_copy_min_rows: int = _setting(
        1_000_000, "Rows a version needs before it gets a serving copy."
    )
    serving_copy_budget_mb: int = _setting(
        4096, "Disk the serving copies may use, in MB; the least recently used go first."
    )
    read_max_columns: int = _setting(
        2_000, "Most columns a file may have (uploads, publish, inspect, scan)."
    )
    read_max_line_kb: int = _setting(1024, "Longest line of a delimited text file, in KB.")
    read_max_cell_chars: int = _setting(
        32_767, "Most characters in one spreadsheet cell (Excel's own limit)."
    )
    read_max_expanded_mb: int = _setting(
        1024,
        "Most MB an archive (XLSX, ODS, zip, tar.gz) may expand to; checked from its "
        "directory (zip) or member headers (tar) before anything is expanded.",
    )
    read_max_expansion_ratio: int = _setting(
        100, "Most times an archive may expand its own size (past its first MB)."
    )
    upload_max_mb: int = _setting(
        512,
        "Largest request body, in MB (uploads); larger requests get 413 before they are read.",
    )
    pseudonym_key: str = _setting(
        "",
        "Secret key for keyed-HMAC pseudonymization; never stored with the data. Required "
        "only when a privacy policy pseudonymizes a column.",
    )
    cursor_key: str = _setting(
        "",
        "Secret key that seals (encrypts and signs) the rows API's next-page cursors; empty "
        "means a random key kept in <data_dir>/secrets/cursor.key. Changing it invalidates "
        "cursors already handed out.",
    )
    k_anonymity: int = _setting(5, "Smallest equivalence class allowed over quasi-identifiers.")
    k_anonymity_sensitive: int = _setting(
        11, "Smallest equivalence class when a PDPA article 6 special category is present."
    )
    small_cell_threshold: int = _setting(3, "Counts below this are suppressed in aggregates.")
    freeway_trip_time_grain: str = _setting(
        "5 minutes",
        "Finest grain freeway trips (M06A) are published at: times floored to it, e.g. "
        "'5 minutes', '15 minutes' or 'hour'; '/N km' sets the TripLength grain (1 km).",
    )
    freeway_trip_coarser_grains: str = _setting(
        "15 minutes, hour/5 km, 6 hours/5 km",
        "Coarser grains tried in order for trips whose class (every published column) is "
        "still smaller than k_anonymity, before they are suppressed; empty: suppress at once.",
    )
    freeway_trip_max_loss: float = _setting(
        0.10,
        "Largest share of trips or vehicle-km the M06A protection may lose; more refuses the "
        "import unless the publisher accepts it (--accept-utility-loss).",
    )
    max_suppression: float = _setting(0.05, "Largest share of rows that may be suppressed.")
    heavy_requests: int = _setting(
        4,
        "Heavy requests (SQL, aggregates, analyses, downloads) the server runs at once "
        "(divided between the processes of serve --workers N); cheap ones (pages, metadata, "
        "rows pages, static files) never wait for them.",
    )
    heavy_queue: int = _setting(
        64, "Heavy requests that may wait for a slot; past that they get 503 with Retry-After."
    )
    heavy_per_client: int = _setting(
        8, "Heavy requests one client address may have running or waiting; more get 429."
    )
    rate_limit: int = _setting(600, "Requests per minute per anonymous address; 0 disables.")
    base_url: str = _setting(
        "",
        "Public URL of the portal, for links (e.g. https://data.example.gov.tw); empty means "
        "the address of the socket that took the request (or its Host when that is a loopback "
        "name such as 127.0.0.1:8080). Set it in production; a Host header is never trusted "
        "unless listed in trusted_hosts.",
    )
    catalog_publisher: str = _setting(
        "kaifang 開放資料平臺",
        "Name of the portal's operator: the publisher of the DCAT-AP catalog (/catalog.jsonld).",
    )
    trusted_hosts: str = _setting(
        "",
        "Comma-separated Host header values (e.g. data.example.gov.tw,localhost:8000) whose "
        "requests get links to that host; every other request gets links from base_url.",
    )
    harvest_max_download_mb: int = _setting(
        512, "Largest file a mirror-mode harvest downloads, in MB; larger ones are reported."
    )
    harvest_check_links: bool = _setting(
        True, "Whether harvests check that each remote distribution link answers (HEAD)."
    )
    harvest_retries: int = _setting(
        3, "Retries of a failed harvest request (network error, 429, 5xx), with backoff."
    )
    webhook_key: str = _setting(
        "",
        "Secret that webhook signing keys are derived from (one per subscription); empty "
        "means a random key kept in <data_dir>/secrets/webhook.key.",
    )
    webhook_allow_private: bool = _setting(
        False,
        "Whether webhooks may be sent to loopback, private and link-local addresses (off: a "
        "subscriber cannot make the server call into its own network).",
    )
    map_tiles_url: str = _setting(
        "",
        "Address of map tiles drawn under the freeway gantry map, with {z}, {x} and {y} (e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png); empty draws Taiwan's boundaries "
        "only, with no tile server (works offline). Its origin is added to the pages' "
        "Content-Security-Policy (img-src).",
    )
    map_tiles_attribution: str = _setting(
        "",
        "Attribution shown under a map drawn on tiles, as the tile provider asks (e.g. © "
        "OpenStreetMap contributors).",
    )

    @property
    def catalog_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'catalog.sqlite'}"

    @property
    def tables_url(self) -> str:
        return self.storage_url or str(self.data_dir / "tables")

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)


SETTINGS: dict[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(Settings)}


def env_name(name: str) -> str:
    return f"KAIFANG_{name.upper()}"


def _convert(name: str, raw: str) -> Any:
    default = SETTINGS[name].default
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            return int(raw)
        if isinstance(default, float):
            return float(raw)
        if isinstance(default, Path):
            return Path(raw)
    except ValueError:
        raise ValidationError(
            f"{env_name(name)}={raw!r} is not a valid {type(default).__name__}",
            hint=SETTINGS[name].metadata["help"],
        ) from None
    return raw


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from ``KAIFANG_*`` variables in ``environ``, then ``overrides``."""
    values: dict[str, Any] = {}
    for name in SETTINGS:
        raw = (environ or {}).get(env_name(name))
        if raw is not None and raw != "":
            values[name] = _convert(name, raw)
    for name, value in overrides.items():
        if value is None:
            continue
        if name not in SETTINGS:
            raise ValidationError(
                f"unknown setting {name!r}", hint="Settings: " + ", ".join(SETTINGS) + "."
            )
        values[name] = Path(value) if isinstance(SETTINGS[name].default, Path) else value
    if values.get("engine", "duckdb") not in {"duckdb", "spark"}:
        raise ValidationError(
            f"unknown engine {values['engine']!r}", hint="Valid engines: duckdb, spark."
        )
    tiles = str(values.get("map_tiles_url", ""))
    if tiles and not (TILES.match(tiles) and all(k in tiles for k in ("{z}", "{x}", "{y}"))):
        raise ValidationError(
            f"map_tiles_url {tiles!r} is not a tile address",
            hint="Give an http:// or https:// address with {z}, {x} and {y}, e.g. "
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png, or leave it empty.",
            key="map_tiles_url",
        )
    return Settings(**values)
