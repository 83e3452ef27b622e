from __future__ import annotations

import pytest
from sqlalchemy import select

from kaifang.catalog import (
    authenticate,
    create_organization,
    create_token,
    create_user,
    grant_role,
    list_organizations,
    open_catalog,
)
from kaifang.catalog.accounts import hash_token
from kaifang.catalog.models import ApiToken
from kaifang.errors import (
    ConflictError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
)
from kaifang.settings import Settings


def test_organizations_users_roles_and_tokens(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        org = create_organization(catalog, "379130000e", name="臺北市政府警察局")
        assert org.to_dict() == {"code": "379130000E", "name": "臺北市政府警察局", "name_en": ""}
        alice = create_user(catalog, "alice", org="379130000E", role="admin")
        assert alice.roles == {"379130000E": "admin"}
        create_organization(catalog, "376000000A", name="內政部")
        assert grant_role(catalog, "alice", "376000000A", "member").roles == {
            "379130000E": "admin",
            "376000000A": "member",
        }
        new = create_token(catalog, "alice")
        assert new.token.startswith(f"kf_{new.prefix}_")
        assert authenticate(catalog, new.token).name == "alice"
        with catalog.read() as session:
            stored = session.scalars(select(ApiToken)).one()
        assert stored.token_hash == hash_token(new.token)
        assert new.token not in (stored.token_hash, stored.prefix)
        assert [o.code for o in list_organizations(catalog)] == ["376000000A", "379130000E"]


@pytest.mark.parametrize(
    "token",
    ["", "nonsense", "kf_deadbeef_wrong", "Bearer kf_x_y"],
)
def test_bad_tokens_are_refused(catalog_settings: Settings, token: str) -> None:
    with open_catalog(catalog_settings) as catalog:
        create_user(catalog, "bob")
        real = create_token(catalog, "bob")
        with pytest.raises(UnauthorizedError):
            authenticate(catalog, token)
        with pytest.raises(UnauthorizedError):
            authenticate(catalog, real.token[:-1] + ("A" if real.token[-1] != "A" else "B"))


def test_account_errors_say_what_to_do(catalog_settings: Settings) -> None:
    with open_catalog(catalog_settings) as catalog:
        create_organization(catalog, "379130000E", name="x")
        with pytest.raises(ConflictError):
            create_organization(catalog, "379130000E", name="again")
        with pytest.raises(ValidationError, match="379130000E"):
            create_organization(catalog, "TPE", name="bad code")
        with pytest.raises(NotFoundError, match="kaifang org create"):
            create_user(catalog, "carol", org="000000000X")
        with pytest.raises(ValidationError, match="admin, editor, member"):
            create_user(catalog, "carol", org="379130000E", role="boss")
        with pytest.raises(NotFoundError, match="kaifang user create"):
            create_token(catalog, "nobody")
        create_user(catalog, "carol")
        with pytest.raises(ConflictError):
            create_user(catalog, "carol")
