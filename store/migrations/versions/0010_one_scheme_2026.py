"""one scheme in 2026/2027: reports started as KKUB or KKUS become KKU

Revision ID: 0010
Revises: 0009

Until now the 2026/2027 cycle had two schemes, KKUB (barnehage) and KKUS (skole). No
source makes them schemes: one tilskuddsordning for kollektiv kompetanseutvikling
replaces Dekom, Rekom and Kompetanseløftet from 2026, and KKUB/KKUS are one group's
names for its fields (content/ordninger.yaml). A stored 2026/2027 report of KKUB or
KKUS becomes a KKU report (the column and the snapshot's header), unless its
partnership has both, or already a KKU report: two reports cannot share one
(cycle, scheme, network, partnership), so those keep their code, and the KKU scheme
takes them in through its `former` names. References already given stay as they are
(BM-2026-FOS-KKUS-0007 was issued and may be quoted); new ones are KKU's series.
Earlier versions in needs_report_versions stay as they were saved.
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CYCLE = "2026/2027"
OLD = ("KKUB", "KKUS")
NEW = "KKU"

reports = sa.table(
    "needs_reports",
    sa.column("id", sa.String),
    sa.column("cycle", sa.String),
    sa.column("scheme", sa.String),
    sa.column("network_id", sa.String),
    sa.column("partnership_key", sa.String),
    sa.column("snapshot", sa.JSON),
)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.select(reports.c.id, reports.c.scheme, reports.c.network_id,
                                  reports.c.partnership_key, reports.c.snapshot)
                        .where(reports.c.cycle == CYCLE,
                               reports.c.scheme.in_((*OLD, NEW)))).all()
    per_partnership = Counter((r.network_id, r.partnership_key) for r in rows)
    for row in rows:
        if row.scheme == NEW or per_partnership[(row.network_id, row.partnership_key)] > 1:
            continue
        snapshot = dict(row.snapshot)
        if isinstance(snapshot.get("header"), dict):
            snapshot["header"] = {**snapshot["header"], "scheme": NEW}
        bind.execute(reports.update().where(reports.c.id == row.id)
                     .values(scheme=NEW, snapshot=snapshot))


def downgrade() -> None:
    # Which of KKUB and KKUS a KKU report was cannot be told for a report whose measures
    # cover both fields; the reports stay KKU (the schema is unchanged by this revision).
    pass
