"""Changes to vocabulary entries: add, edit labels and order, retire, reactivate. Each one is
audited; codes never change, are never deleted, and are never given twice."""
import re

from flask_babel import lazy_gettext as _l

from icrs.audit.services import record
from icrs.core.errors import DomainError
from icrs.extensions import db
from icrs.lookups import registry

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def materialise(vocab):
    """The vocabulary's declared entries written as rows, when it has none yet."""
    registry.store(vocab).materialise(vocab)
    db.session.flush()


def get_entry(vocab, code):
    materialise(vocab)
    return registry.store(vocab).get(vocab, code)


def _labels(label_fr, label_en):
    label_fr, label_en = (label_fr or "").strip(), (label_en or "").strip()
    if not label_fr:
        raise DomainError(_l("Give the French label."), "label_fr")
    if not label_en:
        raise DomainError(_l("Give the English label."), "label_en")
    return label_fr, label_en


def add_entry(actor, vocab, code, label_fr, label_en, position):
    if vocab.fixed:
        raise DomainError(_l("This list belongs to the application's rules: entries cannot be "
                             "added."))
    code = (code or "").strip()
    if vocab.code_pattern is not None and not vocab.code_pattern.match(code):
        raise DomainError(vocab.code_rule, "code")  # stricter than the general rule
    if not CODE_PATTERN.match(code):
        raise DomainError(_l("Use lowercase letters without accents, digits and underscores, "
                             "starting with a letter (32 characters at most)."), "code")
    label_fr, label_en = _labels(label_fr, label_en)
    if get_entry(vocab, code) is not None:
        raise DomainError(_l("This code is already used in this list (perhaps by a retired "
                             "entry): codes are never given twice."), "code")
    entry = registry.store(vocab).add(vocab, code, label_fr, label_en, position or 0)
    db.session.flush()
    record("lookups.entry_added", actor=actor, obj=entry, vocabulary=vocab.key, code=code)
    registry.forget(vocab.key)
    return entry


def update_entry(actor, vocab, entry, label_fr, label_en, position):
    label_fr, label_en = _labels(label_fr, label_en)
    changed = [name for name, old, new in (("label_fr", entry.label_fr, label_fr),
                                           ("label_en", entry.label_en, label_en),
                                           ("position", entry.position, position or 0))
               if old != new]
    entry.label_fr, entry.label_en, entry.position = label_fr, label_en, position or 0
    db.session.flush()
    record("lookups.entry_updated", actor=actor, obj=entry, vocabulary=vocab.key,
           code=entry.code, changed=changed)
    registry.forget(vocab.key)
    return entry


def set_active(actor, vocab, entry, active):
    """Retire (kept valid on old records and in exports, no longer offered) or reactivate."""
    if not active and (vocab.fixed or entry.code in vocab.protected):
        raise DomainError(_l("The application's rules use this entry: it cannot be retired."))
    if entry.active == active:
        return entry
    if not active and registry.codes(vocab.key) == [entry.code]:
        raise DomainError(_l("This is the list's last active entry: add another one first."))
    entry.active = active
    db.session.flush()
    record("lookups.entry_reactivated" if active else "lookups.entry_retired", actor=actor,
           obj=entry, vocabulary=vocab.key, code=entry.code)
    registry.forget(vocab.key)
    return entry
