"""needs reports, their versions, and partnership members

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "needs_reports",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cycle", sa.String(16), nullable=False),
        sa.Column("scheme", sa.String(16), nullable=False),
        sa.Column("network_id", sa.String(64), nullable=False),
        sa.Column("partnership_key", sa.String(200), nullable=False),
        sa.Column("partnership_name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(40), nullable=True, unique=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("measures", sa.Integer(), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("cycle", "scheme", "network_id", "partnership_key",
                            name="uq_needs_report_per_partnership"),
    )
    op.create_index("ix_needs_reports_network", "needs_reports", ["network_id", "cycle"])
    op.create_table(
        "needs_report_versions",
        sa.Column("report_id", sa.String(36),
                  sa.ForeignKey("needs_reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer(), primary_key=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("actor", sa.String(64), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=False),
    )
    op.create_table(
        "partnership_members",
        sa.Column("network_id", sa.String(64), primary_key=True),
        sa.Column("partnership_key", sa.String(200), primary_key=True),
        sa.Column("aad_object_id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("conversation_id", sa.String(512), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_partnership_members_aad", "partnership_members", ["aad_object_id"])


def downgrade() -> None:
    op.drop_index("ix_partnership_members_aad", table_name="partnership_members")
    op.drop_table("partnership_members")
    op.drop_table("needs_report_versions")
    op.drop_index("ix_needs_reports_network", table_name="needs_reports")
    op.drop_table("needs_reports")
