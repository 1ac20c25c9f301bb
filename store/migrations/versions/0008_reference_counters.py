"""reference counters: one row per series, so concurrent submits never collide

Revision ID: 0008
Revises: 0007
"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    counters = op.create_table(
        "reference_counters",
        sa.Column("cycle", sa.String(16), primary_key=True),
        sa.Column("network_id", sa.String(64), primary_key=True),
        sa.Column("scheme", sa.String(16), primary_key=True),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    # Series already in use go on from their highest number (BM-2026-FOS-KKUS-0007 -> 7).
    rows = op.get_bind().execute(sa.text(
        "SELECT cycle, network_id, scheme, reference FROM needs_reports "
        "WHERE reference IS NOT NULL"))
    last: dict[tuple[str, str, str], int] = {}
    for cycle, network_id, scheme, reference in rows:
        number = re.search(r"(\d+)$", str(reference))
        if number:
            key = (str(cycle), str(network_id), str(scheme))
            last[key] = max(last.get(key, 0), int(number.group(1)))
    if last:
        op.bulk_insert(counters, [{"cycle": c, "network_id": n, "scheme": s, "last": v}
                                  for (c, n, s), v in last.items()])


def downgrade() -> None:
    op.drop_table("reference_counters")
