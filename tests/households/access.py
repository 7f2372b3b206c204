"""Who may reach each household route (all POST, from the case page): the caseworker assigned
to the case; others get 403, or 404 for a case out of scope."""
CW = "caseworker"

ACCESS = {
    "households.create": {CW},
    "households.add_registered": {CW},
    "households.add_light": {CW},
    "households.leave": {CW},
    "households.change": {CW},
}
