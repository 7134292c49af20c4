package dev.tabscore.job;

import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.job.publish.RunOutput;
import dev.tabscore.job.spark.RejectsOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the driver checks about the output before any work: leftovers repaired, mode honoured. */
final class OutputGuard {

    private static final Logger LOG = LoggerFactory.getLogger(OutputGuard.class);

    private OutputGuard() {}

    /**
     * Undoes what runs of this output left when their process died (a half-done publication,
     * staging directories), once per job, before anything is staged.
     *
     * @param hadoop the Hadoop configuration
     * @param config the job's config
     */
    static void recover(Configuration hadoop, JobConfig config) {
        try {
            List<String> found =
                    new ArrayList<>(
                            RunOutput.recover(hadoop, BundleFiles.toPath(config.output().uri())));
            found.addAll(RejectsOutput.removeStaging(hadoop, config.output().rejectsUri()));
            if (!found.isEmpty()) {
                LOG.warn(
                        "repaired what earlier runs that did not finish "
                                + "left in "
                                + BundleFiles.redact(config.output().uri())
                                + ": "
                                + found);
            }
        } catch (IOException e) {
            throw new BundleException(
                    Reason.IO_ERROR,
                    "cannot repair "
                            + BundleFiles.redact(config.output().uri())
                            + " (an earlier run died while "
                            + "publishing): "
                            + BundleFiles.redact(e.getMessage()),
                    e);
        }
    }

    /**
     * With error_if_exists, an existing output is a config error found before any work. An output
     * directory that holds no published data (only what failed runs leave: their records under
     * {@code _tabscore_runs}, hidden files) is not an output: the run goes ahead and adds its data
     * beside those records, so the rerun of a failed run needs no other flag.
     *
     * @param hadoop the Hadoop configuration
     * @param config the job's config
     */
    static void refuseExisting(Configuration hadoop, JobConfig config) {
        if (!config.output().mode().equals("error_if_exists")) {
            return;
        }
        Path out = BundleFiles.toPath(config.output().uri());
        try {
            FileSystem fs = out.getFileSystem(hadoop);
            if (!fs.exists(out) || !publishedData(fs, out)) {
                return;
            }
            throw new ConfigException(
                    "output "
                            + BundleFiles.redact(config.output().uri())
                            + " already exists and output.mode is error_if_exists: choose another"
                            + " --output, or --mode overwrite / overwrite_partitions");
        } catch (IOException e) {
            throw new BundleException(
                    Reason.IO_ERROR,
                    "output "
                            + BundleFiles.redact(config.output().uri())
                            + " cannot be checked: "
                            + BundleFiles.redact(e.getMessage()),
                    e);
        }
    }

    /** Whether a directory holds published data: a file, a data entry, or _SUCCESS. */
    private static boolean publishedData(FileSystem fs, Path out) throws IOException {
        if (!fs.getFileStatus(out).isDirectory()) {
            return true;
        }
        for (FileStatus st : fs.listStatus(out)) {
            String name = st.getPath().getName();
            if (name.equals("_SUCCESS")
                    || name.equals("_tabscore_summary.json")
                    || !name.startsWith("_") && !name.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
