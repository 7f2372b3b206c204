"""Password policy after NIST SP 800-63B: at least 10 characters, and not guessable — neither
common nor built from the account's own names or the programme's (zxcvbn score 3 or more).
No composition rules, no expiry. The message says why a password is refused."""
from flask_babel import lazy_gettext as _l
from zxcvbn import zxcvbn

from icrs.core.errors import DomainError

MIN_PASSWORD_LENGTH = 10
MIN_SCORE = 3
CONTEXT_WORDS = ("icrs", "cnddr", "ddr")
_CHECKED_LENGTH = 64  # zxcvbn slows down on long input; a longer password is long enough

REASONS = {
    "user_inputs": _l("it contains your name, username or e-mail, or the programme's name."),
    "repeat": _l("repeated characters or words, such as “aaaa”, are easy to guess."),
    "sequence": _l("sequences such as “1234” or “abcd” are easy to guess."),
    "spatial": _l("keyboard patterns such as “qwerty” are easy to guess."),
    "date": _l("dates and years are easy to guess."),
    "dictionary": _l("it is a common password or word."),
}


def _context(user):
    words = [user.username, user.full_name or "", user.email or ""]
    words += (user.full_name or "").split() + [(user.email or "").partition("@")[0]]
    return [w.lower() for w in words if w] + list(CONTEXT_WORDS)


def _reason(result):
    """The weakest part zxcvbn found, as a reason people understand."""
    patterns = {m["pattern"] for m in result["sequence"]}
    if any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
        return REASONS["user_inputs"]
    for pattern in ("repeat", "sequence", "spatial", "date", "dictionary"):
        if pattern in patterns:
            return REASONS[pattern]
    return _l("it is too short for how predictable it is.")


def validate_new_password(user, password: str, field="new_password"):
    """Raise a DomainError at `field` when the password must be refused."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(_l("Use at least %(n)s characters.", n=MIN_PASSWORD_LENGTH), field)
    if password.strip().lower() == user.username.lower():
        raise DomainError(_l("The password must not be the username."), field)
    if user.password_hash and user.check_password(password):
        raise DomainError(_l("This is the current password: choose a new one."), field)
    result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=_context(user),
                    max_length=_CHECKED_LENGTH)
    if result["score"] < MIN_SCORE:
        raise DomainError(_l("This password is too easy to guess: %(reason)s Use a longer "
                             "phrase of several unrelated words.", reason=_reason(result)), field)
