package dev.tabscore.job.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A run's identity columns ({@link OutputSchema#IDENTITY}: the same values on every row) as the
 * write options that carry them to {@link IdentityParquetFormat}, which appends them to each row
 * inside the Parquet writer rather than in the rows Spark sorts and copies.
 *
 * @param bundleName the manifest's name
 * @param bundleVersion the manifest's version
 * @param bundleDigest the bundle's digest
 * @param runId the run id
 * @param scoredAtMicros the run's timestamp, microseconds since the epoch (UTC)
 * @param bundleSigner the verified signer's identity, null when no signature was verified
 */
public record IdentityValues(
        String bundleName,
        String bundleVersion,
        String bundleDigest,
        String runId,
        long scoredAtMicros,
        String bundleSigner) {

    /** The prefix of the write options (and Hadoop configuration keys) that carry the values. */
    public static final String PREFIX = "tabscore.identity.";

    /** The footer key-value metadata keys: the same values once per file, in addition. */
    public static final String FOOTER_PREFIX = "tabscore.";

    public IdentityValues {
        for (String s : new String[] {bundleName, bundleVersion, bundleDigest, runId}) {
            if (s == null) {
                throw new IllegalArgumentException(
                        "identity: bundle_name, bundle_version, bundle_digest and run_id are required");
            }
        }
    }

    /**
     * The values by identity column, in {@link OutputSchema#IDENTITY} order, as text ({@code
     * scored_at} in microseconds); a null signer is left out.
     */
    private Map<String, String> byColumn() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bundle_name", bundleName);
        m.put("bundle_version", bundleVersion);
        m.put("bundle_digest", bundleDigest);
        m.put("run_id", runId);
        m.put("scored_at", Long.toString(scoredAtMicros));
        if (bundleSigner != null) {
            m.put("bundle_signer", bundleSigner);
        }
        return m;
    }

    /** The write options, one per identity column; a null signer is left out. */
    public Map<String, String> options() {
        Map<String, String> o = new LinkedHashMap<>();
        byColumn().forEach((c, v) -> o.put(PREFIX + c, v));
        return o;
    }

    /**
     * Reads the values back from a write's Hadoop configuration (Spark copies the write options
     * into it).
     *
     * @throws IllegalStateException naming the key when a required one is missing
     */
    public static IdentityValues fromConf(Configuration conf) {
        return new IdentityValues(
                required(conf, "bundle_name"),
                required(conf, "bundle_version"),
                required(conf, "bundle_digest"),
                required(conf, "run_id"),
                Long.parseLong(required(conf, "scored_at")),
                conf.get(PREFIX + "bundle_signer"));
    }

    private static String required(Configuration conf, String column) {
        String v = conf.get(PREFIX + column);
        if (v == null) {
            throw new IllegalStateException(
                    "the Parquet write of the identity columns has no '"
                            + PREFIX
                            + column
                            + "' option");
        }
        return v;
    }

    /**
     * The identity fields, typed as the literals the driver used to append before: strings and a
     * timestamp, required (never null) but a signer that is null (no signature was verified). The
     * files' schema is the one those literals gave.
     */
    public List<StructField> fields() {
        List<StructField> f = new ArrayList<>();
        for (String c : OutputSchema.IDENTITY) {
            DataType t = c.equals("scored_at") ? DataTypes.TimestampType : DataTypes.StringType;
            f.add(
                    DataTypes.createStructField(
                            c, t, c.equals("bundle_signer") && bundleSigner == null));
        }
        return f;
    }

    /** {@code schema} with the identity fields appended. */
    public StructType appendTo(StructType schema) {
        for (StructField f : fields()) {
            boolean taken = false;
            for (String n : schema.fieldNames()) {
                taken |= n.equalsIgnoreCase(f.name());
            }
            if (taken) {
                throw new IllegalStateException(
                        "the output already has a column '" + f.name() + "', an identity column");
            }
            schema = schema.add(f);
        }
        return schema;
    }

    /** The values as one internal row, in {@link OutputSchema#IDENTITY} order. */
    public InternalRow row() {
        return SparkInternals.row(
                new Object[] {
                    UTF8String.fromString(bundleName),
                    UTF8String.fromString(bundleVersion),
                    UTF8String.fromString(bundleDigest),
                    UTF8String.fromString(runId),
                    scoredAtMicros,
                    bundleSigner == null ? null : UTF8String.fromString(bundleSigner)
                });
    }

    /**
     * The footer key-value metadata: the identity once per file, besides on every row ({@code
     * tabscore.scored_at_micros} for the timestamp).
     */
    public Map<String, String> footer() {
        Map<String, String> m = new LinkedHashMap<>();
        byColumn()
                .forEach(
                        (c, v) ->
                                m.put(
                                        FOOTER_PREFIX
                                                + (c.equals("scored_at") ? "scored_at_micros" : c),
                                        v));
        return m;
    }
}
