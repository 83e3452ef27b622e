"""Organizations, users, roles and API tokens.

A token is ``kf_<prefix>_<secret>``: the prefix (8 hex characters) finds the row, and only the
SHA-256 of the whole token is stored, so a leaked catalog reveals no usable token. The token is
shown once, when it is created.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from kaifang.catalog.db import Catalog
from kaifang.catalog.identifiers import normalize_org_code
from kaifang.catalog.models import ROLES, ApiToken, Membership, Organization, User, utcnow
from kaifang.catalog.records import OrganizationRecord, RevokedToken, TokenRecord, UserRecord
from kaifang.errors import ConflictError, NotFoundError, UnauthorizedError, ValidationError

TOKEN_PREFIX = "kf"


def find_organization(session: Session, code: str) -> Organization:
    org = session.scalar(select(Organization).where(Organization.code == code.strip().upper()))
    if org is None:
        known = session.scalars(select(Organization.code).order_by(Organization.code)).all()
        raise NotFoundError(
            f"organization {code!r} does not exist",
            hint=(
                f"Create it with: kaifang org create {code} --name NAME"
                + (f" (known: {', '.join(known[:20])})" if known else "")
            ),
            key="org",
        )
    return org


def create_organization(
    catalog: Catalog, code: str, *, name: str, name_en: str = ""
) -> OrganizationRecord:
    normalized = normalize_org_code(code)
    if not name.strip():
        raise ValidationError("organization name is empty", hint="Pass --name NAME.", key="name")
    with catalog.write() as session:
        if session.scalar(select(Organization).where(Organization.code == normalized)):
            raise ConflictError(f"organization {normalized} already exists")
        org = Organization(code=normalized, name=name.strip(), name_en=name_en.strip())
        session.add(org)
        session.flush()
        return OrganizationRecord.from_row(org)


def list_organizations(catalog: Catalog) -> list[OrganizationRecord]:
    with catalog.read() as session:
        orgs = session.scalars(select(Organization).order_by(Organization.code)).all()
        return [OrganizationRecord.from_row(o) for o in orgs]


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise NotFoundError(
            f"user {name!r} does not exist", hint=f"Create it with: kaifang user create {name}"
        )
    return user


def create_user(
    catalog: Catalog,
    name: str,
    *,
    email: str = "",
    org: str | None = None,
    role: str = "editor",
) -> UserRecord:
    """Create a user, optionally with ``role`` in organization ``org``."""
    if not name.strip():
        raise ValidationError("user name is empty", key="name")
    if role not in ROLES:
        raise ValidationError(
            f"role: unknown role {role!r}", hint=f"Valid roles: {', '.join(ROLES)}.", key="role"
        )
    with catalog.write() as session:
        if session.scalar(select(User).where(User.name == name)):
            raise ConflictError(f"user {name!r} already exists")
        organization = find_organization(session, org) if org else None
        user = User(name=name.strip(), email=email.strip())
        session.add(user)
        if organization is not None:
            session.add(Membership(user=user, organization=organization, role=role))
        session.flush()
        session.refresh(user)
        return UserRecord.from_row(user)


def grant_role(catalog: Catalog, user: str, org: str, role: str) -> UserRecord:
    if role not in ROLES:
        raise ValidationError(f"role: unknown role {role!r}", hint=f"Valid roles: {ROLES}.")
    with catalog.write() as session:
        account = find_user(session, user)
        organization = find_organization(session, org)
        membership = session.get(Membership, (account.id, organization.id))
        if membership is None:
            session.add(Membership(user=account, organization=organization, role=role))
        else:
            membership.role = role
        session.flush()
        session.refresh(account)
        return UserRecord.from_row(account)


@dataclass(frozen=True)
class NewToken:
    token: str  # shown once, never stored
    prefix: str
    user: str

    def to_dict(self) -> dict[str, str]:
        return {"token": self.token, "prefix": self.prefix, "user": self.user}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(catalog: Catalog, user: str, *, label: str = "") -> NewToken:
    with catalog.write() as session:
        account = find_user(session, user)
        prefix = secrets.token_hex(4)
        while session.scalar(select(ApiToken).where(ApiToken.prefix == prefix)):
            prefix = secrets.token_hex(4)  # pragma: no cover - 1 in 4 billion
        token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        session.add(
            ApiToken(user=account, prefix=prefix, token_hash=hash_token(token), label=label)
        )
        return NewToken(token=token, prefix=prefix, user=account.name)


def authenticate(catalog: Catalog, token: str) -> UserRecord:
    """The user a token belongs to, else UnauthorizedError."""
    parts = token.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        raise UnauthorizedError("malformed API token", hint="Tokens look like kf_xxxxxxxx_...")
    with catalog.write() as session:
        row = session.scalar(select(ApiToken).where(ApiToken.prefix == parts[1]))
        if (
            row is None
            or row.revoked is not None
            or not hmac.compare_digest(row.token_hash, hash_token(token.strip()))
        ):
            raise UnauthorizedError(
                "unknown or revoked API token", hint="Create one with: kaifang token create USER"
            )
        row.last_used = utcnow()
        return UserRecord.from_row(row.user)


def list_tokens(catalog: Catalog, user: str) -> list[TokenRecord]:
    """USER's tokens, newest first: prefix, label, created, last used, revoked (never the
    token or its hash)."""
    with catalog.read() as session:
        account = find_user(session, user)
        rows = session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == account.id)
            .order_by(ApiToken.created.desc(), ApiToken.id.desc())
        ).all()
        return [TokenRecord.from_row(row) for row in rows]


def revoke_token(catalog: Catalog, user: str, prefix: str) -> RevokedToken:
    """Revoke USER's token ``prefix``: it stops working at once, and so do the portal
    sessions logged in with it. Revoking a revoked token changes nothing."""
    with catalog.write() as session:
        account = find_user(session, user)
        row = session.scalar(
            select(ApiToken).where(ApiToken.prefix == prefix, ApiToken.user_id == account.id)
        )
        if row is None:
            raise NotFoundError(
                f"user {user!r} has no token {prefix!r}",
                hint=f"List the prefixes with: kaifang token list {user}",
                key="prefix",
            )
        if row.revoked is None:
            row.revoked = utcnow()
        return RevokedToken(prefix=row.prefix, user=account.name, revoked=row.revoked)
