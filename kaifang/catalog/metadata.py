"""Dataset metadata (``--metadata META.yaml``): the fields of Taiwan's 資料集詮釋資料標準規範
that an agency supplies, validated. Unknown keys and invalid values are a ValidationError that
names every offending key and lists the valid values. See docs/metadata.md."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kaifang.catalog.categories import category
from kaifang.catalog.licenses import DEFAULT_LICENSE, OTHER_LICENSE, license_info
from kaifang.errors import KaifangError, ValidationError

UPDATE_FREQUENCIES = (
    "realtime",
    "hourly",
    "daily",
    "weekly",
    "monthly",
    "quarterly",
    "semiannual",
    "yearly",
    "irregular",
    "never",
)
COSTS = ("free", "paid")
LANGUAGES = ("zh-TW", "en", "zh-TW,en")
CONTACT_KEYS = ("name", "email", "phone")
TEMPORAL_KEYS = ("from", "to")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_URL = re.compile(r"^https?://\S+$")


@dataclass
class DatasetMetadata:
    """Validated metadata. Empty strings / None mean "not supplied"."""

    title: str = ""
    title_en: str = ""
    description: str = ""
    category: str = ""
    keywords: list[str] = field(default_factory=list)
    license: str = DEFAULT_LICENSE
    license_url: str = ""
    cost: str = "free"
    cost_law: str = ""
    update_frequency: str = ""
    temporal_from: date | None = None
    temporal_to: date | None = None
    spatial: str = ""
    language: str = "zh-TW"
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    landing_page: str = ""
    notes: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    primary_key: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("temporal_from", "temporal_to"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def _text(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value).strip()
    raise TypeError("must be text")


def _choice(valid: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _text(value)
        for option in valid:
            if text.lower() == option.lower():
                return option
        raise ValueError(f"must be one of: {', '.join(valid)}")

    return check


def _date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError("must be an ISO 8601 date, e.g. 2024-01-31") from None


def _keywords(value: Any) -> list[str]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list):
        raise TypeError("must be a list of words")
    return [w for w in (_text(item) for item in items) if w]


def _mapping(value: Any, keys: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise TypeError(f"must be a mapping with keys {', '.join(keys)}")
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise ValueError(f"unknown key(s) {', '.join(unknown)}; valid keys: {', '.join(keys)}")
    return dict(value)


def _url(value: Any) -> str:
    text = _text(value)
    if not _URL.match(text):
        raise ValueError("must be an http(s) URL")
    return text


def _fields(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise TypeError("must be a mapping of column name to description")
    return {str(k): _text(v) for k, v in value.items()}


def _apply(meta: DatasetMetadata, key: str, value: Any) -> None:
    if key in {"title", "title_en", "description", "spatial", "cost_law", "notes"}:
        setattr(meta, key, _text(value))
    elif key == "category":
        meta.category = category(_text(value)).code
    elif key == "keywords":
        meta.keywords = _keywords(value)
    elif key == "license":
        meta.license = license_info(_text(value)).id
    elif key in {"license_url", "landing_page"}:
        setattr(meta, key, _url(value))
    elif key == "cost":
        meta.cost = {"免費": "free", "付費": "paid"}.get(_text(value)) or _choice(COSTS)(value)
    elif key == "update_frequency":
        meta.update_frequency = _choice(UPDATE_FREQUENCIES)(value)
    elif key == "language":
        meta.language = _choice(LANGUAGES)(value)
    elif key == "temporal_coverage":
        span = _mapping(value, TEMPORAL_KEYS)
        meta.temporal_from = _date(span["from"]) if span.get("from") else None
        meta.temporal_to = _date(span["to"]) if span.get("to") else None
    elif key == "contact":
        contact = {k: _text(v) for k, v in _mapping(value, CONTACT_KEYS).items()}
        if contact.get("email") and not _EMAIL.match(contact["email"]):
            raise ValueError("contact.email is not an e-mail address")
        meta.contact_name = contact.get("name", "")
        meta.contact_email = contact.get("email", "")
        meta.contact_phone = contact.get("phone", "")
    elif key == "fields":
        meta.fields = _fields(value)
    elif key == "primary_key":
        meta.primary_key = _keywords(value)


METADATA_KEYS = (
    "title",
    "title_en",
    "description",
    "category",
    "keywords",
    "license",
    "license_url",
    "cost",
    "cost_law",
    "update_frequency",
    "temporal_coverage",
    "spatial",
    "language",
    "contact",
    "landing_page",
    "notes",
    "fields",
    "primary_key",
)


def validate_metadata(raw: Mapping[str, Any], *, source: str = "metadata") -> DatasetMetadata:
    """Check every key of ``raw``; one ValidationError lists all problems, each naming its key."""
    meta = DatasetMetadata()
    problems: list[str] = []
    for key, value in raw.items():
        if key not in METADATA_KEYS:
            problems.append(f"{key}: unknown key (valid keys: {', '.join(METADATA_KEYS)})")
            continue
        if value is None:
            continue
        try:
            _apply(meta, str(key), value)
        except KaifangError as exc:
            problems.append(f"{exc.message}" + (f" ({exc.hint})" if exc.hint else ""))
        except (TypeError, ValueError) as exc:
            problems.append(f"{key}: {exc}")
    if meta.license == OTHER_LICENSE and not meta.license_url:
        problems.append("license_url: required when license is 'other' (the license's URL)")
    if meta.temporal_from and meta.temporal_to and meta.temporal_from > meta.temporal_to:
        problems.append("temporal_coverage: 'from' is after 'to'")
    if problems:
        raise ValidationError(
            f"{source}: " + "; ".join(problems),
            hint="Fix the keys named above; docs/metadata.md lists every key and its values.",
            problems=problems,
        )
    return meta


def load_metadata(path: str | Path) -> DatasetMetadata:
    """Read and validate a META.yaml file."""
    import yaml  # lazy: only publishing with --metadata reads YAML; catalog commands do not

    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValidationError(
            f"{file.name}: cannot read the metadata file ({exc.strerror})",
            hint="Check the path given to --metadata.",
        ) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ValidationError(
            f"{file.name}: not valid UTF-8 YAML ({exc})",
            hint="Write the metadata as a YAML mapping, e.g. 'title: 竊盜點位'.",
        ) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ValidationError(
            f"{file.name}: the metadata must be a YAML mapping of key: value",
            hint="See docs/metadata.md for an example.",
        )
    return validate_metadata(raw, source=file.name)
