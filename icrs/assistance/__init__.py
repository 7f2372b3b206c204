"""Reintegration assistance: the catalogue (funding sources, assistance types, programme
periods), entitlements per person approved by a second person, and the disbursement ledger
(handovers and their reversing entries, with the person's receipt)."""
