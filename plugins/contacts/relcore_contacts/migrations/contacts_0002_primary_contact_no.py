"""primary contact no. of company contacts

Revision ID: contacts_0002
Revises: contacts_0001
Create Date: 2026-12-06 22:15:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import relcore.db

revision: str = 'contacts_0002'
down_revision: str | Sequence[str] | None = 'contacts_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('contacts_contact', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'primary_contact_no',
                relcore.db.Code(length=20),
                nullable=False,
                server_default='',
            )
        )
    with op.batch_alter_table('contacts_contact', schema=None) as batch_op:
        batch_op.alter_column('primary_contact_no', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('contacts_contact', schema=None) as batch_op:
        batch_op.drop_column('primary_contact_no')
