"""The individual reintegration plan: versions (a draft, then agreed by the person and never
changed again), goals and actions, each action possibly carried out by a referral or an
assistance entitlement of the same person; over a budget, a supervisor approves the agreement.

Layers: `models` and `queries` depend on people only (a referral or an entitlement is named by
its table), so referrals and assistance read the plan in force from `queries`; `services`,
`views` and `case` (the answers to the people domain's signals) sit above them."""
