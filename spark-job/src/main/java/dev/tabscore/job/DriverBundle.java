package dev.tabscore.job;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.signing.TrustConfig;
import dev.tabscore.bundle.signing.TrustConfigException;
import dev.tabscore.job.spark.TaskDevice;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's open of the bundle: verified once, before any input is read.
 *
 * @param bundle the verified bundle
 * @param device how the open chose the bundle's device ({@code cpu} on a cluster)
 */
record DriverBundle(Bundle bundle, TaskDevice.Choice device) {

    /**
     * Opens and verifies the bundle. On a cluster the driver only verifies (on the CPU); in local
     * mode the tasks share this bundle, so it goes on the device they would resolve to (local tasks
     * hold no Spark GPUs), falling back to the CPU as they would.
     *
     * @param config the run's config
     * @param hadoop the session's Hadoop configuration
     * @param local whether the driver is also the executor (local mode)
     * @return the verified bundle and its device
     */
    static DriverBundle open(JobConfig config, Configuration hadoop, boolean local) {
        TaskDevice.Choice device =
                local
                        ? TaskDevice.forCurrentTask(
                                config.scoring().device(), config.scoring().threadsPerTask())
                        : TaskDevice.decide(Device.CPU, List.of(), 0);
        BundleOptions options =
                BundleOptions.defaults()
                        .withHadoopConf(hadoop)
                        .withExpectDigest(config.bundle().expectDigest())
                        .withDevice(device.device().toString())
                        .withModel(config.scoring().model())
                        .withTrust(trust(config, hadoop));
        if (local) {
            options = options.withThreads(config.scoring().threadsPerTask());
        }
        return new DriverBundle(Bundle.open(config.bundle().uri(), options), device);
    }

    /**
     * Loads {@code bundle.trust}. Only the driver checks the signature: executors reopen the bundle
     * pinned to the digest verified here, and that digest is of the signed manifest, which holds
     * every artifact's sha256.
     */
    private static TrustConfig trust(JobConfig config, Configuration hadoop) {
        JobConfig.TrustSection t = config.bundle().trust();
        if (t == null) {
            return TrustConfig.none();
        }
        try {
            return TrustConfig.load(
                    t.keys(), t.roots(), Boolean.TRUE.equals(t.requireSignature()), hadoop);
        } catch (TrustConfigException e) {
            throw new ConfigException("bundle.trust: " + e.getMessage());
        }
    }
}
