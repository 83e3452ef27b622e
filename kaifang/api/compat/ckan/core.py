"""What every CKAN action shares: the call it receives, CKAN's errors, parameter parsing and
the registry of actions (filled explicitly by the modules of this package)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, BinaryIO, TypeVar

from kaifang.errors import UnauthorizedError
from kaifang.service import UserRecord
from kaifang.service.access import Service

HELP_PATH = "/api/3/action/help_show"
MAX_ROWS = 1000

Params = dict[str, Any]


@dataclass(frozen=True)
class Upload:
    """A file sent with an action (CKAN's ``upload`` field of a multipart request)."""

    filename: str
    stream: BinaryIO


@dataclass
class Call:
    """One action call: the service, its parameters, where links point and who calls."""

    service: Service
    params: Params
    base_url: str
    token: str | None = None
    files: dict[str, Upload] = field(default_factory=dict)

    def user(self) -> UserRecord:
        """The caller's account; CKAN's 403 ``Authorization Error`` without a valid token."""
        if not self.token:
            raise not_authorized(
                "this action needs an API token in the Authorization header "
                "(create one with: kaifang token create USER)"
            )
        try:
            return self.service.authenticate(self.token)
        except UnauthorizedError as exc:
            raise not_authorized(exc.message) from None


class CkanError(Exception):
    """An error in CKAN's shape: ``__type`` ``kind``, HTTP ``status``, and per-field messages
    (``{field: [message, ...]}``) for a ``Validation Error``."""

    def __init__(self, kind: str, message: str, status: int, **fields: Any) -> None:
        super().__init__(message)
        self.kind, self.message, self.status, self.fields = kind, message, status, fields


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", f"Not found: {message}", 404)


def not_authorized(message: str) -> CkanError:
    return CkanError("Authorization Error", f"Access denied: {message}", 403)


def invalid(field_name: str, message: str) -> CkanError:
    return CkanError("Validation Error", message, 409, **{field_name: [message]})


def invalid_fields(problems: dict[str, list[str]]) -> CkanError:
    """A 409 naming every offending field, as CKAN's validators do."""
    summary = "; ".join(f"{k}: {' '.join(v)}" for k, v in problems.items())
    return CkanError("Validation Error", summary, 409, **problems)


Action = Callable[[Call], Any]


@dataclass(frozen=True)
class ActionInfo:
    fn: Action
    doc: str
    writes: bool


ACTIONS: dict[str, ActionInfo] = {}


F = TypeVar("F", bound=Action)


def action(name: str, *, writes: bool = False) -> Callable[[F], F]:
    """Register ``fn`` as the CKAN action ``name``; its docstring is its ``help_show``."""

    def register(fn: F) -> F:
        ACTIONS[name] = ActionInfo(fn, (fn.__doc__ or "").strip(), writes)
        return fn

    return register


def help_url(base_url: str, name: str) -> str:
    return f"{base_url}{HELP_PATH}?name={name}"


# -- parameters ----------------------------------------------------------------------------
def integer(params: Params, key: str, default: int, maximum: int | None = None) -> int:
    raw = params.get(key, default)
    try:
        if isinstance(raw, bool) or (isinstance(raw, float) and not raw.is_integer()):
            raise TypeError(raw)  # JSON true or 2.5 is not a count
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid(key, f"{key}: Invalid integer {raw!r}") from None
    if value < 0:
        raise invalid(key, f"{key}: Must be a natural number")
    return min(value, maximum) if maximum is not None else value


_TRUE, _FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off", ""}


def boolean(params: Params, key: str, default: bool) -> bool:
    """CKAN's ``asbool``: a few spellings of true and false; anything else is refused."""
    raw = params.get(key, default)
    if isinstance(raw, bool):
        return raw
    if not isinstance(raw, str | int):
        raise invalid(key, f"{key}: Invalid boolean {raw!r}; use true or false")
    text = str(raw).strip().lower()
    if text not in _TRUE | _FALSE:
        raise invalid(key, f"{key}: Invalid boolean {raw!r}; use true or false")
    return text in _TRUE


def json_value(params: Params, key: str) -> Any:
    """A parameter that may arrive as JSON text (GET, multipart) or as JSON (POST body)."""
    raw = params.get(key)
    if isinstance(raw, str) and raw[:1] in "[{":
        try:
            return json.loads(raw)
        except ValueError:
            raise invalid(key, f"{key}: not valid JSON") from None
    return raw


def strings(params: Params, key: str) -> list[str]:
    raw = json_value(params, key)
    if raw is None or raw == "":
        return []
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return list(raw)
    if not isinstance(raw, str):
        raise invalid(key, f"{key}: must be a list of names")
    return [part.strip() for part in raw.split(",") if part.strip()]


def required(params: Params, key: str) -> str:
    value = params.get(key)
    if value is None or value == "":
        raise invalid(key, f"{key}: Missing value")
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise invalid(key, f"{key}: must be text")
    return str(value)
