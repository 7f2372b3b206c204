"""Supervisor dashboards and donor reporting: aggregate indicators computed in SQL, disaggregated by
sex, age band, category and place, rendered as accessible SVG charts and exported with small-cell
suppression. Nothing here decrypts personal data except the audited admin list export."""
