"""How far tabscore's nan_euclidean distances are from scikit-learn's, against the bound that decides which
KNNImputer rows are rejected as knn_unsettled (docs/sklearn-coverage/KNNImputer.md, "What it costs").

    python3 knn_rounding.py sklearn-1.9.1 [bound]     # bound: "current" (NanEuclidean/KNNImputer) or "2x4" (before)

For the knn-random-* fixtures with weights='distance': Java's distances (NanEuclidean's left-to-right sums, no FMA,
replicated in Python floats, which round the same), scikit-learn's (nan_euclidean_distances on this machine's numpy and
BLAS), the rounding bound, the rows the bound rejects (criterion (b); these fixtures have no ties), and for those rows
how far the imputation from Java's distances is from the fixture's scikit-learn output. Not a test: the counts that
KNNImputerTest prints are authoritative; this measures what the test cannot see (the rejected rows' true gaps)."""
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.metrics.pairwise import nan_euclidean_distances

U = 2.0 ** -53
TOL = 2.0 ** -36


def gamma(n: int) -> float:
    return n * U / (1 - n * U)


def java_distances(x, xm, fit, fit_missing, bound):
    """NanEuclidean.distances: the distances and per fitted row the bound on the squared distance's gap."""
    w = len(x)
    x0 = [0.0 if xm[k] else x[k] for k in range(w)]
    xn = 0.0
    for k in range(w):
        xn += x0[k] * x0[k]
    nx = sum(not m for m in xm)
    out, err = [], []
    for yrow, ym in zip(fit, fit_missing):
        y = [0.0 if ym[k] else yrow[k] for k in range(w)]
        yn = 0.0
        for k in range(w):
            yn += y[k] * y[k]
        dot = absd = a = b = 0.0
        pres = na = nb = 0
        for k in range(w):
            dot += x0[k] * y[k]
            absd += abs(x0[k] * y[k])
            a += x0[k] * x0[k] * (1.0 if ym[k] else 0.0)
            b += (1.0 if xm[k] else 0.0) * (y[k] * y[k])
            pres += not ym[k] and not xm[k]
            na += ym[k] and not xm[k]
            nb += not ym[k] and xm[k]
        d = max(-2.0 * dot + xn + yn, 0.0) - a - b
        d = 0.0 if d < 0 else d
        if pres == 0:
            out.append(math.nan)
            err.append(math.nan)
            continue
        terms = 2 * absd + xn + yn + a + b
        if bound == "2x4":
            e = (w + 4) * 2.0 ** -52 * terms
        else:
            e = 2 * (gamma(pres) * 2 * absd + gamma(nx) * xn + gamma(sum(not m for m in ym)) * yn
                     + gamma(na) * a + gamma(nb) * b + 6 * U * terms) * (1 + gamma(w + 8))
        err.append(e / pres * w)
        out.append(math.sqrt(d / pres * w))
    return np.array(out), np.array(err)


def unsettled(dd, ee, vv, val, bound):
    """KNNImputer.unsettled, criterion (b), for the chosen donors; and the tolerance that would settle it."""
    sw = moved = slack = rho_max = 0.0
    top = abs(val)
    for di, e, v in zip(dd, ee, vv):
        if di != di:
            continue
        sq = di * di
        if bound != "2x4" and sq == 0 and e == 0:
            continue  # exact (the zero-distance rule); not on these continuous fixtures
        if bound == "2x4":
            if sq <= e:
                return True, math.inf
            rho = 0.5 * e / sq + 2.0 ** -50
        else:
            eta = (e + 2.0 ** -50 * sq) / sq
            if not eta < 1:
                return True, math.inf
            rho = 0.5 * eta / (1 - eta) ** 1.5 + 2.0 ** -50
        sw += 1 / di
        moved += rho / di * abs(v - val)
        slack += rho / di
        rho_max = max(rho_max, rho)
        top = max(top, abs(v))
    if sw == 0:
        return False, 0.0
    if bound == "2x4":
        need = 2 * moved / sw / max(1.0, abs(val))
        return need > TOL, need
    rounding = gamma(2 * len(dd) + 4) * top
    gap = ((moved + slack * rounding) / (sw * (1 - rho_max)) + 2 * rounding) * (1 + gamma(2 * len(dd) + 16))
    need = gap * (1 + TOL) / max(1.0, abs(val))
    return need > TOL, need


