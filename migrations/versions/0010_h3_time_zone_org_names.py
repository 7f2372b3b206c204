"""each user's time zone (Africa/Douala for existing users); organisation names per language

Revision ID: 0007_h3
Revises: 0007_h1
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_h3"
down_revision = "0007_h1"
branch_labels = None
depends_on = None

# The demo's UN agencies, whose names differ by language (existing rows get both names).
LOCAL_NAMES = {
    "IOM – International Organization for Migration": (
        "OIM – Organisation internationale pour les migrations",
        "IOM – International Organization for Migration"),
    "UN Women Cameroon": ("ONU Femmes Cameroun", "UN Women Cameroon"),
    "UNDP Cameroon": ("PNUD Cameroun", "UNDP Cameroon"),
    "UNICEF Cameroon": ("UNICEF Cameroun", "UNICEF Cameroon"),
}


def upgrade():
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=False,
                                   server_default="Africa/Douala"))
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(sa.Column("name_fr", sa.String(200), nullable=True))
        batch.add_column(sa.Column("name_en", sa.String(200), nullable=True))
    organisation = sa.table("organisation", sa.column("name", sa.String),
                            sa.column("name_fr", sa.String), sa.column("name_en", sa.String))
    for name, (fr, en) in LOCAL_NAMES.items():
        op.execute(organisation.update().where(organisation.c.name == name)
                   .values(name_fr=fr, name_en=en))


def downgrade():
    with op.batch_alter_table("organisation") as batch:
        batch.drop_column("name_en")
        batch.drop_column("name_fr")
    with op.batch_alter_table("user_account") as batch:
        batch.drop_column("time_zone")
