"""Field work: questionnaires defined as XLSForm (icrs.field.questionnaire), their web forms
(icrs.field.webform) and their XForms for ODK (icrs.field.xform)."""
