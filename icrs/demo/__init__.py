"""Demo dataset, generated deterministically (fixed seed) and loaded idempotently.

Each part is a module with `load(ctx)`; parts run in order and each skips what already exists,
so a second `make run` adds nothing.
"""
import importlib
import random
from dataclasses import dataclass, field

PARTS = ["places", "accounts", "directory", "people", "children", "referrals", "protection",
         "assistance", "plans", "outcomes", "feedback", "transfers",
         "links", "sms", "groups", "questionnaires"]
SEED = 20251122


@dataclass
class DemoContext:
    password: str
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))
    summary: list = field(default_factory=list)


def load_demo(password: str) -> list[str]:
    ctx = DemoContext(password=password)
    for part in PARTS:
        importlib.import_module(f"icrs.demo.{part}").load(ctx)
    return ctx.summary
