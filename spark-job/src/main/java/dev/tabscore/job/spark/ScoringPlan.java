package dev.tabscore.job.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What the driver broadcasts to executors: a few KB, never the artifacts. Executors open the bundle
 * themselves from {@link #bundleUri()} and refuse it unless its digest is {@link #digest()}, which
 * covers every artifact's sha256.
 *
 * @param bundleUri the bundle directory URI
 * @param digest the verified manifest digest
 * @param contract how to read each input column
 * @param keepFieldIndexes input field indexes copied to the output (ids, then passthrough)
 * @param batchSize rows per batch
 * @param device auto, cpu or gpu:N
 * @param model auto, state_dict, onnx or torchscript
 * @param threadsPerTask model intra-op threads per task
 * @param runId the run id
 * @param scoredAtMicros the run's timestamp (microseconds since the epoch) stamped on rows
 * @param failAfterRows fault injection for tests ({@code tabscore.fail_after_rows}): the task of
 *     partition {@code failPartition} throws a {@link dev.tabscore.bundle.ScoringException} when it
 *     is about to read row {@code failAfterRows + 1}; negative (the default) turns it off
 * @param failPartition the partition index {@code failAfterRows} applies to ({@code
 *     tabscore.fail_partition}, default 0)
 * @param idFieldIndexes input field indexes of the id columns (named in error messages)
 * @param policies the resolved row policy of every contract column
 * @param rejectFieldIndexes input field indexes copied into the rejects (ids, contract columns,
 *     passthrough columns, in input order)
 * @param rejectsStaging the run's rejects staging directory
 * @param identity bundle name, version, digest, run id and signer (null when no signature was
 *     verified), stamped on each reject
 */
public record ScoringPlan(
        String bundleUri,
        String digest,
        InputContract contract,
        List<Integer> keepFieldIndexes,
        int batchSize,
        String device,
        String model,
        int threadsPerTask,
        String runId,
        long scoredAtMicros,
        long failAfterRows,
        int failPartition,
        List<Integer> idFieldIndexes,
        java.util.Map<String, dev.tabscore.bundle.quality.ColumnPolicy> policies,
        List<Integer> rejectFieldIndexes,
        String rejectsStaging,
        List<String> identity)
        implements Serializable {}
