package dev.tabscore.job.spark;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.ScoredBatch;
import dev.tabscore.bundle.ScoringException;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.quality.GuardedScorer;
import dev.tabscore.bundle.quality.InvalidCells;
import dev.tabscore.bundle.quality.QualityModel;
import dev.tabscore.bundle.quality.QualityStats;
import dev.tabscore.bundle.quality.Reject;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The function of {@code mapPartitions} over Spark's internal rows: pulls rows in batches, fills a
 * column batch, transforms and scores it with this JVM's bundle, and emits output rows (kept input
 * values, then predictions). Working on {@code InternalRow} skips the external {@code Row}
 * conversions that dominated the task profile. The scorer (one DJL predictor) is closed by a
 * task-completion listener, which runs on success, failure and cancellation.
 *
 * <p>Fault injection, for tests only: when the plan's {@link ScoringPlan#failAfterRows()} is 0 or
 * more (job flag {@code --conf tabscore.fail_after_rows=N}), the task of partition {@link
 * ScoringPlan#failPartition()} ({@code --conf tabscore.fail_partition=P}, default 0) throws a
 * {@link ScoringException} ({@link Reason#INPUT_VALUE}) instead of reading its row N + 1, as a
 * value the preprocessor refuses would. It proves that a task failing half-way through a write
 * leaves nothing committed. Never set it in production.
 *
 * <p>Fault injection, for tests only: Spark setting {@value #TASK_DELAY_MS} = N (spark-submit
 * {@code --conf}, or the job's {@code --conf}; a {@code spark.} key so that it reaches the
 * executors with no change to the plan) makes every task sleep N ms before it opens its bundle and
 * reads its first row. It slows a job down so that a test can kill an executor or the driver
 * mid-job, or alter the bundle on disk after the driver verified it and before the executors open
 * it ({@code ClusterFaultIT}). Unset or 0 (the default): no sleep. Never set it in production.
 */
public final class PartitionScorer implements FlatMapFunction<Iterator<InternalRow>, InternalRow> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ScoringPlan> broadcast;
    private final StructType inputSchema;
    private final JobMetrics metrics;
    private transient ScoringPlan plan;

    /**
     * Creates the function.
     *
     * @param broadcast the broadcast plan (small; read once per task)
     * @param inputSchema the input rows' schema (to copy kept values in their internal form)
     * @param metrics the run's accumulators
     */
    public PartitionScorer(
            Broadcast<ScoringPlan> broadcast, StructType inputSchema, JobMetrics metrics) {
        this.broadcast = broadcast;
        this.inputSchema = inputSchema;
        this.metrics = metrics;
    }

    /** {@inheritDoc} */
    @Override
    public Iterator<InternalRow> call(Iterator<InternalRow> input) {
        return start(new TaskRows.Copied(input));
    }

    /**
     * Returns the same function over the column batches of a vectorized scan (Parquet, ORC): each
     * batch is scored as it comes, its cells read in place, with no per-row copy.
     *
     * @return the function for {@code mapPartitions} over {@code RDD<ColumnarBatch>}
     */
    public FlatMapFunction<Iterator<ColumnarBatch>, InternalRow> columnar() {
        return batches -> start(new TaskRows.Views(batches));
    }

    private Iterator<InternalRow> start(TaskRows source) {
        plan = broadcast.value();
        TaskFaults.delayTask();
        ExecutorBundles.Lease lease = ExecutorBundles.acquire(plan, metrics.bundleOpens()::add);
        Bundle bundle = lease.bundle();
        QualityModel quality = new QualityModel(bundle, plan.policies());
        GuardedScorer scorer = new GuardedScorer(bundle.newScorer(), quality);
        QualityStats stats = quality.newStats();
        TaskContext ctx = TaskContext.get();
        int partition = ctx == null ? -1 : ctx.partitionId();
        RejectsWriter rejects =
                new RejectsWriter(
                        rejectsFile(ctx),
                        inputSchema,
                        plan.rejectFieldIndexes().stream().mapToInt(i -> i).toArray(),
                        plan.identity().toArray(new String[0]),
                        ExecutorBundles.hadoopConf());
        metrics.partitions().add(1);
        if (ctx != null) {
            ctx.addTaskCompletionListener(
                    new TaskEnd(scorer, lease, rejects, stats, metrics, partition));
        }
        long failAt =
                plan.failAfterRows() >= 0 && partition == plan.failPartition()
                        ? plan.failAfterRows()
                        : -1;
        return new BatchIterator(source, scorer, stats, rejects, partition, failAt);
    }

    private org.apache.hadoop.fs.Path rejectsFile(TaskContext ctx) {
        String name =
                ctx == null
                        ? "part-local-" + java.util.UUID.randomUUID()
                        : String.format(
                                "part-%05d-a%d-t%d.snappy.parquet",
                                ctx.partitionId(), ctx.attemptNumber(), ctx.taskAttemptId());
        return new org.apache.hadoop.fs.Path(plan.rejectsStaging(), name);
    }

    /** Test-only fault injection: the task's sleep before it opens the bundle (ms). */
    public static final String TASK_DELAY_MS = "spark.tabscore.test.task_delay_ms";

    /** Scores one batch at a time as the writer pulls rows. */
    private final class BatchIterator implements Iterator<InternalRow> {
        private final TaskRows source;
        private final GuardedScorer scorer;
        private final QualityStats stats;
        private final RejectsWriter rejects;
        private final RowBatcher batcher = new RowBatcher(plan.contract());
        private final InvalidCells invalid = new InvalidCells(plan.contract().columns().size());
        private final OutputRow output;
        private final int partition;
        private final long failAt;
        private InternalRow[] in;
        private ScoredBatch scored;
        private int[] rows = new int[0];
        private int outSize;
        private int next;
        private long read;

        BatchIterator(
                TaskRows source,
                GuardedScorer scorer,
                QualityStats stats,
                RejectsWriter rejects,
                int partition,
                long failAt) {
            this.output =
                    new OutputRow(
                            inputSchema,
                            plan.keepFieldIndexes().stream().mapToInt(i -> i).toArray(),
                            scorer.layout());
            this.source = source;
            this.scorer = scorer;
            this.stats = stats;
            this.rejects = rejects;
            this.partition = partition;
            this.failAt = failAt;
        }

        @Override
        public boolean hasNext() {
            if (next < outSize) {
                return true;
            }
            fill();
            return next < outSize;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            // One mutable row, refilled per call: the writer's projection copies it first.
            int i = next++;
            return output.fill(in[rows[i]], scored, i);
        }

        private void fill() {
            next = 0;
            outSize = 0;
            if (failAt >= 0 && read >= failAt) {
                throw TaskFaults.injected(failAt, partition, 0);
            }
            int n = source.next(plan.batchSize());
            in = source.rows;
            if (failAt >= 0 && read + n > failAt) {
                throw TaskFaults.injected(failAt, partition, (int) (failAt - read));
            }
            read += n;
            if (n == 0) {
                // The partition's rows ran out: finish its rejects file now, not when the task
                // ends, so that its bytes are on storage before the write commits.
                TaskEnd.finishRejects(rejects, partition);
                return;
            }
            metrics.rowsIn().add(n);
            ColumnBatch batch = batcher.batch(in, source.vectors, n, invalid);
            GuardedScorer.Result res;
            try {
                res = scorer.score(batch, invalid, stats);
            } catch (ScoringException e) {
                throw located(e, n);
            }
            for (Reject r : res.rejects()) {
                rejects.write(in[r.row()].copy(), r);
            }
            scored = res.scored();
            rows = res.rows();
            outSize = rows.length;
            metrics.rowsScored().add(outSize);
            metrics.rowsRejected().add(res.rejects().size());
        }

        /** Names the partition, the row and its ids in a refusal from the scorer. */
        private ScoringException located(ScoringException e, int n) {
            int r = e.row();
            StringBuilder where = new StringBuilder("partition ").append(partition);
            if (r >= 0 && r < n) {
                where.append(", row ").append(read - n + r + 1);
                List<Integer> ids = plan.idFieldIndexes();
                for (int f : ids) {
                    where.append(", ")
                            .append(inputSchema.fields()[f].name())
                            .append('=')
                            .append(
                                    in[r].isNullAt(f)
                                            ? "null"
                                            : in[r].get(f, inputSchema.fields()[f].dataType()));
                }
            }
            return new ScoringException(e.reason(), e.column(), r, where + ": " + e.getMessage());
        }
    }

    /**
     * The run's accumulators.
     *
     * @param rowsIn rows read by tasks
     * @param rowsScored rows scored and emitted
     * @param partitions partitions (tasks) that ran the scorer; only successful tasks count
     * @param bundleOpens one entry per bundle open by a task, naming the JVM ({@link
     *     ExecutorBundles#jvmId()}); the driver's verification open is never in it
     * @param rowsRejected rows sent to the rejects
     * @param quality the quality statistics of the run
     * @param rejectFiles the rejects file of each successful task that had rejects:
     *     "partition\tpath\trows"
     */
    public record JobMetrics(
            LongAccumulator rowsIn,
            LongAccumulator rowsScored,
            LongAccumulator partitions,
            CollectionAccumulator<String> bundleOpens,
            LongAccumulator rowsRejected,
            QualityAccumulator quality,
            CollectionAccumulator<String> rejectFiles)
            implements java.io.Serializable {}
}