def main(release_dir: str, bound: str) -> None:
    warnings.filterwarnings("ignore")
    rows = rejected = 0
    gaps, worst_gaps, needs = [], [], []
    for jf in sorted(Path(release_dir).glob("knn-random-*.json")):
        doc = json.loads(jf.read_text())
        rows += len(doc["rows"])
        if "distance" not in doc["estimator"]:
            continue
        sk = jf.with_suffix(".skops")
        est = sio.load(sk, trusted=sio.get_untrusted_types(file=sk))
        fit = est._fit_X
        fit_missing = np.isnan(fit)
        k = est.n_neighbors
        cols = list(doc["columns"])
        X = np.array([[float.fromhex(doc["columns"][c]["values"][r]) if doc["columns"][c]["values"][r] != "nan"
                       else math.nan for c in cols] for r in range(len(doc["rows"]))])
        for r in range(len(X)):
            xm = np.isnan(X[r])
            if not xm.any() or "error" in doc["rows"][r]:
                continue
            dj, ej = java_distances(X[r].tolist(), xm.tolist(), fit.tolist(), fit_missing.tolist(), bound)
            dsk = nan_euclidean_distances(X[r:r + 1], fit)[0]
            ok = ~np.isnan(dj)
            gaps.extend((np.abs(dj[ok] ** 2 - dsk[ok] ** 2) / ej[ok]).tolist())
            bad, worst, row_need = False, 0.0, 0.0
            for c in np.where(xm)[0]:
                donors = np.where(~fit_missing[:, c])[0]
                d, e = dj[donors], ej[donors]
                if np.isnan(d).all():
                    continue
                kk = min(k, len(d))
                ch = np.argpartition(d, kk - 1)[:kk]
                with np.errstate(divide="ignore"):
                    wts = 1.0 / d[ch]
                wts = np.where(np.isinf(wts), 1.0, 0.0) if np.isinf(wts).any() else wts
                wts = np.where(np.isnan(wts), 0.0, wts)
                val = float(np.ma.average(np.ma.array(fit[donors[ch], c]), weights=wts))
                b, need = unsettled(d[ch], e[ch], fit[donors[ch], c], val, bound)
                bad |= b
                row_need = max(row_need, need)
                want = float.fromhex(doc["rows"][r]["out"][int(c)])
                worst = max(worst, abs(val - want) / max(1.0, abs(want)))
            if bad:
                rejected += 1
                worst_gaps.append(worst)
                needs.append(row_need)
    g, wg, nd = np.array(gaps), np.array(worst_gaps), np.array(needs)
    print(f"{release_dir} bound={bound}: {rows} rows, {rejected} rejected (distance weights)")
    print(f"  |dJava^2 - dSklearn^2| / bound: max {g.max():.3g}, {np.mean(g == 0):.1%} of pairs bit-exact")
    print(f"  rejected rows, Java's imputation vs scikit-learn's (relative): {np.sum(wg == 0)} bit-exact, "
          f"{np.sum(wg > TOL)} beyond 2^-36, quantiles 50/90/99/100%: "
          + ", ".join(f"{q:.2g}" for q in np.quantile(wg, [0.5, 0.9, 0.99, 1.0])))
    print("  rows still rejected at a tolerance of 2^-e: "
          + ", ".join(f"e={e}: {int(np.sum(nd > 2.0 ** -e))}" for e in (36, 32, 28, 24, 20, 16, 12)))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "current")
