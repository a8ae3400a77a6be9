#!/usr/bin/env python3
"""Reference values for src/core/stats.ts, computed independently with numpy and scipy.

CI has no scipy, so the output is committed and the tests only read it:

    python3 scripts/stats-reference.py   # rewrites test/fixtures/stats/*.json

Deterministic (fixed seeds). Re-run only when adding cases, and keep the scipy version it records.
"""

import json
import pathlib

import numpy as np
import scipy
from scipy import stats

OUT = pathlib.Path(__file__).resolve().parent.parent / "test" / "fixtures" / "stats"

# Must match MWU_EXACT_MAX_CELLS in src/core/stats.ts: exact without ties up to n1*n2 cells.
EXACT_MAX_CELLS = 2500


def floats(a):
    return [float(v) for v in a]


def mwu_case(name, x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    has_ties = len(np.unique(np.concatenate([x, y]))) < len(x) + len(y)
    method = "exact" if not has_ties and len(x) * len(y) <= EXACT_MAX_CELLS else "asymptotic"
    res = stats.mannwhitneyu(x, y, alternative="greater", method=method)
    return {
        "name": name,
        "x": floats(x),
        "y": floats(y),
        "method": method,
        "u": float(res.statistic),
        "p": float(res.pvalue),
    }


def mannwhitney_cases():
    rng = np.random.default_rng(20240611)
    cases = [
        mwu_case("small exact, x greater", [5.1, 6.3, 7.2, 8.8, 9.0], [1.2, 3.4, 4.4, 5.5, 6.0, 2.2]),
        mwu_case("small exact, x smaller", [1.2, 3.4, 4.4, 5.5, 6.0, 2.2], [5.1, 6.3, 7.2, 8.8, 9.0]),
        mwu_case("small exact, overlapping", [3.1, 0.4, 2.7, 5.9], [1.0, 4.2, 2.2, 6.5, 0.1]),
        mwu_case("scipy docs example (males vs females)", [19, 22, 16, 29, 24], [20, 11, 17, 12]),
        mwu_case("one against one", [2.0], [1.0]),
        mwu_case("one against many", [4.5], [1, 2, 3, 4, 5, 6, 7, 8]),
        mwu_case("small with ties across samples", [1, 2, 2, 3, 4], [2, 2, 3, 3, 1, 0]),
        mwu_case("tie within x only", [3, 3, 5], [1, 2, 4]),
        mwu_case("30 vs 60 shifted normal, exact", rng.normal(0.5, 1, 30), rng.normal(0, 1, 60)),
        mwu_case("30 vs 60 null, exact", rng.normal(0, 1, 30), rng.normal(0, 1, 60)),
        mwu_case("30 vs 60 rounded (ties), asymptotic", np.round(rng.normal(0.3, 1, 30), 1),
                 np.round(rng.normal(0, 1, 60), 1)),
        mwu_case("50 vs 50, largest exact", rng.normal(0.2, 1, 50), rng.normal(0, 1, 50)),
        mwu_case("51 vs 50, smallest asymptotic", rng.normal(0.2, 1, 51), rng.normal(0, 1, 50)),
        mwu_case("40 vs 60 fully separated, exact tail", rng.uniform(10, 11, 40), rng.uniform(0, 1, 60)),
        mwu_case("120 vs 60 shifted normal latency", rng.normal(230, 20, 120), rng.normal(220, 20, 60)),
        mwu_case("120 vs 60 null", rng.normal(220, 20, 120), rng.normal(220, 20, 60)),
        mwu_case("100 vs 100 fully separated, asymptotic tail", rng.uniform(5, 6, 100),
                 rng.uniform(0, 1, 100)),
        mwu_case("counts with many ties", rng.poisson(3, 80), rng.poisson(2, 70)),
    ]
    same = np.round(rng.normal(10, 2, 20), 3)
    cases.append(mwu_case("identical samples", same, same.copy()))
    cases.append(mwu_case("all values equal", [3.0] * 10, [3.0] * 15))
    return cases


def descriptive_cases():
    rng = np.random.default_rng(7)
    arrays = {
        "odd length": [3.0, 1.0, 2.0, 9.0, 4.0],
        "even length": [10.0, -2.5, 7.25, 0.0, 3.5, 3.5],
        "single value": [42.0],
        "two values": [1.0, 4.0],
        "mostly one value": [5.0, 5.0, 5.0, 5.0, 6.0, 100.0, 5.0],
        "lognormal latencies": floats(rng.lognormal(np.log(0.2), 0.6, 61)),
        "error ratios": floats(rng.beta(1, 200, 40)),
    }
    qs = [0.0, 0.1, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0]
    out = []
    for name, xs in arrays.items():
        a = np.asarray(xs, dtype=float)
        med = float(np.median(a))
        mad = float(stats.median_abs_deviation(a, scale=1.0))
        z_values = floats([a.min() - 1, med, np.quantile(a, 0.9), a.max() * 2])
        out.append({
            "name": name,
            "xs": floats(a),
            "median": med,
            "quantiles": [[q, float(np.quantile(a, q))] for q in qs],
            "mad": mad,
            "mean": float(np.mean(a)),
            # ddof=1 is undefined for one value; the TS returns NaN there (JSON has no NaN).
            "stddev": float(np.std(a, ddof=1)) if len(a) > 1 else None,
            # Only where MAD > 0: the MAD == 0 fallbacks are our own choice, tested in the TS.
            "robustZ": [[v, (v - med) / (1.4826 * mad)] for v in z_values] if mad > 0 else [],
        })
    return out


def hodges_lehmann_cases():
    rng = np.random.default_rng(11)
    pairs = {
        "small odd count": ([1.0, 2.0, 4.0], [0.5, 3.0, 3.5]),
        "small even count": ([1.0, 2.0], [0.0, 0.25, 1.5]),
        "120 vs 60 shifted latency": (rng.normal(230, 20, 120), rng.normal(220, 20, 60)),
        "identical": ([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]),
    }
    return [
        {"name": name, "x": floats(x), "y": floats(y),
         "shift": float(np.median(np.subtract.outer(np.asarray(x, float), np.asarray(y, float))))}
        for name, (x, y) in pairs.items()
    ]


def normal_cases():
    zs = [-40, -8.5, -5, -3, -2.5, -1.96, -1, -0.3, 0, 0.1, 0.5, 1, 1.6448536269514722, 1.96,
          2.4999, 2.5, 3.5355, 3.5356, 4, 6, 8.3, 10, 20, 37, 38.5]
    return [[float(z), float(stats.norm.sf(z))] for z in zs]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    meta = {"generator": "scripts/stats-reference.py", "scipy": scipy.__version__, "numpy": np.__version__}
    files = {
        "mannwhitney.json": {**meta, "cases": mannwhitney_cases()},
        "descriptive.json": {**meta, "arrays": descriptive_cases(), "hodgesLehmann": hodges_lehmann_cases(),
                             "normalSf": normal_cases()},
    }
    for fname, data in files.items():
        (OUT / fname).write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
        print(f"wrote {OUT / fname}")


if __name__ == "__main__":
    main()
