"""Uploads waiting to be published from the portal.

A file uploaded by an editor lives in a private folder (mode 0700) under
``<data_dir>/uploads/<random id>/`` until it is published or an hour has passed. ``inspect``
gives the reading report, the screening report and the proposed privacy policy; ``publish``
applies the policy the editor adjusted and publishes through the normal pipeline.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import duckdb
import yaml

from kaifang.catalog.edits import check_form, form_metadata
from kaifang.catalog.identifiers import check_id
from kaifang.catalog.records import UserRecord
from kaifang.errors import (
    KaifangError,
    NotFoundError,
    PublishRefusedError,
    RaggedRowsError,
    SchemaChangeError,
    ValidationError,
)
from kaifang.privacy import ColumnPolicy, ScreeningReport, apply_policy, propose_policy, screen
from kaifang.privacy.detectors import DEFAULT_DETECTORS
from kaifang.privacy.legal_basis import (
    FORM_FIELDS,
    LISTED_BASES,
    LegalBasis,
    covered_columns,
    split_columns,
)
from kaifang.privacy.model import ACTIONS
from kaifang.privacy.policy import GENERALIZE_TARGETS, Policy
from kaifang.reading import open_table
from kaifang.reading.limits import ReadLimits
from kaifang.settings import Settings
from kaifang.sqlutil import quote_ident
from kaifang.storage.store import VersionStore

if TYPE_CHECKING:
    from kaifang.service import Service

MAX_AGE_SECONDS = 3600
DESCRIBE = "describe:"
"""Prefix of the review form's column descriptions (``describe:<column>``)."""
UPLOAD_ID_BYTES = 18
META_FILE = "upload.json"
POLICY_FILE = "policy.yaml"


PREVIEW_ROWS = 5


def masked_preview(
    relation: duckdb.DuckDBPyRelation, report: ScreeningReport, settings: Settings
) -> list[list[Any]]:
    """The first rows for the review page, every column the screen flags masked (an ID
    number or a phone must not appear on a page before the editor decided what to do):
    columns with a category, and columns with a finding (ID-shaped values failing their
    checksum may still be real numbers mistyped)."""
    styles = {d.name: d.mask_style for d in DEFAULT_DETECTORS}
    noted = {f.column for f in report.findings if f.column}
    masks: dict[str, ColumnPolicy] = {}
    for col in report.columns:
        if col.category == "none" and col.name not in noted:
            continue
        first = col.detectors[0] if col.detectors else ""
        style = "text" if col.free_text else styles.get(first, "middle")
        masks[col.name] = ColumnPolicy("mask", style=style if style != "none" else "middle")
    shown = apply_policy(relation.limit(PREVIEW_ROWS), Policy(columns=masks), settings)
    return [["" if v is None else str(v) for v in row] for row in shown.fetchall()]


@dataclass(frozen=True)
class PolicyProblem:
    """A column whose chosen action cannot be applied, shown beside that column."""

    column: str
    code: str
    message: str


MAX_NAME_BYTES = 200
"""Longest uploaded file name kept (UTF-8 bytes); file systems stop at 255."""


def upload_name(filename: str | None) -> str:
    """The name an uploaded file is stored under: its last path part, which must be a real
    name of at most ``MAX_NAME_BYTES`` bytes (``..`` or a 300-character name is a 400)."""
    name = Path((filename or "").replace("\\", "/")).name.strip() or "upload.csv"
    if name in {".", ".."} or "\x00" in name:
        raise ValidationError(
            f"the file name {name!r} is not a file name",
            hint="Rename the file, e.g. data.csv, and upload it again.",
        )
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise ValidationError(
            f"the file name is {len(name.encode('utf-8'))} bytes long; at most "
            f"{MAX_NAME_BYTES} are accepted",
            hint="Rename the file to a shorter name and upload it again.",
        )
    return name


LEFTOVER_PREFIXES = ("kaifang-upload-", "kaifang-read-", "kaifang-publish-")
"""Temporary folders kaifang makes in the system's temp directory (API uploads, the
reader's work folders, publishes)."""
LEFTOVER_AGE_SECONDS = 24 * 3600
"""Such a folder untouched this long was left by a crash: no upload or read takes a day."""


def clean_leftovers(settings: Settings, store: VersionStore) -> int:
    """At start-up: remove what a crash left behind (expired uploads, staging folders whose
    writer is gone, day-old kaifang temp folders); how many were removed."""
    removed = UploadArea(settings).clean_expired()
    removed += len(store.cleanup_staging())
    now = time.time()
    for folder in Path(tempfile.gettempdir()).glob("kaifang-*"):
        try:
            stale = now - folder.stat().st_mtime > LEFTOVER_AGE_SECONDS
        except OSError:
            continue
        if folder.is_dir() and folder.name.startswith(LEFTOVER_PREFIXES) and stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


