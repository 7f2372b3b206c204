"""Places of the programme: regions (adm1), sites, OCHA administrative areas and their import."""
