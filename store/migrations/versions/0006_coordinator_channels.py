"""coordinator channels per network

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "coordinator_channels",
        sa.Column("network_id", sa.String(64), primary_key=True),
        sa.Column("conversation_id", sa.String(512),
                  sa.ForeignKey("conversations.conversation_id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("registered_by", sa.String(64), nullable=True),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("coordinator_channels")
