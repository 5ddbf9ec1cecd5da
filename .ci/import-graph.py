#!/usr/bin/env python3
"""Import graph of skewguard's TypeScript tree, run by .ci/run: prints file-level import cycles,
imports that climb from a lower layer to a higher one, and forbidden imports (FROM!TO: nothing
under FROM may import anything under TO). Usage: import-graph.py ROOT [LAYER | FROM!TO ...], layers
highest first (e.g. lib/cli lib/check.ts lib/collect lib/rules). Exit 1 on any finding.
The layers and the reasons for them: docs/architecture.md, "Layers and imports"."""
import os, re, sys

root = sys.argv[1]
layers = [a for a in sys.argv[2:] if "!" not in a]
forbidden = [tuple(a.split("!", 1)) for a in sys.argv[2:] if "!" in a]
IMP = re.compile(r"""(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)""")
files = {}
for d in ("lib", "functions", "bin"):
    for dp, _, fs in os.walk(os.path.join(root, d)):
        for f in fs:
            if f.endswith(".ts") and not f.endswith(".d.ts"):
                p = os.path.relpath(os.path.join(dp, f), root)
                files[p] = open(os.path.join(root, p), encoding="utf-8").read()

def resolve(src, spec):
    base = os.path.normpath(os.path.join(os.path.dirname(src), spec))
    for cand in (base + ".ts", os.path.join(base, "index.ts"), base):
        if cand in files: return cand
    return None

graph = {p: sorted({r for m in IMP.finditer(t) for r in [resolve(p, m.group(1) or m.group(2))] if r and r != p})
         for p, t in files.items()}
# Tarjan's strongly connected components
index, low, stack, on, comps, n = {}, {}, [], set(), [], [0]
def sc(v):
    index[v] = low[v] = n[0]; n[0] += 1; stack.append(v); on.add(v)
    for w in graph[v]:
        if w not in index: sc(w); low[v] = min(low[v], low[w])
        elif w in on: low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        c = []
        while True:
            w = stack.pop(); on.discard(w); c.append(w)
            if w == v: break
        if len(c) > 1: comps.append(sorted(c))
sys.setrecursionlimit(10000)
for v in graph:
    if v not in index: sc(v)
for c in comps: print("cycle:", " <-> ".join(c))
def layer(p):
    for i, l in enumerate(layers):
        if p == l or p.startswith(l.rstrip("/") + "/"): return i
    return None
up = [(a, b) for a, bs in graph.items() for b in bs if layer(a) is not None and layer(b) is not None and layer(b) < layer(a)]
for a, b in up: print("climbs:", a, "->", b)
under = lambda p, prefix: p == prefix or p.startswith(prefix.rstrip("/") + "/")
banned = [(a, b) for a, bs in graph.items() for b in bs for f, t in forbidden if under(a, f) and under(b, t)]
for a, b in banned: print("forbidden:", a, "->", b)
print(f"{len(files)} files, {sum(map(len, graph.values()))} imports, {len(comps)} cycles, "
      f"{len(up)} climbing imports, {len(banned)} forbidden imports")
sys.exit(1 if comps or up or banned else 0)
