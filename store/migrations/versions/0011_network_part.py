"""the network's part: assessments per measure, and the compiled reports as sent

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "measure_assessments",
        sa.Column("report_id", sa.String(36),
                  sa.ForeignKey("needs_reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("measure_id", sa.String(16), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("network_id", sa.String(64), nullable=False),
        sa.Column("cycle", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("actor", sa.String(64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "compiled_reports",
        sa.Column("network_id", sa.String(64), primary_key=True),
        sa.Column("cycle", sa.String(16), primary_key=True),
        sa.Column("scheme", sa.String(16), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(40), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by", sa.String(64)),
        sa.Column("sent_by_name", sa.String(200)),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
        sa.Column("workbook", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_compiled_reports_reference", "compiled_reports", ["reference"])
    op.create_index("ix_compiled_reports_cycle", "compiled_reports", ["cycle"])
    with op.batch_alter_table("exports") as batch:
        batch.add_column(sa.Column("compiled_version", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("exports") as batch:
        batch.drop_column("compiled_version")
    op.drop_index("ix_compiled_reports_cycle", table_name="compiled_reports")
    op.drop_index("ix_compiled_reports_reference", table_name="compiled_reports")
    op.drop_table("compiled_reports")
    op.drop_table("measure_assessments")
