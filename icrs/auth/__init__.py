"""Users, roles and permissions, login, two-factor, lockout, account settings."""
