"""Documents attached to a case (scanned consent form, DDR certificate, ID card, photo, signed
plan …): typed by content, images re-encoded, encrypted under the person's data key in the
database, served only after a permission check, never cached, destroyed with the person."""
