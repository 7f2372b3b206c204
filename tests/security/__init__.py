"""Attack tests: hostile input on every form."""