class UploadArea:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = Path(settings.data_dir) / "uploads"

    def _folder(self, upload_id: str) -> Path:
        if not upload_id.replace("-", "").replace("_", "").isalnum() or len(upload_id) > 64:
            raise NotFoundError(f"upload {upload_id!r} does not exist", key="upload")
        folder = self.root / upload_id
        if not (folder / META_FILE).is_file():
            raise NotFoundError(
                f"upload {upload_id!r} does not exist or has expired",
                hint="Uploads are kept for an hour; upload the file again.",
                key="upload",
            )
        return folder

    def clean_expired(self, *, now: float | None = None) -> int:
        """Remove uploads older than an hour; the number removed."""
        moment = time.time() if now is None else now
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in self.root.iterdir():
            if folder.is_dir() and moment - folder.stat().st_mtime > MAX_AGE_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        return removed

    def save(self, owner: str, filename: str, stream: BinaryIO, *, org: str) -> str:
        """Keep an uploaded file; its random id."""
        self.clean_expired()
        name = upload_name(filename)
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)
        upload_id = secrets.token_urlsafe(UPLOAD_ID_BYTES)
        folder = self.root / upload_id
        folder.mkdir(mode=0o700)
        with (folder / name).open("wb") as out:
            shutil.copyfileobj(stream, out, length=1024 * 1024)
        meta = {"owner": owner, "file": name, "org": org}
        (folder / META_FILE).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        return upload_id

    def meta(self, upload_id: str) -> dict[str, Any]:
        folder = self._folder(upload_id)
        meta: dict[str, Any] = json.loads((folder / META_FILE).read_text(encoding="utf-8"))
        meta["path"] = folder / str(meta["file"])
        meta["id"] = upload_id
        return meta

    def inspect(self, upload_id: str, *, owner: str) -> dict[str, Any]:
        """``{upload, reading, screening, policy}`` for the review page; only the uploader
        ``owner`` sees it (for anyone else the upload does not exist)."""
        meta = self.meta(upload_id)
        if meta["owner"] != owner:
            raise NotFoundError(f"upload {upload_id!r} does not exist", key="upload")
        con = duckdb.connect()
        try:
            limits = ReadLimits.from_settings(self.settings)
            with open_table(meta["path"], limits=limits) as table:
                reading = table.report(preview=0)
                relation = table.relation(con)
                report = screen(relation, settings=self.settings)
                reading["preview"] = masked_preview(relation, report, self.settings)
        finally:
            con.close()
        return {
            "upload": {k: v for k, v in meta.items() if k != "path"},
            "reading": reading,
            "screening": report.to_dict(),
            "policy": propose_policy(report).to_dict(),
            "actions": list(ACTIONS),
            "generalize_targets": GENERALIZE_TARGETS,
            "bases": [{"label": b.label, "note": b.note} for b in LISTED_BASES],
        }

    def policy_from_form(
        self, proposed: dict[str, Any], choices: dict[str, str], *, has_basis: bool
    ) -> tuple[Policy, list[PolicyProblem]]:
        """The proposed policy with the editor's per-column actions, and what is wrong."""
        problems: list[PolicyProblem] = []
        data = dict(proposed)
        columns = {name: dict(spec) for name, spec in (proposed.get("columns") or {}).items()}
        for name, spec in columns.items():
            action = choices.get(f"action:{name}", spec["action"])
            target = choices.get(f"to:{name}") or spec.get("to")
            if action not in ACTIONS:
                problems.append(PolicyProblem(name, "unknown-action", f"unknown action {action!r}"))
                continue
            spec["action"] = action
            if action == "generalize":
                if target not in GENERALIZE_TARGETS:
                    problems.append(
                        PolicyProblem(name, "generalize-target", "choose what to generalize to")
                    )
                    continue
                spec["to"] = target
            else:
                spec.pop("to", None)
            if action == "review" and not has_basis:
                problems.append(
                    PolicyProblem(
                        name,
                        "needs-decision",
                        "decide this column (drop, mask, generalize…) or record a legal basis",
                    )
                )
        data["columns"] = columns
        try:
            return Policy.from_dict(data, source="the policy form"), problems
        except ValidationError as exc:
            return Policy(columns={}), [*problems, PolicyProblem("", "invalid", exc.message)]

    def write_policy(self, upload_id: str, policy: Policy) -> Path:
        path = self._folder(upload_id) / POLICY_FILE
        path.write_text(yaml.safe_dump(policy.to_dict(), allow_unicode=True), encoding="utf-8")
        return path

    def pending_confirmation(self, upload_id: str) -> Path:
        """Where the confirmation last shown for the upload is kept (token, form digest)."""
        return self._folder(upload_id) / CONFIRM_FILE

    def discard(self, upload_id: str) -> None:
        shutil.rmtree(self._folder(upload_id), ignore_errors=True)


