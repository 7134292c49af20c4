package dev.tabscore.bundle.sklearn;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numpy release that ran the training side, from a bundle manifest's {@code versions.numpy}. A
 * few float32 computations differ between numpy 1.x (value-based casting: a float64 scalar next to
 * a float32 array is rounded to float32) and numpy 2 (NEP 50: the scalar stays float64), and
 * between numpy 2 releases ({@code np.percentile}); the skops file alone does not say which numpy
 * ran, so those steps are refused unless this is known.
 *
 * <p>Only numpy 1 and 2 count as known: anything else, or a version that does not parse, is {@link
 * #UNKNOWN} (and the differing steps stay refused).
 */
public final class TrainingNumpy {

    /** Not known (no manifest, no {@code versions.numpy}, or one that does not parse). */
    public static final TrainingNumpy UNKNOWN = new TrainingNumpy(-1, -1);

    /** {@code major.minor} then the end, or a non-digit ({@code 1.26.4}, {@code 2.0.0rc1}). */
    private static final Pattern VERSION = Pattern.compile("(\\d{1,4})\\.(\\d{1,4})(?:\\D.*)?");

    private final int major;
    private final int minor;

    private TrainingNumpy(int major, int minor) {
        this.major = major;
        this.minor = minor;
    }

    /**
     * Reads a numpy version string such as {@code 1.26.4} or {@code 2.4.0}.
     *
     * @param version the version, or null
     * @return the release, or {@link #UNKNOWN} if it is null, does not parse, or is not numpy 1 or
     *     2
     */
    public static TrainingNumpy parse(String version) {
        if (version == null) {
            return UNKNOWN;
        }
        Matcher m = VERSION.matcher(version.strip());
        if (!m.matches()) {
            return UNKNOWN;
        }
        int ma = Integer.parseInt(m.group(1));
        int mi = Integer.parseInt(m.group(2));
        return ma == 1 || ma == 2 ? new TrainingNumpy(ma, mi) : UNKNOWN;
    }

    /**
     * Returns numpy {@code major.minor}, for tests.
     *
     * @param major 1 or 2
     * @param minor the minor release
     * @return the release
     */
    public static TrainingNumpy of(int major, int minor) {
        return parse(major + "." + minor);
    }

    /**
     * Whether the release is known.
     *
     * @return true for numpy 1.x or 2.x
     */
    public boolean known() {
        return major > 0;
    }

    /**
     * The major release, if known.
     *
     * @return 1 or 2, or empty
     */
    public OptionalInt major() {
        return known() ? OptionalInt.of(major) : OptionalInt.empty();
    }

    /**
     * Whether it is known to be numpy 1.x (value-based casting).
     *
     * @return true for numpy 1.x
     */
    public boolean isNumpy1() {
        return major == 1;
    }

    /**
     * Whether it is known to be numpy 2.x (NEP 50 weak scalars).
     *
     * @return true for numpy 2.x
     */
    public boolean isNumpy2() {
        return major == 2;
    }

    /**
     * Whether it is known to be numpy {@code major.minor} or later.
     *
     * @param major the major release
     * @param minor the minor release
     * @return false when unknown
     */
    public boolean atLeast(int major, int minor) {
        return known() && (this.major != major ? this.major > major : this.minor >= minor);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingNumpy t && t.major == major && t.minor == minor;
    }

    @Override
    public int hashCode() {
        return major * 1000 + minor;
    }

    @Override
    public String toString() {
        return known() ? "numpy " + major + "." + minor : "numpy unknown";
    }
}
