"""Tables of identity: people, roles, login sessions, voter rolls.

The tax number (ΑΦΜ) is never stored: a person is keyed by ``taxid_hmac``,
an HMAC-SHA256 of the normalised ΑΦΜ with the server secret (see ``hashing``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Person(SQLModel, table=True):
    __tablename__ = "person"

    id: int | None = Field(default=None, primary_key=True)
    # None once the account is deleted (GDPR): nothing then links it to anyone.
    taxid_hmac: str | None = Field(default=None, max_length=64, unique=True)
    display_name: str = Field(max_length=80)
    nickname: str | None = Field(default=None, max_length=40)
    birth_year: int | None = None
    # As gov.gr gives it at each login (title case): prefills forms that ask for it.
    father_name: str | None = Field(default=None, max_length=80)
    first_login_at: datetime | None = None
    last_login_at: datetime | None = None
    deleted_at: datetime | None = None

    @property
    def public_name(self) -> str:
        """The name shown to others (Greek "deleted user" text once deleted).

        Pages that know the reader's language use ``queries.public_name_in``.
        """
        if self.deleted_at is not None:
            from syros_app.core.i18n import translate

            return translate("identity.deleted_user", "el")
        return self.nickname or self.display_name


class RoleGrant(SQLModel, table=True):
    """A staff role held by a person (residents hold no row)."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("person_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(max_length=20)
    # The department a department officer works for (None for the other roles).
    department: str | None = Field(default=None, max_length=40)
    granted_by: int | None = Field(default=None, foreign_key="person.id")
    granted_at: datetime


class LoginSession(SQLModel, table=True):
    """A server-side login session; the cookie carries a token, we store its hash."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime = Field(index=True)


class VoterRoll(SQLModel, table=True):
    __tablename__ = "voter_roll"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120, unique=True)
    created_at: datetime
    created_by: int | None = Field(default=None, foreign_key="person.id")
    entry_count: int = 0


class VoterRollEntry(SQLModel, table=True):
    __tablename__ = "voter_roll_entry"
    __table_args__ = (UniqueConstraint("roll_id", "taxid_hmac"),)

    id: int | None = Field(default=None, primary_key=True)
    roll_id: int = Field(foreign_key="voter_roll.id", index=True)
    taxid_hmac: str = Field(max_length=64, index=True)
    municipal_unit: str | None = Field(default=None, max_length=40)


class GovgrUsedCode(SQLModel, table=True):
    """Authorization codes the local gov.gr stand-in has already exchanged.

    Codes are self-contained encrypted tokens (nothing about the person is
    stored); only a hash of each used code is kept, to refuse a replay.
    """

    __tablename__ = "govgr_used_code"

    code_hash: str = Field(primary_key=True, max_length=64)
    used_at: datetime = Field(index=True)
