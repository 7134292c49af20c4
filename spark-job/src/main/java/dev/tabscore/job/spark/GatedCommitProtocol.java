package dev.tabscore.job.spark;

import java.io.Serializable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.JobContext;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.spark.internal.io.FileCommitProtocol;
import org.apache.spark.internal.io.FileNameSpec;
import scala.Option;
import scala.collection.immutable.Seq;

/**
 * Spark's commit protocol for file writes ({@code spark.sql.sources.commitProtocolClass}), wrapping
 * the one the session had ({@value #DELEGATE}; by default Spark's {@code
 * SQLHadoopMapReduceCommitProtocol}, or the S3A committers' protocol on a cloud classpath) so that
 * {@link PreCommit}'s check runs after every task finished and before the job commits: a failing
 * check aborts the job through the protocol's own abort, and nothing is published. Every other call
 * goes to the wrapped protocol unchanged; with no check armed it is that protocol.
 */
public final class GatedCommitProtocol extends FileCommitProtocol implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The session setting that names the wrapped protocol class. */
    public static final String DELEGATE = "spark.tabscore.commitProtocolClass.delegate";

    /** The Spark setting this class is installed under. */
    public static final String SPARK_KEY = "spark.sql.sources.commitProtocolClass";

    private static final String SPARK_DEFAULT = SparkInternals.DEFAULT_COMMIT_PROTOCOL;

    private final FileCommitProtocol delegate;

    /**
     * Called by Spark on the driver for each write.
     *
     * @param jobId the write job's id
     * @param path the output path
     * @param dynamicPartitionOverwrite whether only the written partitions are replaced
     */
    public GatedCommitProtocol(String jobId, String path, boolean dynamicPartitionOverwrite) {
        String cls = SparkInternals.sessionConf(DELEGATE, SPARK_DEFAULT);
        this.delegate = SparkInternals.commitProtocol(cls, jobId, path, dynamicPartitionOverwrite);
    }

    /**
     * Installs this protocol in a session's settings, remembering the one it wraps.
     *
     * @param conf the session's runtime config
     */
    public static void install(org.apache.spark.sql.RuntimeConfig conf) {
        String current = conf.get(SPARK_KEY, SPARK_DEFAULT);
        if (!current.equals(GatedCommitProtocol.class.getName())) {
            conf.set(DELEGATE, current);
            conf.set(SPARK_KEY, GatedCommitProtocol.class.getName());
        }
    }

    /** {@inheritDoc} */
    @Override
    public void setupJob(JobContext jobContext) {
        delegate.setupJob(jobContext);
    }

    /** Runs the armed pre-commit check, then commits. {@inheritDoc} */
    @Override
    public void commitJob(JobContext jobContext, Seq<TaskCommitMessage> taskCommits) {
        PreCommit.runArmed();
        delegate.commitJob(jobContext, taskCommits);
    }

    /** {@inheritDoc} */
    @Override
    public void abortJob(JobContext jobContext) {
        delegate.abortJob(jobContext);
    }

    /** {@inheritDoc} */
    @Override
    public void setupTask(TaskAttemptContext taskContext) {
        delegate.setupTask(taskContext);
    }

    /** {@inheritDoc} */
    @Override
    public String newTaskTempFile(TaskAttemptContext taskContext, Option<String> dir, String ext) {
        return delegate.newTaskTempFile(taskContext, dir, ext);
    }

    /** {@inheritDoc} */
    @Override
    public String newTaskTempFile(
            TaskAttemptContext taskContext, Option<String> dir, FileNameSpec spec) {
        return delegate.newTaskTempFile(taskContext, dir, spec);
    }

    /** {@inheritDoc} */
    @Override
    public String newTaskTempFileAbsPath(
            TaskAttemptContext taskContext, String absoluteDir, String ext) {
        return delegate.newTaskTempFileAbsPath(taskContext, absoluteDir, ext);
    }

    /** {@inheritDoc} */
    @Override
    public String newTaskTempFileAbsPath(
            TaskAttemptContext taskContext, String absoluteDir, FileNameSpec spec) {
        return delegate.newTaskTempFileAbsPath(taskContext, absoluteDir, spec);
    }

    /** {@inheritDoc} */
    @Override
    public TaskCommitMessage commitTask(TaskAttemptContext taskContext) {
        return delegate.commitTask(taskContext);
    }

    /** {@inheritDoc} */
    @Override
    public void abortTask(TaskAttemptContext taskContext) {
        delegate.abortTask(taskContext);
    }

    /** {@inheritDoc} */
    @Override
    public boolean deleteWithJob(FileSystem fs, Path path, boolean recursive) {
        return delegate.deleteWithJob(fs, path, recursive);
    }

    /** {@inheritDoc} */
    @Override
    public void onTaskCommit(TaskCommitMessage taskCommit) {
        delegate.onTaskCommit(taskCommit);
    }
}
