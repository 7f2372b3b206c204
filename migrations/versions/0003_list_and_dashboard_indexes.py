"""indexes for the people and referral lists and the dashboard (100,000-person benchmark)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_person_site_registered", "person", ["site_id", "registered_at"]),
    ("ix_person_region_registered", "person", ["region_id", "registered_at"]),
    ("ix_person_site_erased", "person", ["site_id", "erased_at", "id", "caseworker_id"]),
    ("ix_person_dashboard", "person", ["registered_at", "stage", "sex", "category",
                                       "birth_year", "region_id", "site_id"]),
    ("ix_person_dims", "person", ["id", "sex", "category", "birth_year", "region_id",
                                  "site_id", "erased_at"]),
    ("ix_person_caseload", "person", ["caseworker_id", "stage", "sex", "category",
                                      "birth_year", "region_id", "site_id"]),
    ("ix_consent_withdrawn", "consent", ["withdrawn_at", "person_id", "purpose"]),
    ("ix_referral_person_list", "referral", ["person_id", "status", "accept_by", "complete_by",
                                             "created_at", "id"]),
    ("ix_referral_sent_dashboard", "referral", ["sent_at", "person_id", "status", "service_id",
                                                "organisation_id", "accepted_at",
                                                "finished_at"]),
]


def upgrade():
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
