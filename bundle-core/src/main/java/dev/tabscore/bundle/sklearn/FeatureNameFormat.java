package dev.tabscore.bundle.sklearn;

/**
 * How a ColumnTransformer names its outputs ({@code verbose_feature_names_out}): {@code True} gives
 * {@code <transformer>__<feature>}, a string is a Python format with the fields {@code
 * {transformer_name}} and {@code {feature_name}} (scikit-learn 1.6+), {@code False} the bare
 * feature name. Format specs and other fields are refused: they would need Python's formatter.
 */
final class FeatureNameFormat {

    /** The format of {@code verbose_feature_names_out=True}. */
    static final String VERBOSE = "{transformer_name}__{feature_name}";

    private static final String TRANSFORMER = "{transformer_name}";
    private static final String FEATURE = "{feature_name}";

    private final String format;

    /**
     * Parses a format.
     *
     * @param format the Python format, or null for bare names
     * @throws IllegalArgumentException if it uses anything but the two fields and {@code {{ }}}
     */
    FeatureNameFormat(String format) {
        this.format = format;
        if (format != null) {
            apply("t", "f");
        }
    }

    /**
     * Names one output.
     *
     * @param transformer the branch name
     * @param feature the branch's feature name
     * @return the output name
     */
    String apply(String transformer, String feature) {
        if (format == null) {
            return feature;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char ch = format.charAt(i);
            if ((ch == '{' || ch == '}') && i + 1 < format.length() && format.charAt(i + 1) == ch) {
                sb.append(ch);
                i++;
            } else if (format.startsWith(TRANSFORMER, i)) {
                sb.append(transformer);
                i += TRANSFORMER.length() - 1;
            } else if (format.startsWith(FEATURE, i)) {
                sb.append(feature);
                i += FEATURE.length() - 1;
            } else if (ch == '{' || ch == '}') {
                throw new IllegalArgumentException(
                        "unsupported name format "
                                + PyRepr.repr(format)
                                + ": only "
                                + TRANSFORMER
                                + " and "
                                + FEATURE
                                + " are supported");
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * Returns whether names carry no prefix, so they must be unique by themselves.
     *
     * @return true for {@code verbose_feature_names_out=False}
     */
    boolean bare() {
        return format == null;
    }
}
