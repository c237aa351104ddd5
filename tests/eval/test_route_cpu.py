"""eval/route_cpu.py sends what eval/locustfile.py sends: the same pools, routes and task weights
(read from the locustfile's source: importing it would load locust)."""

from __future__ import annotations

import ast
import random
from pathlib import Path

from eval import route_cpu

LOCUSTFILE = Path(route_cpu.__file__).with_name("locustfile.py")


def _tree() -> ast.Module:
    return ast.parse(LOCUSTFILE.read_text(encoding="utf-8"))


def test_the_requests_draw_on_the_locustfiles_pools() -> None:
    source = LOCUSTFILE.read_text(encoding="utf-8")
    assert len(route_cpu.QUERIES) >= 10 and len(route_cpu.PLACES) >= 5 and len(route_cpu.FIRMS) >= 3
    rng = random.Random(3)
    for _ in range(20):
        question = route_cpu.query(rng)
        assert question.rsplit(" ", 2)[0] in source  # the pool's question, then a place and a year
        assert question.rsplit(" ", 2)[1] in route_cpu.PLACES
    assert "{" not in route_cpu.firm(rng)  # every placeholder of a firm template filled


def test_the_routes_and_weights_are_the_locustfiles() -> None:
    tasks: dict[str, tuple[object, object]] = {}
    for node in ast.walk(_tree()):
        if isinstance(node, ast.FunctionDef) and node.decorator_list:
            weights = [d.args[0].value for d in node.decorator_list if isinstance(d, ast.Call)
                       and getattr(d.func, "id", "") == "task" and isinstance(d.args[0], ast.Constant)]
            posts = [c.args[0].value for c in ast.walk(node) if isinstance(c, ast.Call)
                     and getattr(c.func, "attr", "") == "post" and isinstance(c.args[0], ast.Constant)]
            if weights and posts:
                tasks[node.name] = (weights[0], posts[0])
    ours = {name: (route_cpu.MIX[name], make(random.Random(0))[0]) for name, make in route_cpu.ROUTES.items()}
    assert tasks == ours

