#!/usr/bin/env python3
"""Compares two folders of session documents (`stride analyze --json`) number by number.

    scripts/compare_json.py BEFORE_DIR AFTER_DIR [--rel 1e-9] [--abs 1e-12] [--ignore tool,input]

Used to show that a change which should only move floating-point rounding (a cheaper filter, a reordered sum)
leaves every figure equal: files pair up by name; structure, strings, booleans and nulls must be identical; numbers
may differ by at most max(rel * max(|a|, |b|), abs). Prints the largest relative and absolute differences and where
they are; exits 1 when anything differs beyond the tolerance or a file is missing on one side.
"""
import argparse
import json
import math
import pathlib
import sys


def walk(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out["structure"].append(f"{path}/{k}: only in {'after' if k not in a else 'before'}")
            else:
                walk(a[k], b[k], f"{path}/{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out["structure"].append(f"{path}: {len(a)} items before, {len(b)} after")
        for i, (x, y) in enumerate(zip(a, b)):
            walk(x, y, f"{path}[{i}]", out)
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) \
            and not isinstance(b, bool):
        out["numbers"] += 1
        if a == b:
            return
        diff = abs(a - b)
        scale = max(abs(a), abs(b))
        rel = diff / scale if scale > 0 else math.inf
        out["values"].append((rel, diff, path, a, b))
    elif a != b:
        out["structure"].append(f"{path}: {a!r} before, {b!r} after")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("before")
    p.add_argument("after")
    p.add_argument("--rel", type=float, default=1e-9, help="relative tolerance (default 1e-9)")
    p.add_argument("--abs", type=float, default=1e-12, help="absolute tolerance for values near 0 (default 1e-12)")
    p.add_argument("--ignore", default="tool,input",
                   help="top-level keys to skip (default: tool,input: version, commit and paths)")
    args = p.parse_args()
    ignore = set(filter(None, args.ignore.split(",")))
    before, after = pathlib.Path(args.before), pathlib.Path(args.after)
    names = sorted({f.name for f in before.glob("*.json")} | {f.name for f in after.glob("*.json")})
    failed = False
    worst_rel, worst_abs, total, files = (0.0, None), (0.0, None), 0, 0
    for name in names:
        if not (before / name).exists() or not (after / name).exists():
            print(f"{name}: only in {'after' if not (before / name).exists() else 'before'}")
            failed = True
            continue
        a, b = json.loads((before / name).read_text()), json.loads((after / name).read_text())
        for k in ignore:
            for d in (a, b):
                if isinstance(d, dict):
                    d.pop(k, None)
        out = {"structure": [], "values": [], "numbers": 0}
        walk(a, b, "", out)
        files += 1
        total += out["numbers"]
        for s in out["structure"]:
            print(f"{name}{s}")
            failed = True
        for rel, diff, path, x, y in out["values"]:
            if diff > max(args.rel * max(abs(x), abs(y)), args.abs):
                print(f"{name}{path}: {x!r} -> {y!r} (relative {rel:.2e})")
                failed = True
            if diff > args.abs and rel > worst_rel[0]:
                worst_rel = (rel, f"{name}{path}: {x!r} -> {y!r}")
            if diff > worst_abs[0]:
                worst_abs = (diff, f"{name}{path}: {x!r} -> {y!r}")
    print(f"{files} documents, {total} numbers compared")
    print(f"largest relative difference (above abs {args.abs:g}): {worst_rel[0]:.3e}  {worst_rel[1] or ''}")
    print(f"largest absolute difference: {worst_abs[0]:.3e}  {worst_abs[1] or ''}")
    print("FAIL" if failed else f"OK: all within rel {args.rel:g} / abs {args.abs:g}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
