package dev.tabscore.job.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What the driver broadcasts to executors: a few KB, never the artifacts. Executors open the
 * bundle themselves from {@link #bundleUri()} and refuse it unless its digest is {@link
 * #digest()}, which covers every artifact's sha256.
 *
 * @param bundleUri the bundle directory URI
 * @param digest the verified manifest digest
 * @param manifestJson the manifest, for building output columns without opening the bundle
 * @param contract how to read each input column
 * @param keepFieldIndexes input field indexes copied to the output (ids, then passthrough)
 * @param batchSize rows per batch
 * @param device auto, cpu or gpu:N
 * @param model auto, torchscript or state_dict
 * @param threadsPerTask model intra-op threads per task
 * @param runId the run id
 * @param scoredAtMicros the run's timestamp (microseconds since the epoch) stamped on rows
 */
public record ScoringPlan(
        String bundleUri,
        String digest,
        String manifestJson,
        InputContract contract,
        List<Integer> keepFieldIndexes,
        int batchSize,
        String device,
        String model,
        int threadsPerTask,
        String runId,
        long scoredAtMicros) implements Serializable {}
