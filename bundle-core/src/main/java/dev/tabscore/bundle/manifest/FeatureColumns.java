package dev.tabscore.bundle.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One distinct column name per feature where scikit-learn's {@code get_feature_names_out()} repeats
 * a name (a OneHotEncoder whose categories hold both the string {@code 'nan'} and a missing value
 * names both features {@code c_nan}). The manifest's {@code /features/names} keeps scikit-learn's
 * names and features stay positional for the network; the golden output's columns, {@code
 * feature_tolerance} keys, {@code bundle score --features} and {@code explain} use these. The rule,
 * the same as the exporter's {@code tabscore_export.feature_columns}: a name's first occurrence
 * keeps it; its k-th occurrence (k &gt;= 2) becomes {@code <name>__<k>}, or {@code <name>__<k+1>},
 * ... when that is already a feature name or was given to an earlier one.
 */
public final class FeatureColumns {

    private FeatureColumns() {}

    /**
     * Names every feature distinctly.
     *
     * @param names the feature names, in order
     * @return the column names, in order; {@code names} itself when they are distinct
     */
    public static List<String> of(List<String> names) {
        Set<String> taken = new HashSet<>(names);
        if (taken.size() == names.size()) {
            return names;
        }
        Map<String, Integer> seen = new HashMap<>();
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            int k = seen.merge(name, 1, Integer::sum);
            if (k == 1) {
                out.add(name);
                continue;
            }
            while (taken.contains(name + "__" + k)) {
                k++;
            }
            String column = name + "__" + k;
            taken.add(column);
            out.add(column);
        }
        return List.copyOf(out);
    }
}
