package dev.tabscore.job.spark;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rejects of a run: one Parquet dataset of the rows that could not be scored, with their
 * original values and why, in {@code <rejects>/run_id=<run>/}. Tasks write into {@code
 * <rejects>/_staging/<run>/}; after Spark committed the data the driver gathers the successful
 * attempts' files ({@link #stage}) and the run's publication moves them into place together with
 * the data, summary and report. On a failed run only the staging directory is deleted.
 */
public final class RejectsOutput {

    private static final Logger LOG = LoggerFactory.getLogger(RejectsOutput.class);

    /** The columns every reject carries after its input values. */
    public static final List<String> REASON_COLUMNS =
            List.of("reject_reason", "reject_column", "reject_detail");

    /** The identity columns of a reject. */
    public static final List<String> IDENTITY_COLUMNS =
            List.of("bundle_name", "bundle_version", "bundle_digest", "run_id", "bundle_signer");

    private RejectsOutput() {}

    /**
     * Returns the rejects' schema: the kept input fields with their types, then the reason and
     * identity columns.
     *
     * @param input the input schema
     * @param fields the input field indexes kept
     * @return the schema
     */
    public static StructType schema(StructType input, int[] fields) {
        List<StructField> out = new ArrayList<>();
        for (int f : fields) {
            StructField s = input.fields()[f];
            out.add(DataTypes.createStructField(s.name(), s.dataType(), true));
        }
        for (String c : REASON_COLUMNS) {
            out.add(DataTypes.createStructField(c, DataTypes.StringType, false));
        }
        for (String c : IDENTITY_COLUMNS) {
            // bundle_signer is null when no signature was verified
            out.add(
                    DataTypes.createStructField(
                            c, DataTypes.StringType, c.equals("bundle_signer")));
        }
        return DataTypes.createStructType(out);
    }

    /**
     * Returns the staging directory of a run.
     *
     * @param rejectsUri the rejects directory
     * @param runId the run id
     * @return the staging directory
     */
    public static String staging(String rejectsUri, String runId) {
        return rejectsUri + "/_staging/" + runId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * The published rejects of a run: {@code <rejects>/run_id=<run>}, a Hive-style partition so
     * that reading the rejects directory gives every run's rejects with their {@code run_id}; a run
     * never replaces another run's rejects (a rerun under the same run id replaces its own).
     *
     * @param rejectsUri the rejects directory
     * @param runId the run id
     * @return the run's rejects directory
     */
    public static Path runDirectory(String rejectsUri, String runId) {
        return new Path(
                BundleFiles.toPath(rejectsUri),
                "run_id=" + runId.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Gathers a run's rejects, ready to publish, in {@code <staging>/publish}: the files of the
     * successful task attempts (listed by an accumulator: a failed or duplicate attempt is never
     * listed) as {@code part-NNNNN.snappy.parquet}, an empty file with the schema when there was no
     * reject (so that readers always find a schema), and a {@code _SUCCESS} marker. Nothing outside
     * the staging directory is touched.
     *
     * @param conf the Hadoop configuration
     * @param stagingUri the run's staging directory
     * @param files the staged files of successful attempts, "partition\tpath\trows" each
     * @param schema the rejects' schema (for the empty file)
     * @return the directory to publish
     * @throws BundleException (IO_ERROR) if the storage fails
     */
    public static Path stage(
            Configuration conf, String stagingUri, List<String> files, StructType schema) {
        Path dir = new Path(BundleFiles.toPath(stagingUri), "publish");
        try {
            FileSystem fs = dir.getFileSystem(conf);
            fs.delete(dir, true);
            fs.mkdirs(dir);
            TreeMap<Integer, String[]> byPartition = new TreeMap<>();
            for (String f : files) {
                String[] p = f.split("\t");
                if (byPartition.put(Integer.parseInt(p[0]), p) != null) {
                    throw new BundleException(
                            Reason.SCORING_FAILED,
                            "two successful attempts "
                                    + "of partition "
                                    + p[0]
                                    + " staged rejects");
                }
            }
            for (String[] p : byPartition.values()) {
                Path target =
                        new Path(
                                dir,
                                String.format("part-%05d.snappy.parquet", Integer.parseInt(p[0])));
                if (!fs.rename(new Path(p[1]), target)) {
                    throw new IOException("rename " + p[1] + " -> " + target + " failed");
                }
            }
            if (byPartition.isEmpty()) {
                SparkInternals.parquetWriter(
                                new Path(dir, "part-00000.snappy.parquet"), schema, conf)
                        .close();
            }
            fs.create(new Path(dir, "_SUCCESS"), true).close();
            return dir;
        } catch (IOException e) {
            throw new BundleException(
                    Reason.IO_ERROR,
                    "cannot stage the rejects in "
                            + BundleFiles.redact(stagingUri)
                            + ": "
                            + BundleFiles.redact(e.getMessage()),
                    e);
        }
    }

    /**
     * Deletes what killed runs left staged under a rejects directory: {@code <rejects>/_staging}
     * and, for backfills, {@code <rejects>/<column>=<date>/_staging}. Call once per job, before any
     * of its runs stage rejects.
     *
     * @param conf the Hadoop configuration
     * @param rejectsUri the rejects directory
     * @return the staging folders removed
     * @throws IOException if the storage fails
     */
    public static List<String> removeStaging(Configuration conf, String rejectsUri)
            throws IOException {
        Path dir = BundleFiles.toPath(rejectsUri);
        FileSystem fs = dir.getFileSystem(conf);
        List<String> removed = new ArrayList<>();
        if (!fs.exists(dir)) {
            return removed;
        }
        List<Path> candidates = new ArrayList<>(List.of(new Path(dir, "_staging")));
        for (FileStatus st : fs.listStatus(dir)) {
            if (st.isDirectory()
                    && st.getPath().getName().contains("=")
                    && !st.getPath().getName().startsWith("run_id=")) {
                candidates.add(new Path(st.getPath(), "_staging"));
            }
        }
        for (Path p : candidates) {
            if (fs.exists(p)) {
                fs.delete(p, true);
                removed.add("rejects " + p.getParent().getName() + "/_staging");
            }
        }
        return removed;
    }

    /**
     * Deletes a run's staging directory, and the {@code _staging} folder and the rejects directory
     * when that leaves them empty (a failed first run leaves no rejects folder); best effort.
     *
     * @param conf the Hadoop configuration
     * @param stagingUri the run's staging directory
     */
    public static void discard(Configuration conf, String stagingUri) {
        Path staging = BundleFiles.toPath(stagingUri);
        try {
            FileSystem fs = staging.getFileSystem(conf);
            fs.delete(staging, true);
            // then _staging, and the rejects directory itself, once nothing is left in them
            for (Path p = staging.getParent(), stop = p.getParent().getParent();
                    p != null && !p.equals(stop);
                    p = p.getParent()) {
                if (!fs.exists(p) || fs.listStatus(p).length > 0) {
                    break;
                }
                fs.delete(p, false);
            }
        } catch (IOException e) {
            LOG.warn(
                    "could not delete the rejects staging "
                            + "directory "
                            + BundleFiles.redact(stagingUri)
                            + ": "
                            + e.getMessage());
        }
    }
}
