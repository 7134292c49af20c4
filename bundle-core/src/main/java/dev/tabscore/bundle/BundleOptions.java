package dev.tabscore.bundle;

import dev.tabscore.bundle.signing.TrustConfig;
import org.apache.hadoop.conf.Configuration;

/**
 * How to open a {@link Bundle}. Start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * BundleOptions opts = BundleOptions.defaults().withExpectDigest("sha256:3f...").withDevice("cpu");
 * }</pre>
 *
 * @param hadoopConf the Hadoop configuration used to reach the bundle (credentials, endpoints)
 * @param expectDigest refuse the bundle unless its manifest digest is this; null accepts any
 * @param device {@code auto} (GPU when the engine sees one), {@code cpu} or {@code gpu:N}
 * @param model {@code auto} (the bundle's state_dict, else ONNX, else TorchScript: the least code
 *     that runs), {@code state_dict}, {@code onnx} or {@code torchscript}
 * @param threads intra-op threads of the model engine (applied once per JVM), 0 = engine default
 * @param replayGolden whether to replay the golden batch (always true outside tests of the verifier
 *     itself)
 * @param trust whose model_signing signature to require ({@link TrustConfig#none()}: signatures are
 *     not checked)
 */
public record BundleOptions(
        Configuration hadoopConf,
        String expectDigest,
        String device,
        String model,
        int threads,
        boolean replayGolden,
        TrustConfig trust) {

    /** A null trust is no trust configuration. */
    public BundleOptions {
        trust = trust == null ? TrustConfig.none() : trust;
    }

    /**
     * Returns the defaults: a fresh Hadoop configuration, any digest, device auto, model auto,
     * engine-default threads, golden replay on.
     *
     * @return the defaults
     */
    public static BundleOptions defaults() {
        return new BundleOptions(null, null, "auto", "auto", 0, true, TrustConfig.none());
    }

    /**
     * Returns the Hadoop configuration, creating a default one if none was given.
     *
     * @return the configuration
     */
    public Configuration hadoop() {
        return hadoopConf == null
                ? dev.tabscore.bundle.io.HadoopDefaults.newConfiguration()
                : hadoopConf;
    }

    /**
     * Sets the Hadoop configuration.
     *
     * @param conf the configuration
     * @return a copy with it set
     */
    public BundleOptions withHadoopConf(Configuration conf) {
        return new BundleOptions(conf, expectDigest, device, model, threads, replayGolden, trust);
    }

    /**
     * Sets the expected digest.
     *
     * @param digest {@code sha256:<hex>} or null
     * @return a copy with it set
     */
    public BundleOptions withExpectDigest(String digest) {
        return new BundleOptions(hadoopConf, digest, device, model, threads, replayGolden, trust);
    }

    /**
     * Sets the device.
     *
     * @param d auto, cpu or gpu:N
     * @return a copy with it set
     */
    public BundleOptions withDevice(String d) {
        return new BundleOptions(hadoopConf, expectDigest, d, model, threads, replayGolden, trust);
    }

    /**
     * Sets the model choice.
     *
     * @param m auto, state_dict, onnx or torchscript
     * @return a copy with it set
     */
    public BundleOptions withModel(String m) {
        return new BundleOptions(hadoopConf, expectDigest, device, m, threads, replayGolden, trust);
    }

    /**
     * Sets the engine's intra-op threads.
     *
     * @param n threads, 0 for the engine default
     * @return a copy with it set
     */
    public BundleOptions withThreads(int n) {
        return new BundleOptions(hadoopConf, expectDigest, device, model, n, replayGolden, trust);
    }

    /**
     * Sets whose signature the bundle must carry.
     *
     * @param t the trust configuration
     * @return a copy with it set
     */
    public BundleOptions withTrust(TrustConfig t) {
        return new BundleOptions(hadoopConf, expectDigest, device, model, threads, replayGolden, t);
    }
}
