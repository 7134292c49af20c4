"""Writes threshold32-numpy<major.minor>.json: numpy's np.mean, np.median and np.percentile of float32 vectors.

SelectFromModel's 'mean' / 'median' threshold on a float32 coef_ and SelectPercentile's threshold
on a float32 scores_ are computed from these reductions; Threshold32Test checks tabscore's
float32 pairwise sum, median and percentile against them bit for bit.
Run with numpy 1.26 and with numpy 2.x: mean and median agree, np.percentile does not (numpy 1.x
returns a float64 from the exact values, numpy 2 a float32 computed in float32).
Each case also records the columns scikit-learn keeps on this numpy: SelectPercentile(percentile=100 - q) and
SelectFromModel's scaled thresholds ("s*mean", "s*median": numpy 1.x scales in float64, numpy 2 in float32), with
crafted vectors on which the numpys keep different columns. Run with scikit-learn 1.4.2 (numpy 1.26), 1.6.1 (2.2),
1.8.0 (2.3) and 1.9.1 (2.4): /work/venvs-difffuzz/sk-<release>/bin/python make_threshold32.py, python3 for 1.9.1.
"""
import json

import numpy as np
from sklearn.feature_selection import SelectPercentile
from sklearn.feature_selection._from_model import _calculate_threshold

F = np.float32
SCALED = ["1.1*mean", "0.7*median", "1.3*median"]


def case(a, q, scaled=SCALED):
    """numpy's reductions of a, and what scikit-learn (running on this numpy) selects with them."""
    sel = SelectPercentile(percentile=100 - q)
    sel.scores_ = a
    sfm = []
    for spec in scaled:
        # SelectFromModel._get_support_mask: mask[scores < threshold] = False
        t = _calculate_threshold(None, a, spec)
        sfm.append({"threshold": spec, "value": float(t), "dtype": str(np.asarray(t).dtype),
                    "kept": [bool(k) for k in ~(a < t)]})
    return {
        "values": [float(v) for v in a],
        "mean": float(np.mean(a)), "mean_dtype": str(np.mean(a).dtype),
        "median": float(np.median(a)), "median_dtype": str(np.median(a).dtype),
        "q": q, "percentile": float(np.percentile(a, q)),
        "percentile_kept": [bool(k) for k in sel._get_support_mask()],
        "sfm": sfm,
    }


rng = np.random.default_rng(32)
cases = []
for n in list(range(1, 40)) + [63, 64, 65, 127, 128, 129, 255, 1000]:
    for scale in (1e-3, 1e6):
        a = (np.abs(rng.standard_normal(n)) * scale).astype(np.float32)
        q = float(rng.uniform(0, 100))
        cases.append(case(a, q))

# Vectors on which the numpys select differently (found with the rules written out below; what is recorded is what
# this numpy and scikit-learn compute). SelectPercentile: consecutive float32 values, the percentile's virtual index
# near k + 1/2, where numpy 1.x (float64 lerp), 2.0-2.3 (float32 q / 100) and 2.4 (float32 gamma) round to different
# neighbours.
shuffle = np.random.default_rng(33)
for x0, n, k, dl in [(1.0, 25, 17, -1e-9), (1.0, 17, 15, -1e-9), (7.77, 18, 11, 1e-9),  # numpy 1.x differs
                     (1.0, 28, 14, -1e-11), (0.3, 27, 16, 1e-6), (0.3, 22, 14, 1e-11),  # 2.0-2.3 differs
                     (7.77, 24, 16, -1e-8), (7.77, 29, 15, 1e-8), (7.77, 19, 15, 1e-9)]:  # 2.4 differs
    a = np.empty(n, F)
    a[0] = F(x0)
    for i in range(1, n):
        a[i] = np.nextafter(a[i - 1], F(np.inf))
    q = 100 * (k + 0.5 + dl) / (n - 1)
    cases.append(case(shuffle.permutation(a), q))
# SelectFromModel "s*median": numpy 1.x compares with float32(float64(s) * median), numpy 2 with
# float32(float32(s) * median); where those differ, the largest value set to the smaller is kept by one rule only.
for seed in range(200):
    a = (np.abs(np.random.default_rng(1000 + seed).standard_normal(9)) + 0.5).astype(F)
    m = np.median(a)
    for s in (1.1, 1.3, 1.7):
        t1 = F(float(s) * float(m))
        t2 = F(F(s) * m)
        if t1 != t2 and min(t1, t2) > m:
            a = a.copy()
            a[np.argmax(a)] = min(t1, t2)
            cases.append(case(a, 50.0, [repr(s) + "*median"]))
            break
    if len(cases) >= 94 + 9 + 6:
        break
with open("threshold32-numpy%s.json" % ".".join(np.__version__.split(".")[:2]), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
