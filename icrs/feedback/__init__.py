"""Feedback and complaints (accountability to affected people): recorded by staff from the
case page or, anonymously, by a hotline operator with the person's feedback code; complaints
have a response deadline and a status; a complaint about abuse by staff goes to the designated
focal points only. Satisfaction per service feeds the directory and the dashboard (suppressed).
"""
from icrs.feedback import lifecycle  # noqa: F401  (connects the people signals)
