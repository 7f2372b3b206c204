"""Field work: questionnaires defined as XLSForm (icrs.field.questionnaire), their web forms and XForms."""
