"""Exchange with providers outside ICRS (DESIGN §9): one-time provider links and referral slips,
SMS answers, the FHIR Task/ServiceRequest API."""