def refusal_problems(exc: PublishRefusedError) -> list[PolicyProblem]:
    """One problem per blocking column (code ``blocked_<gate code>``), so the page marks each
    column's row and says what to do in its own language; a k-anonymity failure names every
    quasi-identifier it counted, and each is marked."""
    problems: list[PolicyProblem] = []
    for failure in exc.details.get("columns") or []:
        names = [n.strip() for n in str(failure.get("column") or "").split(",") if n.strip()]
        message = f"{failure.get('message', '')} → {failure.get('fix', '')}"
        for name in names or [""]:
            problems.append(PolicyProblem(name, f"blocked_{failure.get('code')}", message))
    return problems or [PolicyProblem("", "publish", exc.message)]


BASIS_COLUMN = "basis_column:"
"""A review form's checkbox per column the legal basis covers (``basis_column:<name>``)."""
CONFIRM_FILE = "confirm.json"
CONFIRM_SAMPLES = 3
DIRECT = "direct_identifier"


def basis_form(form: dict[str, str]) -> dict[str, str]:
    """The legal-basis fields of a review form (``FORM_FIELDS``), the ticked columns joined."""
    fields = {name: form.get(name, "") for name in FORM_FIELDS}
    ticked = [
        key[len(BASIS_COLUMN) :]
        for key, value in form.items()
        if key.startswith(BASIS_COLUMN) and value
    ]
    fields["basis_columns"] = ",".join([*split_columns(fields["basis_columns"]), *ticked])
    return fields


def _form_digest(form: dict[str, str]) -> str:
    kept = {k: v for k, v in form.items() if k not in ("csrf", "confirm")}
    return hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass(frozen=True)
class Reviewed:
    """What a submitted review form led to: the publish's ``result``, the ``problems`` to
    mark, or (personal data under a legal basis) a ``confirmation`` to show first."""

    result: dict[str, Any] | None = None
    problems: list[PolicyProblem] = field(default_factory=list)
    confirmation: dict[str, Any] | None = None


def _masked_samples(
    published: duckdb.DuckDBPyRelation, name: str, style: str, settings: Settings
) -> list[str]:
    """A few distinct values of column ``name`` as they will be published, masked."""
    quoted = quote_ident(name)
    values = published.filter(f"{quoted} IS NOT NULL").select(quoted).distinct()
    masks = Policy(columns={name: ColumnPolicy("mask", style=style)})
    shown = apply_policy(values.limit(CONFIRM_SAMPLES), masks, settings).fetchall()
    return [str(row[0]) for row in shown]


def confirmation_of(
    area: UploadArea, upload_id: str, policy: Policy, basis: LegalBasis, form: dict[str, str]
) -> dict[str, Any]:
    """The confirmation page's content: each column the basis makes public, what the screen
    found there (in the rows as read: the policy may suppress every row), a few of its values
    as they will be published, masked, and the rows kept; a fresh token (kept in the upload's
    folder with a digest of the form) that the confirming form returns."""
    meta = area.meta(upload_id)
    styles = {d.name: d.mask_style for d in DEFAULT_DETECTORS}
    con = duckdb.connect()
    try:
        with open_table(meta["path"], limits=ReadLimits.from_settings(area.settings)) as table:
            relation, rows_read = table.relation(con), table.rows
            published = apply_policy(relation, policy, area.settings)
            found = {c.name: c for c in screen(relation, settings=area.settings).columns}
            identifiers = {n: c.detectors for n, c in found.items() if c.category == DIRECT}
            basis = covered_columns(basis, identifiers, columns=published.columns)
            columns = []
            for name in basis.columns:
                detectors = list(found[name].detectors) if name in found else []
                style = styles.get(detectors[0], "middle") if detectors else "middle"
                samples = _masked_samples(
                    published, name, style if style != "none" else "middle", area.settings
                )
                category = found[name].category if name in found else "none"
                columns.append(
                    {"name": name, "category": category, "detectors": detectors, "samples": samples}
                )
            after = screen(published, settings=area.settings)
            rows = after.rows
    finally:
        con.close()
    token = secrets.token_urlsafe(UPLOAD_ID_BYTES)
    pending = {"token": token, "digest": _form_digest(form)}
    area.pending_confirmation(upload_id).write_text(json.dumps(pending), encoding="utf-8")
    return {
        "basis": basis.to_dict(),
        "label": basis.label,
        "columns": columns,
        "uncovered": [c for c in after.direct_identifiers if c not in basis.columns],
        "rows": rows,
        "rows_read": rows_read,
        "token": token,
        "form": {k: v for k, v in form.items() if k not in ("csrf", "confirm")},
    }


