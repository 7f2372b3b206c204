"""reintegration assistance (icrs.assistance): the catalogue (funding sources, programme
periods, assistance types with their kit items, eligibility and caps), entitlements per person
approved by a second person, and the disbursement ledger (handovers with their receipt,
reversing entries). Amounts are whole numbers of the currency (XAF has no minor unit).

Revision ID: 0010_assistance
Revises: 0010_gbvconsent
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_assistance"
down_revision = "0010_gbvconsent"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('donor', sa.String(length=120), nullable=False),
    sa.Column('project', sa.String(length=120), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_source')),
    sa.UniqueConstraint('code', name=op.f('uq_funding_source_code'))
    )
    op.create_table('programme_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_programme_period_period_ends_after_start')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_period')),
    sa.UniqueConstraint('name', name=op.f('uq_programme_period_name'))
    )
    op.create_table('assistance_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('kit', 'cash_grant', 'instalment_plan', 'in_kind', 'voucher', 'service_fee', name='assistancekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('unit_value', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('funding_source_id', sa.Integer(), nullable=False),
    sa.Column('eligible_categories', sa.JSON(), nullable=False),
    sa.Column('eligible_pathways', sa.JSON(), nullable=False),
    sa.Column('eligible_regions', sa.JSON(), nullable=False),
    sa.Column('cap_per_person', sa.Integer(), nullable=True),
    sa.Column('cap_per_household', sa.Integer(), nullable=True),
    sa.Column('cap_per_period', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.CheckConstraint('(cap_per_person IS NULL OR cap_per_person > 0) AND (cap_per_household IS NULL OR cap_per_household > 0) AND (cap_per_period IS NULL OR cap_per_period > 0)', name=op.f('ck_assistance_type_assistance_caps_positive')),
    sa.CheckConstraint('unit_value > 0', name=op.f('ck_assistance_type_assistance_unit_value_positive')),
    sa.ForeignKeyConstraint(['funding_source_id'], ['funding_source.id'], name=op.f('fk_assistance_type_funding_source_id_funding_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assistance_type')),
    sa.UniqueConstraint('code', name=op.f('uq_assistance_type_code'))
    )
    op.create_table('kit_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assistance_type_id', sa.Integer(), nullable=False),
    sa.Column('name_fr', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_kit_item_kit_item_quantity_positive')),
    sa.ForeignKeyConstraint(['assistance_type_id'], ['assistance_type.id'], name=op.f('fk_kit_item_assistance_type_id_assistance_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_item'))
    )
    op.create_index(op.f('ix_kit_item_assistance_type_id'), 'kit_item', ['assistance_type_id'], unique=False)
    op.create_table('entitlement',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('assistance_type_id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Uuid(), nullable=True),
    sa.Column('period_id', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('disbursed', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'requested', 'approved', 'rejected', 'disbursed', 'cancelled', name='entitlementstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('justification_ct', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("(status IN ('approved', 'disbursed')) = (approved_at IS NOT NULL)", name=op.f('ck_entitlement_entitlement_approved_iff_granted')),
    sa.CheckConstraint("status <> 'disbursed' OR disbursed = amount", name=op.f('ck_entitlement_entitlement_disbursed_iff_full')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_entitlement_entitlement_amount_positive')),
    sa.CheckConstraint('approved_by_id IS NULL OR approved_by_id <> proposed_by_id', name=op.f('ck_entitlement_entitlement_approved_by_second_person')),
    sa.CheckConstraint('disbursed >= 0 AND disbursed <= amount', name=op.f('ck_entitlement_entitlement_disbursed_within_amount')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['user_account.id'], name=op.f('fk_entitlement_approved_by_id_user_account')),
    sa.ForeignKeyConstraint(['assistance_type_id'], ['assistance_type.id'], name=op.f('fk_entitlement_assistance_type_id_assistance_type')),
    sa.ForeignKeyConstraint(['period_id'], ['programme_period.id'], name=op.f('fk_entitlement_period_id_programme_period')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_entitlement_person_id_person')),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_entitlement_plan_id_plan')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_entitlement_proposed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entitlement'))
    )
    op.create_index('ix_entitlement_person_type', 'entitlement', ['person_id', 'assistance_type_id', 'status'], unique=False)
    op.create_table('handover',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('entitlement_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('handed_on', sa.Date(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('reverses_id', sa.Uuid(), nullable=True),
    sa.Column('receipt_method', sa.Enum('paper_signature', 'thumbprint', name='receiptmethod', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('receipt_attachment_id', sa.Uuid(), nullable=True),
    sa.Column('witness_name_ct', sa.LargeBinary(), nullable=True),
    sa.Column('note_ct', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint('(reverses_id IS NULL AND value > 0) OR (reverses_id IS NOT NULL AND value < 0)', name=op.f('ck_handover_handover_value_sign')),
    sa.CheckConstraint('(reverses_id IS NULL) = (receipt_method IS NOT NULL)', name=op.f('ck_handover_handover_receipt_iff_given')),
    sa.ForeignKeyConstraint(['entitlement_id'], ['entitlement.id'], name=op.f('fk_handover_entitlement_id_entitlement')),
    sa.ForeignKeyConstraint(['given_by_id'], ['user_account.id'], name=op.f('fk_handover_given_by_id_user_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_handover_person_id_person')),
    sa.ForeignKeyConstraint(['receipt_attachment_id'], ['attachment.id'], name=op.f('fk_handover_receipt_attachment_id_attachment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reverses_id'], ['handover.id'], name=op.f('fk_handover_reverses_id_handover')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_handover_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_handover')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_handover_reverses_id'))
    )
    op.create_index('ix_handover_entitlement', 'handover', ['entitlement_id', 'recorded_at'], unique=False)
    op.create_index(op.f('ix_handover_person_id'), 'handover', ['person_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_handover_person_id'), table_name='handover')
    op.drop_index('ix_handover_entitlement', table_name='handover')
    op.drop_table('handover')
    op.drop_index('ix_entitlement_person_type', table_name='entitlement')
    op.drop_table('entitlement')
    op.drop_index(op.f('ix_kit_item_assistance_type_id'), table_name='kit_item')
    op.drop_table('kit_item')
    op.drop_table('assistance_type')
    op.drop_table('programme_period')
    op.drop_table('funding_source')
