"""transfers between sites: case_transfer (a request to move a case to another site, the
receiving side's decision, and after acceptance the stub the old site keeps) and
duplicate_contact (a caseworker asks the owner of a possible duplicate at another site to contact
them). Reasons, comments and messages are encrypted under the person's key (the *_ct columns);
places, status and dates are plain, coded and non-identifying.

Revision ID: 0014_transfers
Revises: 0013_fhir
"""
import sqlalchemy as sa
from alembic import op

revision = "0014_transfers"
down_revision = "0013_fhir"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_transfer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('from_site_id', sa.Integer(), nullable=False),
    sa.Column('from_region_id', sa.Integer(), nullable=False),
    sa.Column('to_site_id', sa.Integer(), nullable=False),
    sa.Column('to_region_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'accepted', 'rejected', 'withdrawn', name='transferstatus', native_enum=False, create_constraint=True, length=16), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('previous_caseworker_id', sa.Integer(), nullable=True),
    sa.Column('new_caseworker_id', sa.Integer(), nullable=True),
    sa.Column('open_person_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reason_ct', sa.LargeBinary(), nullable=True),
    sa.Column('comment_ct', sa.LargeBinary(), nullable=True),
    sa.CheckConstraint("(status = 'requested') = (decided_at IS NULL)", name=op.f('ck_case_transfer_transfer_decided_iff_closed')),
    sa.CheckConstraint("(status = 'requested') = (open_person_id IS NOT NULL)", name=op.f('ck_case_transfer_transfer_open_iff_requested')),
    sa.CheckConstraint("status <> 'accepted' OR new_caseworker_id IS NOT NULL", name=op.f('ck_case_transfer_transfer_accepted_has_caseworker')),
    sa.CheckConstraint('from_site_id <> to_site_id', name=op.f('ck_case_transfer_transfer_to_another_site')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_case_transfer_decided_by_id_user_account')),
    sa.ForeignKeyConstraint(['from_region_id'], ['region.id'], name=op.f('fk_case_transfer_from_region_id_region')),
    sa.ForeignKeyConstraint(['from_site_id'], ['site.id'], name=op.f('fk_case_transfer_from_site_id_site')),
    sa.ForeignKeyConstraint(['new_caseworker_id'], ['user_account.id'], name=op.f('fk_case_transfer_new_caseworker_id_user_account')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_case_transfer_person_id_person')),
    sa.ForeignKeyConstraint(['previous_caseworker_id'], ['user_account.id'], name=op.f('fk_case_transfer_previous_caseworker_id_user_account')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_case_transfer_requested_by_id_user_account')),
    sa.ForeignKeyConstraint(['to_region_id'], ['region.id'], name=op.f('fk_case_transfer_to_region_id_region')),
    sa.ForeignKeyConstraint(['to_site_id'], ['site.id'], name=op.f('fk_case_transfer_to_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_transfer')),
    sa.UniqueConstraint('open_person_id', name=op.f('uq_case_transfer_open_person_id'))
    )
    with op.batch_alter_table('case_transfer', schema=None) as batch_op:
        batch_op.create_index('ix_case_transfer_from', ['from_site_id', 'status', 'decided_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_transfer_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_case_transfer_to', ['to_site_id', 'status', 'requested_at'], unique=False)

    op.create_table('duplicate_contact',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('message_ct', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_duplicate_contact_person_id_person')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user_account.id'], name=op.f('fk_duplicate_contact_requested_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duplicate_contact'))
    )
    with op.batch_alter_table('duplicate_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duplicate_contact_person_id'), ['person_id'], unique=False)



def downgrade():
    with op.batch_alter_table('duplicate_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duplicate_contact_person_id'))

    op.drop_table('duplicate_contact')
    with op.batch_alter_table('case_transfer', schema=None) as batch_op:
        batch_op.drop_index('ix_case_transfer_to')
        batch_op.drop_index(batch_op.f('ix_case_transfer_person_id'))
        batch_op.drop_index('ix_case_transfer_from')

    op.drop_table('case_transfer')
