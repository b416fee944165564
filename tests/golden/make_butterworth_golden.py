#!/usr/bin/env python3
"""Generates butterworth_golden.csv: scipy's design and zero-phase output for stride's ButterworthLowpass test.

Run with Debian's python3-scipy:  /usr/bin/python3 tests/golden/make_butterworth_golden.py
Row layout: order,cutoff_hz,rate_hz then 'sos' rows (b0,b1,b2,a1,a2 per section) then 'x'/'y' rows of the signal.
"""
import numpy as np
from scipy import signal

rng = np.random.default_rng(7)
n = 400
out = []
for order, fc, fs in [(2, 10.0, 200.0), (4, 6.0, 500.0), (4, 50.0, 1000.0), (6, 20.0, 204.8)]:
    sos = signal.butter(order, fc, btype="low", fs=fs, output="sos")
    t = np.arange(n) / fs
    x = np.sin(2 * np.pi * 1.7 * t) + 0.5 * np.sin(2 * np.pi * 3 * fc * t) + 0.1 * rng.standard_normal(n) + 2.0
    padlen = 3 * (2 * len(sos) + 1)
    y = signal.sosfiltfilt(sos, x, padtype="odd", padlen=padlen)
    out.append(f"case,{order},{fc!r},{fs!r}")
    for s in sos:
        out.append("sos," + ",".join(repr(float(v)) for v in (s[0], s[1], s[2], s[4], s[5])))
    out.append("x," + ",".join(repr(float(v)) for v in x))
    out.append("y," + ",".join(repr(float(v)) for v in y))
with open(__file__.replace("make_butterworth_golden.py", "butterworth_golden.csv"), "w") as f:
    f.write("\n".join(out) + "\n")
