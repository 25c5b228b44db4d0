"""uploads verified in the background: verifying and rejected files, the checked ETag

Revision ID: 0010_background_verify
Revises: 0009_schedule
Create Date: 2026-12-08 01:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_background_verify'
down_revision = '0009_schedule'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission_files', schema=None) as batch_op:
        batch_op.add_column(sa.Column('etag', sa.String(length=100), nullable=True))
        batch_op.add_column(
            sa.Column('verify_requested_at', sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column('verify_attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(sa.Column('rejected_reason', sa.String(length=40), nullable=True))
    with op.batch_alter_table('submission_files', schema=None) as batch_op:
        batch_op.alter_column('verify_attempts', server_default=None)


def downgrade():
    # Files that were still verifying or were refused have no place in the old schema.
    op.execute("DELETE FROM submission_files WHERE status IN ('verifying', 'rejected')")
    with op.batch_alter_table('submission_files', schema=None) as batch_op:
        batch_op.drop_column('rejected_reason')
        batch_op.drop_column('verify_attempts')
        batch_op.drop_column('verify_requested_at')
        batch_op.drop_column('etag')
