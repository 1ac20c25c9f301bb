"""seen activities: each redelivered activity is answered once, across replicas

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_activities",
        sa.Column("conversation_id", sa.String(512), primary_key=True),
        sa.Column("activity_id", sa.String(256), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_activities_at", "seen_activities", ["at"])


def downgrade() -> None:
    op.drop_index("ix_seen_activities_at", table_name="seen_activities")
    op.drop_table("seen_activities")
