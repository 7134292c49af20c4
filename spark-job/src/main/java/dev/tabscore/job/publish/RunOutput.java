package dev.tabscore.job.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where one run stages its output and how it is published.
 *
 * <pre>
 * &lt;output&gt;/
 *   part-*.parquet | &lt;col&gt;=&lt;v&gt;/...   published data (what readers see)
 *   _SUCCESS
 *   _tabscore_summary.json, _tabscore_report.html      the published output's summary and report
 *   _tabscore_rejects/run_id=&lt;run&gt;/             each run's rejects, never replaced by another run
 *   _tabscore_runs/&lt;run&gt;/summary.json, report.html   every run's own record, failed ones too
 *   _tabscore_staging/&lt;run&gt;/                   while a run is in flight (ignored by readers:
 *     data/      Spark's committed write          names starting with '_' are hidden files)
 *     replaced/  what the publication replaced, until its commit point
 *     _publish.json  the publication journal
 * </pre>
 *
 * <p>The data moves per mode: {@code error_if_exists} adds the staged entries; {@code overwrite}
 * replaces every published data entry (top-level names not starting with {@code _} or {@code .}) by
 * the staged ones; {@code overwrite_partitions} replaces only the leaf partition directories the
 * run wrote. {@code _SUCCESS} moves after the data.
 */
public final class RunOutput {

    private static final Logger LOG = LoggerFactory.getLogger(RunOutput.class);

    /** The staging folder of in-flight runs, inside the output. */
    public static final String STAGING = "_tabscore_staging";

    /** The folder of every run's own record, inside the output. */
    public static final String RUNS = "_tabscore_runs";

    private final Path output;
    private final String mode;
    private final int partitionDepth;
    private final String stagingName;

    /**
     * A run's output.
     *
     * @param output the output directory
     * @param mode error_if_exists, overwrite or overwrite_partitions
     * @param partitionBy the output partition columns
     * @param stagingName the run's staging name (run id, plus the snapshot in a backfill)
     */
    public RunOutput(Path output, String mode, List<String> partitionBy, String stagingName) {
        this.output = output;
        this.mode = mode;
        this.partitionDepth = partitionBy.size();
        this.stagingName = safeName(stagingName);
    }

    /**
     * Makes a run id usable as one path segment.
     *
     * @param id a run id
     * @return the id with anything but letters, digits, '.', '_' and '-' replaced by '_'
     */
    public static String safeName(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * The run's staging directory.
     *
     * @return {@code <output>/_tabscore_staging/<run>}
     */
    public Path staging() {
        return new Path(new Path(output, STAGING), stagingName);
    }

    /**
     * Where Spark writes the run's data (its own commit protocol commits into it).
     *
     * @return {@code <staging>/data}
     */
    public Path stagedData() {
        return new Path(staging(), "data");
    }

    /**
     * A staged file of the run (summary, report) inside its staging directory.
     *
     * @param name the file name
     * @return the path
     */
    public Path stagedFile(String name) {
        return new Path(new Path(staging(), "files"), name);
    }

    /**
     * Where this run's own record (summary, report) goes, on every exit path.
     *
     * @param output the output directory
     * @param runName the run's name (run id, plus the snapshot in a backfill)
     * @param file summary.json or report.html
     * @return {@code <output>/_tabscore_runs/<run>/<file>}
     */
    public static Path runRecord(Path output, String runName, String file) {
        return new Path(new Path(new Path(output, RUNS), safeName(runName)), file);
    }

    /**
     * Something staged outside the data that moves in after it.
     *
     * @param what rejects, summary or report
     * @param from the staged path
     * @param to the published path
     */
    public record Staged(String what, Path from, Path to) {}

    /**
     * Plans the publication of the staged data, then of the given extra files (rejects, summary,
     * report), in that order.
     *
     * @param conf the Hadoop configuration
     * @param failBefore test-only fault ({@link Publication}); null for none
     * @param pauseMillis test-only pause after each move (0: none)
     * @param extra what moves in after the data
     * @return the publication, not yet committed
     * @throws IOException if the staged data cannot be listed
     */
    public Publication plan(
            Configuration conf, String failBefore, long pauseMillis, List<Staged> extra)
            throws IOException {
        Publication p =
                new Publication(new Path(staging(), "_publish.json"), failBefore, pauseMillis);
        Path replaced = new Path(staging(), "replaced");
        FileSystem fs = output.getFileSystem(conf);
        Map<String, Path> staged = new LinkedHashMap<>();
        Path success = null;
        if (fs.exists(stagedData())) {
            for (FileStatus st : fs.listStatus(stagedData())) {
                String name = st.getPath().getName();
                if (name.equals("_SUCCESS")) {
                    success = st.getPath();
                } else if (!hidden(name)) {
                    staged.put(name, st.getPath());
                }
            }
        }
        if (mode.equals("overwrite_partitions") && partitionDepth > 0) {
            for (Path leaf : leaves(fs, stagedData(), partitionDepth)) {
                String rel = relative(stagedData(), leaf);
                p.add(
                        new Publication.Move(
                                "data partition " + rel,
                                leaf,
                                new Path(output, rel),
                                new Path(replaced, rel)));
            }
        } else {
            if (mode.equals("overwrite") && fs.exists(output)) {
                // Every published data entry goes; one the run writes again is replaced below.
                for (FileStatus st : fs.listStatus(output)) {
                    String name = st.getPath().getName();
                    if (!hidden(name) && !staged.containsKey(name)) {
                        p.add(
                                new Publication.Move(
                                        "old data " + name,
                                        null,
                                        st.getPath(),
                                        new Path(replaced, name)));
                    }
                }
            }
            for (Map.Entry<String, Path> e : staged.entrySet()) {
                p.add(
                        new Publication.Move(
                                "data " + e.getKey(),
                                e.getValue(),
                                new Path(output, e.getKey()),
                                new Path(replaced, e.getKey())));
            }
        }
        if (success != null) {
            p.add(
                    new Publication.Move(
                            "data _SUCCESS",
                            success,
                            new Path(output, "_SUCCESS"),
                            new Path(replaced, "_SUCCESS")));
        }
        for (Staged e : extra) {
            p.add(
                    new Publication.Move(
                            e.what(),
                            e.from(),
                            e.to(),
                            new Path(new Path(replaced, "_" + e.what()), e.to().getName())));
        }
        return p;
    }

    /** Spark's and Hadoop's hidden-file rule: readers skip names starting with _ or . */
    static boolean hidden(String name) {
        return name.startsWith("_") || name.startsWith(".");
    }

    private static List<Path> leaves(FileSystem fs, Path dir, int depth) throws IOException {
        List<Path> level = new ArrayList<>(List.of(dir));
        for (int d = 0; d < depth; d++) {
            List<Path> next = new ArrayList<>();
            for (Path p : level) {
                for (FileStatus st : fs.listStatus(p)) {
                    if (st.isDirectory() && !hidden(st.getPath().getName())) {
                        next.add(st.getPath());
                    }
                }
            }
            level = next;
        }
        return level;
    }

    private static String relative(Path root, Path p) {
        String r = root.toUri().getPath();
        String s = p.toUri().getPath();
        return s.substring(r.length() + (r.endsWith("/") ? 0 : 1));
    }

    /**
     * Repairs what earlier runs of this output left when their process died: undoes every half-done
     * publication from its journal (the previous output comes back), then deletes their staging
     * directories. Call once per job, before any of its runs stage anything.
     *
     * @param conf the Hadoop configuration
     * @param output the output directory
     * @return the staging directories found (for the log)
     * @throws IOException if a publication cannot be undone
     */
    public static List<String> recover(Configuration conf, Path output) throws IOException {
        Path root = new Path(output, STAGING);
        FileSystem fs = root.getFileSystem(conf);
        List<String> found = new ArrayList<>();
        if (!fs.exists(root)) {
            return found;
        }
        for (FileStatus st : fs.listStatus(root)) {
            boolean undone = Publication.recover(conf, new Path(st.getPath(), "_publish.json"));
            found.add(st.getPath().getName() + (undone ? " (half-done publication undone)" : ""));
            fs.delete(st.getPath(), true);
        }
        fs.delete(root, true);
        return found;
    }

    /**
     * Deletes this run's staging directory (best effort: a leftover is repaired by the next run's
     * {@link #recover}), and the staging folder when that leaves it empty.
     *
     * @param conf the Hadoop configuration
     */
    public void discard(Configuration conf) {
        try {
            FileSystem fs = output.getFileSystem(conf);
            fs.delete(staging(), true);
            Path root = staging().getParent();
            if (fs.exists(root) && fs.listStatus(root).length == 0) {
                fs.delete(root, false);
            }
        } catch (IOException e) {
            LOG.warn("could not delete the staging directory " + staging() + ": " + e.getMessage());
        }
    }
}
