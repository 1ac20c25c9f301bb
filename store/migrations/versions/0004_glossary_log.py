"""glossary: unanswered questions and answer feedback

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("text", sa.String(500), nullable=False),
        sa.Column("conversation_type", sa.String(32), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("best_guess", sa.String(64), nullable=True),
    )
    op.create_table(
        "answer_feedback",
        sa.Column("entry_id", sa.String(64), primary_key=True),
        sa.Column("voter", sa.String(64), primary_key=True),
        sa.Column("useful", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("answer_feedback")
    op.drop_table("question_log")
