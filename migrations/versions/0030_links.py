"""provider links (icrs.exchange): referral_link (one-time links for providers without an
account: only the SHA-256 of the token and the HMAC of the short code are stored) and
provider_answer (answers through a link, an SMS or recorded on the provider's behalf; the name
of who answered is encrypted under the person's key)

Revision ID: 0015_links
Revises: 0014_transfers
Create Date: 2026-12-04 18:38:59.574793
"""
import sqlalchemy as sa
from alembic import op

revision = '0015_links'
down_revision = '0014_transfers'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('referral_link',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_referral_link_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_link_referral_id_referral')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user_account.id'], name=op.f('fk_referral_link_revoked_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_link')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_referral_link_code_hash')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_referral_link_token_hash'))
    )
    with op.batch_alter_table('referral_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_link_referral_id'), ['referral_id'], unique=False)

    op.create_table('provider_answer',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('referral_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('link_id', sa.Uuid(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('received_from_ct', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['link_id'], ['referral_link.id'], name=op.f('fk_provider_answer_link_id_referral_link')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_provider_answer_person_id_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_provider_answer_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_provider_answer_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_provider_answer'))
    )
    with op.batch_alter_table('provider_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_provider_answer_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_provider_answer_referral_id'), ['referral_id'], unique=False)



def downgrade():
    with op.batch_alter_table('provider_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_provider_answer_referral_id'))
        batch_op.drop_index(batch_op.f('ix_provider_answer_person_id'))

    op.drop_table('provider_answer')
    with op.batch_alter_table('referral_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_link_referral_id'))

    op.drop_table('referral_link')
