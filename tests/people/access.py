"""Who may open each people route (GET); others get 403, or 404 for objects out of scope."""
CW, SUP = "caseworker", "supervisor"

ACCESS = {
    "people.index": {CW, SUP},
    "people.register": {CW},
    "people.register_community_member": {CW},
    "people.detail": {CW, SUP},
    "people.edit": {CW},
    "people.followups": {CW, SUP},
    "people.consent_add": {CW},
    "people.consent_withdraw": {CW, SUP},
    "people.note_add": {CW},
    "people.counselling_add": {CW},
    "people.follow_up_add": {CW},
    "people.follow_up_done": {CW},
    "people.stage_change": {CW, SUP},
    "people.approval_request": {CW},  # POST; the assigned caseworker asks for an approval
    "people.reassign": {SUP},
    "consent_texts.index": {"admin"},
    "consent_texts.new": {"admin"},
    "consent_texts.edit": {"admin"},
    "consent_texts.publish": {"admin"},
    "consent_texts.discard": {"admin"},
    "consent_texts.print_texts": {CW, SUP},
    "people.break_glass": {CW, SUP},  # POST; a caseworker of the site who is not assigned
    "people.best_interest_add": {CW},  # the assigned caseworker of a child
    # documents of a case (icrs.documents): the case's readers; upload by the assigned caseworker
    "documents.upload": {CW},
    "documents.download": {CW, SUP},
    "documents.view": {CW, SUP},
}
ACCESS.update({
    "people.import_upload": {SUP, "admin"},
    "people.import_preview": {SUP, "admin"},
    "people.import_apply": {SUP, "admin"},
    "people.merge": {SUP},
    "people.merge_apply": {SUP},
})
