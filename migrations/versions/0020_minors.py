"""minors and CAAFAG: who gave a consent (the person, a caregiver with relationship and name
encrypted, or the child's assent; existing rows were the person's own), the best-interest
assessment of a child (text encrypted under the person's key, signed off through approvals), and
the child-protection service category

Revision ID: 0010_minors
Revises: 0010_households
"""
import uuid

import sqlalchemy as sa
from alembic import op

revision = "0010_minors"
down_revision = "0010_households"
branch_labels = None
depends_on = None

GIVERS = ("self", "caregiver", "child_assent")
RECOMMENDATIONS = ("other_services", "child_protection_only")
# the deterministic ids of icrs.directory.taxonomy (uuid5), written out: a snapshot
NAMESPACE = uuid.UUID("6f1b5a3e-2c47-4d0b-9a55-0c1d2e3f4a5b")
SERVICE_CATEGORY = "icrs_service_category"
CODE, NAME_FR, NAME_EN = "child_protection", "Protection de l'enfance", "Child protection"

term = sa.table("taxonomy_term", sa.column("id", sa.Uuid), sa.column("taxonomy_id", sa.Uuid),
                sa.column("code", sa.String), sa.column("name_fr", sa.String),
                sa.column("name_en", sa.String), sa.column("description_fr", sa.Text),
                sa.column("description_en", sa.Text), sa.column("position", sa.Integer),
                sa.column("active", sa.Boolean))
taxonomy = sa.table("taxonomy", sa.column("id", sa.Uuid))


def _quoted(values):
    return ", ".join(f"'{v}'" for v in values)


def upgrade():
    with op.batch_alter_table("consent") as batch:
        batch.add_column(sa.Column("given_by", sa.String(length=16), nullable=False,
                                   server_default="self"))
        batch.add_column(sa.Column("caregiver_relationship_ct", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("caregiver_name_ct", sa.LargeBinary(), nullable=True))
        batch.create_check_constraint(op.f("ck_consent_consentgiver"),
                                      f"given_by IN ({_quoted(GIVERS)})")

    op.create_table(
        "best_interest_assessment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("recommendation", sa.Enum(*RECOMMENDATIONS, name="recommendation",
                                            native_enum=False, create_constraint=True,
                                            length=32), nullable=False),
        sa.Column("assessment_ct", sa.LargeBinary(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "(approved_at IS NULL) = (approved_by_id IS NULL)",
            name=op.f("ck_best_interest_assessment_best_interest_approved_with_approver")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_best_interest_assessment_person_id_person")),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["user_account.id"],
            name=op.f("fk_best_interest_assessment_recorded_by_id_user_account")),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["user_account.id"],
            name=op.f("fk_best_interest_assessment_approved_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_best_interest_assessment")),
    )
    with op.batch_alter_table("best_interest_assessment") as batch:
        batch.create_index(batch.f("ix_best_interest_assessment_person_id"), ["person_id"])
    _add_child_protection()


def _add_child_protection():
    """The category, as 0004 and 0018 store the others (active, positions spaced by ten), at
    the end of the list; a database that already has it (a fresh one: 0004 reads the current
    list) keeps its row."""
    conn = op.get_bind()
    taxonomy_id = uuid.uuid5(NAMESPACE, f"taxonomy:{SERVICE_CATEGORY}")
    term_id = uuid.uuid5(NAMESPACE, f"term:{SERVICE_CATEGORY}:{CODE}")
    if conn.scalar(sa.select(taxonomy.c.id).where(taxonomy.c.id == taxonomy_id)) is None:
        return  # no taxonomy yet: icrs.directory.taxonomy.ensure_taxonomy writes it all
    if conn.scalar(sa.select(term.c.id).where(term.c.taxonomy_id == taxonomy_id,
                                              term.c.code == CODE)) is not None:
        return
    last = conn.scalar(sa.select(sa.func.max(term.c.position))
                       .where(term.c.taxonomy_id == taxonomy_id)) or 0
    op.bulk_insert(term, [{"id": term_id, "taxonomy_id": taxonomy_id, "code": CODE,
                           "name_fr": NAME_FR, "name_en": NAME_EN, "description_fr": NAME_FR,
                           "description_en": NAME_EN, "position": last + 10, "active": True}])


def downgrade():
    # the category stays (reference data: services and consents may refer to it)
    with op.batch_alter_table("best_interest_assessment") as batch:
        batch.drop_index(batch.f("ix_best_interest_assessment_person_id"))
    op.drop_table("best_interest_assessment")
    with op.batch_alter_table("consent") as batch:
        batch.drop_constraint(op.f("ck_consent_consentgiver"), type_="check")
        batch.drop_column("caregiver_name_ct")
        batch.drop_column("caregiver_relationship_ct")
        batch.drop_column("given_by")
