"""conversations: where Kompis is, for replies and proactive messages

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("conversation_id", sa.String(512), primary_key=True),
        sa.Column("channel_id", sa.String(64), nullable=False),
        sa.Column("service_url", sa.String(1024), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=True),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("team_id", sa.String(512), nullable=True),
        sa.Column("teams_channel_id", sa.String(512), nullable=True),
        sa.Column("user_aad_id", sa.String(64), nullable=True),
        sa.Column("reference", sa.JSON(), nullable=False),
        sa.Column("installed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversations_tenant", "conversations", ["tenant_id"])


def downgrade() -> None:
    op.drop_index("ix_conversations_tenant", table_name="conversations")
    op.drop_table("conversations")
