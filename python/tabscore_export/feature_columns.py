"""Unique column names for features whose scikit-learn names repeat.

scikit-learn may name two features alike: a OneHotEncoder whose categories hold both the string ``'nan'`` and a
missing value names both ``c_nan``; a PolynomialFeatures over columns ``a b``, ``a``, ``b`` names two ``a b``; a
ColumnTransformer with ``verbose_feature_names_out="{feature_name}"`` repeats a column used twice. The manifest keeps
those names exactly (``features.names``) and the network reads features by position, but a Parquet column, a golden
replay report, ``explain`` and the manifest's per-feature tolerances need one name per feature. The rule, the same in
Java (``dev.tabscore.bundle.manifest.FeatureColumns``): a name's first occurrence keeps it; its k-th occurrence
(k >= 2) becomes ``<name>__<k>``, or ``<name>__<k+1>``, ``<name>__<k+2>``, ... when that is already a feature name
or was given to an earlier one. Unique names are returned unchanged.
"""

from __future__ import annotations

from typing import Sequence


def feature_columns(names: Sequence[str]) -> list[str]:
    """One distinct column name per feature, in order (the rule above)."""
    taken = set(names)
    if len(taken) == len(names):
        return list(names)
    seen: dict[str, int] = {}
    out = []
    for name in names:
        k = seen.get(name, 0) + 1
        seen[name] = k
        if k == 1:
            out.append(name)
            continue
        while f"{name}__{k}" in taken:
            k += 1
        out.append(f"{name}__{k}")
        taken.add(out[-1])
    return out
