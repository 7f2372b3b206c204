"""Exchange with those outside ICRS: one-time provider links, slips, SMS, the FHIR R4 API."""