def _confirmed(area: UploadArea, upload_id: str, form: dict[str, str]) -> bool:
    """Whether ``form`` confirms exactly the confirmation page last shown for the upload."""
    path = area.pending_confirmation(upload_id)
    token = form.get("confirm", "")
    if not token or not path.is_file():
        return False
    pending = json.loads(path.read_text(encoding="utf-8"))
    return secrets.compare_digest(str(pending.get("token")), token) and pending.get(
        "digest"
    ) == _form_digest(form)


def publish_reviewed(
    service: Service, user: UserRecord, upload_id: str, form: dict[str, str]
) -> Reviewed:
    """``Service.publish_reviewed_upload``: the upload's owner publishes it with the policy
    from the review form, through ``Service.publish_as``. With a legal basis nothing is
    published until the editor confirmed the page listing the columns it makes public and
    some of their values, masked (:func:`confirmation_of`)."""
    area = service.uploads
    meta = area.meta(upload_id)
    if meta["owner"] != user.name:
        raise NotFoundError(f"upload {upload_id!r} does not exist", key="upload")
    org = meta["org"]
    service.check_writer(user, org)
    chosen = basis_form(form)
    proposed = json.loads(form.get("proposed_policy") or "{}")
    has_basis = any(chosen[name] for name in FORM_FIELDS)
    policy, problems = area.policy_from_form(proposed, form, has_basis=has_basis)
    title, dataset = form.get("title", "").strip(), form.get("dataset", "").strip()
    if not title and not dataset:
        problems.append(PolicyProblem("", "title", "give the new dataset a title"))
    dataset_id = form.get("dataset_id", "").strip() or None
    if dataset_id is not None:
        try:
            check_id(dataset_id)
        except ValidationError as exc:
            problems.append(PolicyProblem("dataset_id", "id", f"{exc.message} {exc.hint}"))
    # the metadata the openness rubric asks for, so that a first publish can reach 金
    for problem in check_form(form):
        problems.append(PolicyProblem(problem.field, f"metadata_{problem.code}", problem.message))
    metadata = form_metadata(form)
    described = {
        key.removeprefix(DESCRIBE): text.strip()
        for key, text in form.items()
        if key.startswith(DESCRIBE) and text.strip()
    }
    if described:
        metadata["fields"] = described
    basis = None
    try:  # a listed law any editor may use; a citation of another law only an admin
        basis = service.legal_basis_for(user, org, chosen)
    except ValidationError as exc:
        problems.append(PolicyProblem("legal_basis", "legal_basis", exc.message))
    if problems:
        return Reviewed(problems=problems)
    if basis is not None and not _confirmed(area, upload_id, form):
        try:
            return Reviewed(confirmation=confirmation_of(area, upload_id, policy, basis, form))
        except ValidationError as exc:
            return Reviewed(problems=[PolicyProblem("legal_basis", "legal_basis", exc.message)])
    try:
        result = service.publish_as(
            user,
            meta["path"],
            org=org,
            title=title or None,
            dataset=dataset or None,
            dataset_id=dataset_id,
            policy=area.write_policy(upload_id, policy),
            legal_basis=chosen,
            allow_ragged=form.get("allow_ragged") == "1",
            allow_schema_change=form.get("allow_schema_change") == "1",
            metadata=metadata or None,
        )
    except (SchemaChangeError, RaggedRowsError) as exc:
        # A confirmation step: the review page shows the message with a box to accept it.
        name = "allow_schema_change" if isinstance(exc, SchemaChangeError) else "allow_ragged"
        return Reviewed(problems=[PolicyProblem(name, exc.code, exc.message)])
    except PublishRefusedError as exc:
        return Reviewed(problems=refusal_problems(exc))
    except KaifangError as exc:
        column = str(exc.details.get("column") or exc.details.get("key") or "")
        return Reviewed(problems=[PolicyProblem(column, "publish", exc.message)])
    area.discard(upload_id)
    return Reviewed(result=result)
