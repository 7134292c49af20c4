package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.verify.GoldenReplay;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle verify DIR}: opens the bundle exactly as the job does (schema, digest,
 * hashes, preprocessor, model, golden replay on every model artifact) and exits 0 or with the
 * refusal's code.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Verify a bundle as one unit; exit 0 or the refusal's code (10-29, 70-73).")
final class VerifyCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory or URI.")
    String dir;

    @Option(
            names = "--expect-digest",
            paramLabel = "sha256:HEX",
            description = "Refuse the bundle unless its digest is this.")
    String expectDigest;

    @Option(
            names = "--device",
            defaultValue = "cpu",
            paramLabel = "DEVICE",
            converter = DeviceConverter.class,
            description = "auto, cpu or gpu:N.")
    dev.tabscore.bundle.model.Device device;

    @CommandLine.Mixin TrustOptions trustOptions = new TrustOptions();

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        var trust =
                trustOptions.load(
                        spec.commandLine(),
                        dev.tabscore.bundle.io.HadoopDefaults.newConfiguration());
        try (Bundle b =
                Bundle.open(
                        dir,
                        BundleOptions.defaults()
                                .withExpectDigest(expectDigest)
                                .withDevice(device.toString())
                                .withTrust(trust))) {
            spec.commandLine()
                    .getOut()
                    .printf(
                            "OK %s %s %s%n  digest %s%n  verified in %.3f s:"
                                    + " artifacts hashed, %d features, golden batch of %d rows replayed on %s%n",
                            b.manifest().name(),
                            b.manifest().version(),
                            dir,
                            b.digest(),
                            b.openNanos() / 1e9,
                            b.preprocessor().width(),
                            b.manifest().golden().rows(),
                            modelList(b));
            if (!b.goldenRowsNotCompared().isEmpty()) {
                long ufunc =
                        b.goldenRowsNotCompared().values().stream()
                                .filter(v -> v.startsWith(GoldenReplay.UFUNC_UNSETTLED))
                                .count();
                long knn = b.goldenRowsNotCompared().size() - ufunc;
                spec.commandLine()
                        .getOut()
                        .printf(
                                "  %d golden row(s) not compared: %s (their"
                                        + " KNNImputer imputation or sin/cos/tan result is not one number in"
                                        + " scikit-learn either; scoring rejects such rows)%n",
                                b.goldenRowsNotCompared().size(),
                                knn > 0 && ufunc > 0
                                        ? "knn_unsettled " + knn + ", ufunc_unsettled " + ufunc
                                        : knn > 0 ? "knn_unsettled" : "ufunc_unsettled");
                b.goldenRowsNotCompared().entrySet().stream()
                        .limit(10)
                        .forEach(
                                e ->
                                        spec.commandLine()
                                                .getOut()
                                                .printf(
                                                        "    golden row %d: %s%n",
                                                        e.getKey(), e.getValue()));
            }
            spec.commandLine().getOut().printf("  %s%n", TrustOptions.describe(b.signer(), trust));
        }
        return 0;
    }

    private static String modelList(Bundle b) {
        List<String> kinds = new ArrayList<>();
        for (String artifact : Bundle.modelArtifacts(b.manifest())) {
            kinds.add(artifact + " (" + Bundle.kindOf(b.manifest(), artifact) + ")");
        }
        return String.join(", ", kinds)
                + "; scores with "
                + b.modelArtifact()
                + " ("
                + b.modelKind()
                + ")";
    }
}
