"""core: ledger counters (entry numbers of append-only ledgers)

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-12-06 20:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'core_0002'
down_revision: str | Sequence[str] | None = 'core_0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('core_ledger_counter',
    sa.Column('table_name', sa.String(length=63), nullable=False),
    sa.Column('last_entry_no', sa.BigInteger(), nullable=False),
    sa.Column('sequence_name', sa.String(length=63), nullable=True),
    sa.PrimaryKeyConstraint('table_name', name=op.f('pk_core_ledger_counter'))
    )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        names = bind.execute(sa.text(
            'SELECT sequence_name FROM core_ledger_counter WHERE sequence_name IS NOT NULL'
        )).scalars().all()
        for name in names:
            op.execute(f'DROP SEQUENCE IF EXISTS {name}')
    op.drop_table('core_ledger_counter')
