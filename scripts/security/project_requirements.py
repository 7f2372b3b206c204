"""Print the installed versions (name==version) of what `pip install -e .[dev]` brings in:
ICRS's dependencies and theirs, not the security tools installed next to them."""
import re
import sys
from importlib import metadata

from packaging.requirements import Requirement


def closure(root="icrs", extras=("dev",)):
    seen, todo = {}, [(root, set(extras))]
    while todo:
        name, wanted = todo.pop()
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen[key] = dist.version
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in
                                         (wanted or {""})):
                todo.append((req.name, set(req.extras)))
    seen.pop(root, None)
    return seen


if __name__ == "__main__":
    for name, version in sorted(closure().items()):
        sys.stdout.write(f"{name}=={version}\n")
