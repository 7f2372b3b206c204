"""Exchange with providers outside ICRS: SMS, one-time links, FHIR."""
