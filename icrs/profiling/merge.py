"""A merged case's profile moves to the surviving case (icrs.people.merge): its submitted
versions become history before the survivor's (whose current version stays current, and the
latest by number); its draft moves only when the survivor has none (else it is dropped: the
submitted versions keep what was submitted)."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from icrs.extensions import db
from icrs.people import signals as people_signals
from icrs.profiling.models import ProfileDraft, ProfileSection, ProfileVersion

OFFSET = 100000  # renumbering passes through numbers no version uses


def _versions(person_id):
    return db.session.scalars(sa.select(ProfileVersion).where(
        ProfileVersion.person_id == person_id).order_by(ProfileVersion.number)).all()


@people_signals.merge_holdings.connect
def _holdings(merged, **_):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(ProfileVersion).where(
        ProfileVersion.person_id == merged.id))
    return {_l("Profile versions"): count}


@people_signals.person_merging.connect
def _on_merging(merged, survivor=None, **_):
    moved, kept = _versions(merged.id), _versions(survivor.id)
    if kept:
        for version in moved:
            version.is_current = False
    for number, version in enumerate(moved + kept, 1):
        version.number = OFFSET + number
    db.session.flush()
    for number, version in enumerate(moved + kept, 1):
        version.person_id, version.number = survivor.id, number
    for section in db.session.scalars(sa.select(ProfileSection).where(
            ProfileSection.person_id == merged.id)):
        section.person_id = survivor.id
    _move_draft(merged, survivor)


def _move_draft(merged, survivor):
    draft = db.session.scalar(sa.select(ProfileDraft).where(ProfileDraft.person_id == merged.id))
    if draft is None:
        return
    if db.session.scalar(sa.select(ProfileDraft.id).where(
            ProfileDraft.person_id == survivor.id)) is None:
        draft.person_id = survivor.id
        return
    for section in list(draft.sections):
        db.session.delete(section)
    db.session.flush()
    db.session.delete(draft)
