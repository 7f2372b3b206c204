"""lists that programmes adapt (icrs.lookups): the lookup_entry table seeded with every list's
entries (FR and EN labels), and the columns holding pathway and decline-reason codes no longer
limited by a CHECK to the entries shipped with the code

Revision ID: 0008_lookups
Revises: 0008_places
"""
import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0008_lookups"
down_revision = "0008_places"
branch_labels = None
depends_on = None

# vocabulary -> (code, French label, English label), in order. A snapshot: later changes are
# the administrators' (audited), not this file's.
ENTRIES = {
    "armed_group": [
        ("jas", "Boko Haram (JAS)", "Boko Haram (JAS)"),
        ("iswap", "ISWAP", "ISWAP"),
        ("separatist", "Groupe armé séparatiste", "Separatist armed group"),
        ("militia", "Milice d’autodéfense", "Self-defence militia"),
        ("other", "Autre groupe", "Other group"),
    ],
    "decline_reason": [
        ("no_capacity", "Aucune place disponible", "No capacity"),
        ("not_eligible", "Non éligible", "Not eligible"),
        ("not_in_area", "Hors de notre zone", "Not in our area"),
        ("unable_to_contact", "Impossible de joindre la personne",
         "Unable to contact the person"),
        ("other", "Autre motif", "Other reason"),
    ],
    "exit_reason": [
        ("dropped_out", "Abandon", "Dropped out"),
        ("deceased", "Décédé(e)", "Deceased"),
        ("transferred_out", "Transféré", "Transferred out"),
        ("found_ineligible", "Jugé(e) non éligible", "Found ineligible"),
    ],
    "outcome": [
        ("served", "Service fourni", "Served"),
        ("partially_served", "Service partiellement fourni", "Partially served"),
        ("no_show", "Ne s’est pas présenté(e)", "Did not come"),
        ("unreachable", "Injoignable", "Unreachable"),
        ("ineligible", "Jugé(e) non éligible", "Found ineligible"),
        ("refused_by_client", "Refusé par la personne", "Refused by the person"),
    ],
    "pathway": [
        ("agriculture", "Agriculture", "Agriculture"),
        ("livestock", "Bétail", "Livestock"),
        ("small_business", "Petite entreprise", "Small business"),
        ("vocational_training", "Formation professionnelle", "Vocational training"),
        ("formal_education", "Enseignement formel", "Formal education"),
        ("employment", "Emploi", "Employment"),
        ("other", "Autre parcours", "Other pathway"),
    ],
    "skill": [
        ("farming", "Cultures", "Crop farming"),
        ("livestock", "Élevage", "Livestock rearing"),
        ("fishing", "Pêche", "Fishing"),
        ("trading", "Commerce", "Trading"),
        ("tailoring", "Couture", "Tailoring"),
        ("carpentry", "Menuiserie", "Carpentry"),
        ("masonry", "Maçonnerie", "Masonry"),
        ("mechanics", "Mécanique", "Mechanics"),
        ("driving", "Conduite", "Driving"),
        ("welding", "Soudure", "Welding"),
        ("electricity", "Électricité", "Electrical work"),
        ("hairdressing", "Coiffure", "Hairdressing"),
        ("cooking", "Cuisine et restauration", "Cooking and catering"),
        ("crafts", "Artisanat", "Crafts"),
        ("computer", "Informatique", "Computer use"),
        ("health_care", "Soins de santé", "Health care"),
        ("teaching", "Enseignement", "Teaching"),
        ("other", "Autre", "Other"),
    ],
}
PATHWAYS = [code for code, _fr, _en in ENTRIES["pathway"]]
DECLINE_REASONS = [code for code, _fr, _en in ENTRIES["decline_reason"]]
# table, column, nullable, CHECK name, the codes the CHECK allowed
CODED_COLUMNS = [
    ("plan", "pathway", False, "pathway", PATHWAYS),
    ("profile_version", "preferred_option", True, "profile_preferred_option", PATHWAYS),
    ("referral", "decline_reason", True, "declinereason", DECLINE_REASONS),
]


def _enum(name, codes):
    return sa.Enum(*codes, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    table = op.create_table(
        "lookup_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vocabulary", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("label_fr", sa.String(length=200), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lookup_entry")),
        sa.UniqueConstraint("vocabulary", "code", name="lookup_vocabulary_code"),
    )
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    op.bulk_insert(table, [
        {"vocabulary": vocabulary, "code": code, "label_fr": fr, "label_en": en,
         "position": 10 * n, "active": True, "created_at": now, "updated_at": now}
        for vocabulary, rows in ENTRIES.items()
        for n, (code, fr, en) in enumerate(rows, start=1)])
    for table_name, column, nullable, check, codes in CODED_COLUMNS:
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=32),
                                  existing_type=_enum(check, codes), existing_nullable=nullable)


def downgrade():
    # Codes added since cannot go back under the old CHECK: they become the list's "other".
    for table_name, column, nullable, check, codes in CODED_COLUMNS:
        t = sa.table(table_name, sa.column(column))
        op.execute(t.update().where(t.c[column].not_in(codes)).values({column: "other"}))
        with op.batch_alter_table(table_name, schema=None) as batch_op:
            batch_op.alter_column(column, type_=_enum(check, codes),
                                  existing_type=sa.String(length=32), existing_nullable=nullable)
    op.drop_table("lookup_entry")
