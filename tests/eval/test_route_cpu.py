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


def test_the_pools_are_the_locustfiles() -> None:
    pools = {node.targets[0].id: ast.literal_eval(node.value) for node in _tree().body
             if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
             and node.targets[0].id in ("QUERIES", "PLACES", "FIRMS")}
    assert pools == {"QUERIES": route_cpu.QUERIES, "PLACES": route_cpu.PLACES, "FIRMS": route_cpu.FIRMS}


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

