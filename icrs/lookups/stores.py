"""Where a vocabulary's entries live. Most are rows of `lookup_entry`; a domain whose entries
are its own rows (the directory's service categories are HSDS taxonomy terms) gives a store of
the same shape: `rows`, `get`, `add`, `materialise`. Each row has code, label_fr, label_en,
position and active."""
import sqlalchemy as sa

from icrs.extensions import db
from icrs.lookups.models import LookupEntry


class TableStore:
    """The `lookup_entry` table."""

    @staticmethod
    def _model():
        return LookupEntry

    def rows(self, vocab):
        """No autoflush: a form being filled (a service not yet in the session) must not be
        flushed half-made by reading a list; the list services flush their own changes."""
        m = self._model()
        with db.session.no_autoflush:
            return db.session.scalars(sa.select(m).where(m.vocabulary == vocab.key)
                                      .order_by(m.position, m.code)).all()

    def get(self, vocab, code):
        m = self._model()
        return db.session.scalar(sa.select(m).where(m.vocabulary == vocab.key, m.code == code))

    def add(self, vocab, code, label_fr, label_en, position):
        row = self._model()(vocabulary=vocab.key, code=code, label_fr=label_fr,
                            label_en=label_en, position=position, active=True)
        db.session.add(row)
        return row

    def materialise(self, vocab):
        """The declared entries written as rows, when there are none yet (a schema made
        without the seed migration), so that a change applies to the full list."""
        from icrs.lookups.registry import seed_entries
        m = self._model()
        exists = db.session.scalar(sa.select(sa.func.count()).select_from(m)
                                   .where(m.vocabulary == vocab.key))
        if not exists:
            for e in seed_entries(vocab):
                self.add(vocab, e.code, e.label_fr, e.label_en, e.position)


TABLE = TableStore()
