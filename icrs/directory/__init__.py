"""Service directory: organisations, services, taxonomy, HSDS 3.0 exchange."""
