"""questionnaire versions (issue 25, part 2): an administrator uploads new versions of a
questionnaire (XLSForm); each follow-up visit records the form version it was answered on.

New table questionnaire_version: form_id, version, title, the uploaded .xlsx (a form
definition, no personal data) and its SHA-256, who uploaded it and when, published flag, who
published it and when. New column follow_up.form_version; the structured visits already
recorded (a visit date) were answered on the shipped form, version 2026120401.

Revision ID: 0018_qversions
Revises: 0017_groups
"""
import sqlalchemy as sa
from alembic import op

revision = "0018_qversions"
down_revision = "0017_groups"
branch_labels = None
depends_on = None

SHIPPED_VERSION = "2026120401"   # icrs/field/forms/follow_up_visit.xlsx when this was written


def _user_fk(column):
    return sa.ForeignKeyConstraint(
        [column], ["user_account.id"],
        name=op.f(f"fk_questionnaire_version_{column}_user_account"))


def upgrade():
    op.create_table(
        "questionnaire_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("xlsx", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(), nullable=False),
        sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        _user_fk("published_by_id"),
        _user_fk("uploaded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questionnaire_version")),
        sa.UniqueConstraint("form_id", "version", name="uq_questionnaire_version_form_version"),
    )
    with op.batch_alter_table("questionnaire_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_questionnaire_version_form_id"), ["form_id"],
                              unique=False)
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.add_column(sa.Column("form_version", sa.String(length=64), nullable=True))
    follow_up = sa.table("follow_up", sa.column("visit_date", sa.Date),
                         sa.column("form_version", sa.String))
    op.execute(follow_up.update().where(follow_up.c.visit_date.isnot(None))
               .values(form_version=SHIPPED_VERSION))


def downgrade():
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_column("form_version")
    with op.batch_alter_table("questionnaire_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_questionnaire_version_form_id"))
    op.drop_table("questionnaire_version")
