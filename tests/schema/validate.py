#!/usr/bin/python3
"""Session documents against docs/session.schema.json (JSON Schema draft 2020-12), with Debian's python3-jsonschema.

  validate.py SCHEMA FILE...            every FILE must be valid; each error is printed with its JSON path
  validate.py SCHEMA --mutants FILE     FILE must be valid, and every deliberate mistake made in a copy of it must be
                                        rejected: the schema is strict enough to catch what it is meant to catch
Exit 0 when all is as expected, 1 otherwise.
"""
import copy
import json
import sys

from jsonschema import Draft202012Validator


def errors(validator, doc):
    return sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))


def where(error):
    return "/" + "/".join(str(p) for p in error.absolute_path)


def first_trust_window(doc):
    return doc["trust_windows"][0]


def only_foot(doc):
    return next(iter(doc["feet"].values()))


def mutants(doc):
    """(what, change) pairs: each change makes one mistake a writer or a hand edit could make."""
    def foot(d):
        return only_foot(d)

    def stride(d):
        return foot(d)["strides"][0]

    def flag(d):
        if not d["flags"]:
            d["flags"].append({"id": "low_cadence", "severity": "info", "title": "t", "evidence": "", "values": {},
                               "strides": 1, "from_s": 0, "to_s": 1, "rule": "", "why": "", "source": "",
                               "what_to_try": "", "trust": "", "side": next(iter(d["feet"]))})
        return d["flags"][0]

    yield "strike_pattern outside its enum", lambda d: stride(d).__setitem__("strike_pattern", "heel")
    yield "a number written as text", lambda d: stride(d).__setitem__("gct_ms", "250")
    yield "a stride field misspelt", lambda d: stride(d).__setitem__("gct", stride(d).pop("gct_ms"))
    yield "a foot without summary", lambda d: foot(d).pop("summary")
    yield "a metric name without its unit", lambda d: foot(d)["summary"]["metrics"].__setitem__("gct", {
        "n": 0, "mean": None, "sd": None, "median": None, "min": None, "max": None})
    yield "severity outside its enum", lambda d: flag(d).__setitem__("severity", "high")
    yield "a flag side that names no foot", lambda d: flag(d).__setitem__("side", "")
    yield "metadata side outside its enum", lambda d: foot(d)["metadata"].__setitem__("side", "middle")
    yield "placement outside its enum", lambda d: foot(d)["metadata"].__setitem__("placement", "wrist")
    yield "a foot under a key that is no side", lambda d: d["feet"].__setitem__("middle", d["feet"].pop(next(iter(d["feet"]))))
    yield "another schema", lambda d: d.__setitem__("schema", "stride.session/1")
    yield "no schema", lambda d: d.pop("schema")
    yield "no bilateral key", lambda d: d.pop("bilateral")
    if len(doc["feet"]) == 1:
        yield "bilateral beside one foot", lambda d: d.__setitem__("bilateral", {
            "clock": {"source": "same_file", "left_shift_s": 0, "right_shift_s": 0, "right_scale": 1, "drift_ppm": 0},
            "steps": 0, "alternation_share": None, "right_phase": None, "metrics": {}, "symmetry": {}, "warnings": []})
    else:
        yield "two feet without their bilateral part", lambda d: d.__setitem__("bilateral", None)
        yield "a clock source outside its enum", lambda d: d["bilateral"]["clock"].__setitem__("source", "guess")
        yield "a symmetry index above 200 %", lambda d: next(iter(d["bilateral"]["symmetry"].values())).__setitem__(
            "si_pct", 250.0)
    def earlier_layout(d):  # stride.session/1 and before: the one foot's content and the flags at the top
        content, flags = only_foot(d), d["flags"]
        d.clear()
        d.update(content, flags=flags)
    yield "the earlier one-sensor layout", earlier_layout
    yield "a hash that is not 16 hex digits", lambda d: foot(d)["input"].__setitem__("fnv1a64", "xyz")
    yield "a negative count", lambda d: foot(d)["summary"].__setitem__("strides_valid", -1)
    if doc.get("trust_windows"):
        yield "a trust window at the raw rate (not decimated)", lambda d: d["trust_windows"][0].__setitem__("rate_hz", 1000.0)
        yield "a trust window without its samples", lambda d: d["trust_windows"][0].pop("acc_g")
        yield "a zero-velocity window that is no pair", lambda d: d["trust_windows"][0]["zero_velocity_s"].append([1.0])
        if "zoom_s" in first_trust_window(doc):
            yield "a zoom without its rate", lambda d: d["trust_windows"][0].pop("zoom_rate_hz")
            yield "a zoom rate above 250 Hz", lambda d: d["trust_windows"][0].__setitem__("zoom_rate_hz", 500.0)
        evidence = [w for w in doc["trust_windows"] if any("t_s" in e for e in w.get("evidence_strides", []))]
        if evidence:
            k = doc["trust_windows"].index(evidence[0])
            e = next(i for i, x in enumerate(evidence[0]["evidence_strides"]) if "t_s" in x)
            yield "an evidence stride without its samples", lambda d: d["trust_windows"][k]["evidence_strides"][e].pop("acc_g")
            yield "an evidence stride both in the zoom and with samples", lambda d: d["trust_windows"][k]["evidence_strides"][e].__setitem__("in_zoom", True)
            yield "an evidence stride of an unknown kind", lambda d: d["trust_windows"][k]["evidence_strides"][e].__setitem__("label", "best")
            yield "evidence strides without the zoom's number", lambda d: d["trust_windows"][k].pop("zoom_stride_n")
            yield "a zoom range of three numbers", lambda d: d["trust_windows"][0]["zoom_s"].append(2.5)
            yield "a zoomed stride that is a number", lambda d: d["trust_windows"][0].__setitem__("zoom_stride_s", 0.7)

            def own_stride_in_window(d):  # its own flag comes first: no earlier flag can hold its strides' samples
                w = d["trust_windows"][k]
                w["evidence_strides"][e] = {x: w["evidence_strides"][e][x] for x in ("n", "label", "value")}
                w["evidence_strides"][e]["in_window"] = True
            yield "a window's own evidence stride in_window", own_stride_in_window
        shared = [w for w in doc["trust_windows"] if w.get("other_flags")]
        if shared:
            k = doc["trust_windows"].index(shared[0])
            yield "another flag's evidence without its metric", lambda d: d["trust_windows"][k]["other_flags"][0].pop("evidence_metric")
            yield "another flag's evidence without its title", lambda d: d["trust_windows"][k]["other_flags"][0].pop("title")
            yield "another flag's evidence with a field of its own", lambda d: d["trust_windows"][k]["other_flags"][0].__setitem__("t_s", [0.0])
            yield "an empty list of other flags", lambda d: d["trust_windows"][k].__setitem__("other_flags", [])
            yield "other flags on a window without evidence strides", lambda d: d["trust_windows"][k].pop("evidence_strides")
        reused = [(a, b, c) for a, w in enumerate(doc["trust_windows"]) for b, g in enumerate(w.get("other_flags", []))
                  for c, x in enumerate(g["evidence_strides"]) if x.get("in_window")]
        if reused:
            a, b, c = reused[0]
            yield "a stride both in_window and in_zoom", lambda d: d["trust_windows"][a]["other_flags"][b]["evidence_strides"][c].__setitem__("in_zoom", True)
            yield "a stride in_window with samples too", lambda d: d["trust_windows"][a]["other_flags"][b]["evidence_strides"][c].update(
                {"from_s": 1.0, "to_s": 1.8, "rate_hz": 200, "t_s": [0.0], "acc_g": [1.0], "gyr_dps": None, "ic_s": [],
                 "tc_s": [], "zero_velocity_s": [], "stride_s": [0.08, 0.7]})


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    failed = 0
    if argv[2] == "--mutants":
        with open(argv[3], encoding="utf-8") as f:
            base = json.load(f)
        if errors(validator, base):
            print(f"{argv[3]}: the document to mutate is not valid itself", file=sys.stderr)
            return 1
        n = 0
        for what, change in mutants(base):
            doc = copy.deepcopy(base)
            change(doc)
            n += 1
            if not errors(validator, doc):
                print(f"{argv[3]}: NOT REJECTED: {what}", file=sys.stderr)
                failed += 1
        print(f"{argv[3]}: {n - failed} of {n} deliberate mistakes rejected")
        return 1 if failed else 0
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        found = errors(validator, doc)
        for e in found[:20]:
            print(f"{path}: {where(e)}: {e.message[:300]}", file=sys.stderr)
        if found:
            failed += 1
        else:
            print(f"{path}: valid")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
