"""May a new version of a questionnaire replace the current one? Pure rules, no database.

The answers already recorded must keep their meaning, so a new version:
- has the same form_id, and a version string greater than the current one (numbers compare as
  numbers, e.g. 2026120401 < 2026120402 and 1.9 < 1.10);
- keeps every coded question (`bind::icrs:coded`) of the current version, with the same type and
  the same choice list, never removing a choice code (adding one is allowed when the store
  accepts it), and stays coded;
- keeps the questions the store reads (e.g. the visit's encrypted note);
- may add questions, and drop or change the questions that are not coded: their answers are not
  kept in a column of their own, so no past answer depends on them.
A store (`Store`) says which coded questions can be kept (one column each) and which codes each
column accepts; a new coded question or code it cannot keep is refused too.
"""
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from icrs.field.questionnaire import Question, Questionnaire

_PART = re.compile(r"\d+|[^\W\d_]+")


@dataclass(frozen=True)
class Store:
    """Where a questionnaire's answers go: coded column -> the codes it accepts (None: any
    value of the question's type), and the non-coded questions it reads."""

    columns: dict = field(default_factory=dict)
    needed: frozenset = frozenset()


@dataclass(frozen=True)
class Changes:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    new_codes: tuple[tuple[str, str], ...]   # (question, code)


def version_key(version: str) -> tuple:
    """Sortable: digits as numbers, words as text ('1.10' > '1.9', '2026120402' > '2026120401')."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower())
                 for p in _PART.findall(str(version)))


def newer(version: str, than: str) -> bool:
    return version_key(version) > version_key(than)


def _coded_errors(old: Question, new: Question | None) -> list:
    if new is None:
        return [_l("The coded question «%(name)s» is missing.", name=old.name)]
    errors = []
    if not new.coded:
        errors.append(_l("The question «%(name)s» must stay coded (bind::icrs:coded).",
                         name=old.name))
    if new.type != old.type:
        errors.append(_l("The coded question «%(name)s» changes type.", name=old.name))
    elif new.list_name != old.list_name:
        errors.append(_l("The coded question «%(name)s» changes its choice list "
                         "(%(old)s, not %(new)s).", name=old.name, old=old.list_name,
                         new=new.list_name))
    errors += [_l("The code «%(code)s» of the coded question «%(name)s» is removed.",
                  code=code, name=old.name) for code in old.codes if code not in new.codes]
    return errors


def _store_errors(new: Questionnaire, store: Store) -> list:
    names = {q.name for q in new.questions}
    errors = [_l("The question «%(name)s» is missing.", name=name)
              for name in sorted(store.needed - names)]
    for question in new.coded:
        if question.name not in store.columns:
            errors.append(_l("The coded question «%(name)s» has no column to keep its "
                             "answers.", name=question.name))
            continue
        accepted = store.columns[question.name]
        if accepted is not None:
            errors += [_l("The code «%(code)s» of «%(name)s» cannot be kept.", code=code,
                          name=question.name)
                       for code in question.codes if code not in accepted]
    return errors


def check(current: Questionnaire, new: Questionnaire, store: Store | None = None) -> list:
    """The reasons `new` cannot replace `current` (empty: it can)."""
    if new.form_id != current.form_id:
        return [_l("This file is the form «%(new)s», not «%(current)s».", new=new.form_id,
                   current=current.form_id)]
    errors = []
    if not newer(new.version, current.version):
        errors.append(_l("The version %(new)s must be greater than the current one "
                         "(%(current)s).", new=new.version, current=current.version))
    by_name = {q.name: q for q in new.questions}
    for old in current.coded:
        errors += _coded_errors(old, by_name.get(old.name))
    if store is not None:
        errors += _store_errors(new, store)
    return errors


def changes(current: Questionnaire, new: Questionnaire) -> Changes:
    """What the new version adds and drops, for the preview."""
    old_names = [q.name for q in current.questions]
    new_names = [q.name for q in new.questions]
    old_by_name = {q.name: q for q in current.questions}
    codes = tuple((q.name, code) for q in new.questions if q.name in old_by_name
                  for code in q.codes if code not in old_by_name[q.name].codes)
    return Changes(added=tuple(n for n in new_names if n not in old_names),
                   removed=tuple(n for n in old_names if n not in new_names), new_codes=codes)
