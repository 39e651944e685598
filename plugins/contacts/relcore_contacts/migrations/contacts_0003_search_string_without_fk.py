"""duplicate search strings without a foreign key to the contact

The index is derived data: ``duplicates --regenerate`` rebuilds it from the contacts and the
contact service removes a contact's strings when the contact is deleted. The foreign key's
per-row check cost about 40 % of a rebuild and of the index part of an import, and on SQLite it
made ``DELETE FROM`` of the whole index go row by row.

Revision ID: contacts_0003
Revises: contacts_0002
Create Date: 2026-12-07 02:30:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'contacts_0003'
down_revision: str | Sequence[str] | None = 'contacts_0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FK = 'fk_contacts_duplicate_search_string_contact_company_no_contacts_contact'
# strings of contacts that are gone (none unless rows were deleted outside relcore)
_ORPHANS = (
    'DELETE FROM contacts_duplicate_search_string WHERE contact_company_no NOT IN '
    '(SELECT no FROM contacts_contact)'
)


def upgrade() -> None:
    op.execute(_ORPHANS)
    with op.batch_alter_table('contacts_duplicate_search_string', schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_FK), type_='foreignkey')


def downgrade() -> None:
    op.execute(_ORPHANS)
    with op.batch_alter_table('contacts_duplicate_search_string', schema=None) as batch_op:
        batch_op.create_foreign_key(
            op.f(_FK), 'contacts_contact', ['contact_company_no'], ['no']
        )
