package dev.tabscore.bundle.sklearn;

/**
 * OneHotEncoder's infrequent grouping of one feature ({@code min_frequency} / {@code
 * max_categories}): the fitted {@code _infrequent_indices} and {@code
 * _default_to_infrequent_mappings} map every infrequent category to one last output column, named
 * {@code infrequent_sklearn}, and the frequent ones to the columns before it.
 */
final class InfrequentGroups {

    private InfrequentGroups() {}

    /**
     * Returns the output names of a feature's categories after infrequent grouping, before the
     * dropped one is removed, checking that the mapping groups exactly the infrequent categories
     * into its last column and maps the others one-to-one in category order.
     *
     * @param cats the feature's categories
     * @param infrequent {@code _infrequent_indices[i]}, or null
     * @param mapping {@code _default_to_infrequent_mappings[i]}, or null
     * @param i the feature index, for messages
     * @return {@code str(category)} per output column, {@code infrequent_sklearn} last
     */
    static String[] names(Categories cats, long[] infrequent, long[] mapping, int i) {
        if ((infrequent == null) != (mapping == null)) {
            throw new IllegalArgumentException(
                    "feature "
                            + i
                            + ": infrequent indices and"
                            + " mapping must be both present or both absent");
        }
        String[] names = new String[mapping == null ? cats.size() : maxOf(mapping) + 1];
        if (mapping == null) {
            for (int k = 0; k < names.length; k++) {
                names[k] = cats.str(k);
            }
            return names;
        }
        int group = names.length - 1;
        if (mapping.length != cats.size() || infrequent.length == 0) {
            throw new IllegalArgumentException(
                    "feature "
                            + i
                            + ": mapping of "
                            + mapping.length
                            + " for "
                            + cats.size()
                            + " categories, "
                            + infrequent.length
                            + " infrequent");
        }
        for (long k : infrequent) {
            if (k < 0 || k >= mapping.length || mapping[(int) k] != group) {
                throw new IllegalArgumentException(
                        "feature "
                                + i
                                + ": infrequent category "
                                + k
                                + " is not mapped to the infrequent column "
                                + group);
            }
        }
        for (int k = 0; k < mapping.length; k++) {
            int m = (int) mapping[k];
            if (m < 0 || m < group && names[m] != null) {
                throw new IllegalArgumentException(
                        "feature "
                                + i
                                + ": mapping "
                                + m
                                + " of "
                                + "category "
                                + k
                                + " is negative or shared");
            }
            // np.concatenate with the object "infrequent_sklearn" makes Python objects of the
            // categories: a float32 one is named as a Python float then (0.10000000149011612)
            names[m] = m < group ? PyRepr.str(cats.value(k)) : "infrequent_sklearn";
        }
        for (int m = 0; m < group; m++) {
            if (names[m] == null) {
                throw new IllegalArgumentException("feature " + i + ": no category maps to " + m);
            }
        }
        return names;
    }

    private static int maxOf(long[] v) {
        long max = -1;
        for (long x : v) {
            max = Math.max(max, x);
        }
        return (int) max;
    }
}
