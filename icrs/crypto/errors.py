"""Errors of the crypto package: integrity failures, erased owners and key-loading problems."""
from flask_babel import lazy_gettext as _l

from icrs import ConfigurationError


class DecryptionError(Exception):
    """A ciphertext failed authentication: tampered, moved to another row/column, or wrong key.

    `message` is a lazy-translated text safe to show; the technical reason (never plaintext)
    is in `reason` for logs.
    """

    default_message = _l("This record could not be decrypted: it may have been altered. "
                         "The incident has been logged.")

    def __init__(self, reason: str = "", message=None):
        super().__init__(reason)
        self.reason = reason
        self.message = message or self.default_message


class ErasedError(DecryptionError):
    """The owner's data key was shredded: the data is erased for good."""

    default_message = _l("This information has been erased.")


class KeyringError(ConfigurationError):
    """Start-up refused: a key is missing, malformed, unsafe or does not match the database."""
