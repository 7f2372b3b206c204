"""Shared building blocks: model mixins, domain errors, enums with labels, pagination, places."""
