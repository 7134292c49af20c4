package dev.tabscore.job;

import dev.tabscore.job.spark.GatedCommitProtocol;
import dev.tabscore.job.spark.SparkInternals;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts (or joins) the Spark session a run needs, with the job's commit protocol installed. */
final class SessionSetup {

    private static final Logger LOG = LoggerFactory.getLogger(SessionSetup.class);

    private SessionSetup() {}

    /**
     * The session: master and app name from the config unless spark-submit set them, the job's
     * Parquet and batch defaults, every non-{@code tabscore.} key of {@code spark.conf}.
     *
     * @param config the run's config
     * @return the session
     * @throws dev.tabscore.bundle.BundleException (exit 63) on a Spark the job was not tested with,
     *     unless {@value SparkInternals#ALLOW_UNTESTED} is true
     */
    static SparkSession start(JobConfig config) {
        SparkConf conf = new SparkConf();
        if (!conf.contains("spark.master")) {
            conf.setMaster(config.spark().master() == null ? "local[*]" : config.spark().master());
        }
        if (!conf.contains("spark.app.name")) {
            conf.setAppName(config.spark().appName());
        }
        // scored_at as a standard Parquet TIMESTAMP(MICROS) rather than the legacy INT96.
        conf.setIfMissing("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        // A vectorized scan's batch is a scoring batch: --batch-size means the same for it.
        String batch = Integer.toString(config.scoring().batchSize());
        conf.setIfMissing("spark.sql.parquet.columnarReaderBatchSize", batch);
        conf.setIfMissing("spark.sql.orc.columnarReaderBatchSize", batch);
        // A partitioned write keeps one open file per partition value a task meets (up to 4)
        // instead of sorting every scored row on the partition column first: a nightly run or a
        // backfill snapshot has one value, and the sort was 7% of a task's time
        // (docs/benchmarks.md, session 8). More values than that, and Spark sorts the rest.
        conf.setIfMissing("spark.sql.optimizer.plannedWrite.enabled", "false");
        conf.setIfMissing("spark.sql.maxConcurrentOutputFileWriters", "4");
        for (Map.Entry<String, String> e : config.spark().conf().entrySet()) {
            if (!e.getKey().startsWith("tabscore.")) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        checkSparkVersion(SparkInternals.runningVersion(), conf);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        // Gates and row reconciliation run after the tasks and before Spark commits.
        GatedCommitProtocol.install(spark.conf());
        // gs:// through Google's gcs-connector, with the Hadoop 3.5 defaults it cannot parse
        // replaced; keys the user set (spark.hadoop.*, core-site.xml) are kept.
        dev.tabscore.bundle.io.HadoopDefaults.apply(spark.sparkContext().hadoopConfiguration());
        return spark;
    }

    /**
     * Refuses a Spark the job was not tested with before the session starts (its internals, {@link
     * SparkInternals}, may have changed), unless the setting allows it.
     *
     * @param version the Spark version on the classpath
     * @param conf the session's settings (spark-submit's and the config's)
     */
    static void checkSparkVersion(String version, SparkConf conf) {
        boolean allow = conf.getBoolean(SparkInternals.ALLOW_UNTESTED, false);
        SparkInternals.requireTested(version, allow);
        if (allow && SparkInternals.untested(version) != null) {
            LOG.warn(
                    "running on Spark {}, which tabscore was not tested with (tested: {}), "
                            + "because {}=true",
                    version,
                    SparkInternals.TESTED,
                    SparkInternals.ALLOW_UNTESTED);
        }
    }
}
