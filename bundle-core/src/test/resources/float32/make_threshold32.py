"""Writes threshold32-numpy<major.minor>.json: numpy's np.mean, np.median and np.percentile of float32 vectors.

SelectFromModel's 'mean' / 'median' threshold on a float32 coef_ and SelectPercentile's threshold
on a float32 scores_ are computed from these reductions; Threshold32Test checks tabscore's
float32 pairwise sum, median and percentile against them bit for bit.
Run with numpy 1.26 and with numpy 2.x: mean and median agree, np.percentile does not (numpy 1.x
returns a float64 from the exact values, numpy 2 a float32 computed in float32).
"""
import json
import numpy as np

rng = np.random.default_rng(32)
cases = []
for n in list(range(1, 40)) + [63, 64, 65, 127, 128, 129, 255, 1000]:
    for scale in (1e-3, 1e6):
        a = (np.abs(rng.standard_normal(n)) * scale).astype(np.float32)
        q = float(rng.uniform(0, 100))
        cases.append({
            "values": [float(v) for v in a],
            "mean": float(np.mean(a)), "mean_dtype": str(np.mean(a).dtype),
            "median": float(np.median(a)), "median_dtype": str(np.median(a).dtype),
            "q": q, "percentile": float(np.percentile(a, q)),
        })
with open("threshold32-numpy%s.json" % ".".join(np.__version__.split(".")[:2]), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
