package dev.tabscore.job;

import dev.tabscore.bundle.Reason;

/**
 * Checks at start-up that the Jackson the cluster provides is one the job supports. The job jar
 * carries its Jackson data formats (CSV, YAML) relocated, but they and the job run on Spark's own
 * jackson-core and jackson-databind, which a vendor distribution may ship at another version; a
 * mismatch would otherwise surface as a {@link NoSuchMethodError} deep inside a run.
 */
final class JacksonCheck {

    /** The Jackson line the job is built and tested with (Spark 4.2.0 ships 2.21.2). */
    static final String SUPPORTED = "2.21";

    private JacksonCheck() {}

    /**
     * Returns why this JVM's Jackson is not supported, or null when it is.
     *
     * @return the refusal message (exit {@link Reason#UNSUPPORTED_CLASSPATH}) or null
     */
    static String problem() {
        try {
            String core =
                    problem(
                            "jackson-core",
                            com.fasterxml.jackson.core.json.PackageVersion.VERSION.toString(),
                            com.fasterxml.jackson.core.JsonFactory.class);
            return core != null
                    ? core
                    : problem(
                            "jackson-databind",
                            com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                            com.fasterxml.jackson.databind.ObjectMapper.class);
        } catch (LinkageError e) {
            return "Jackson "
                    + SUPPORTED
                    + ".x is required on the classpath (Spark provides it) "
                    + "but could not be loaded: "
                    + e;
        }
    }

    /**
     * Checks one artifact's version, e.g. {@code 2.21.2} or {@code 2.21.3-SNAPSHOT}.
     *
     * @param artifact the artifact, for the message
     * @param version its version
     * @param from a class of it, whose jar the message names
     * @return the refusal message or null
     */
    static String problem(String artifact, String version, Class<?> from) {
        if (version.equals(SUPPORTED) || version.startsWith(SUPPORTED + ".")) {
            return null;
        }
        return "unsupported "
                + artifact
                + " "
                + version
                + " on the classpath (from "
                + jar(from)
                + "): tabscore needs Jackson "
                + SUPPORTED
                + ".x, the version Spark 4.2 ships; "
                + "use a Spark distribution with Jackson "
                + SUPPORTED
                + " (docs/deployment.md, "
                + "\"The job jar\")";
    }

    private static String jar(Class<?> c) {
        var source = c.getProtectionDomain().getCodeSource();
        return source == null || source.getLocation() == null
                ? "an unknown location"
                : source.getLocation().toString();
    }
}
