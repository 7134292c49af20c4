package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.manifest.ManifestFile;
import dev.tabscore.bundle.manifest.ManifestReader;
import dev.tabscore.bundle.signing.SignatureCheck;
import dev.tabscore.bundle.signing.Signer;
import dev.tabscore.bundle.sklearn.SklearnRegistry;
import dev.tabscore.bundle.skops.SkopsFile;
import dev.tabscore.bundle.skops.SkopsLimits;
import dev.tabscore.bundle.skops.SkopsReader;
import dev.tabscore.bundle.verify.ArtifactCheck;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle inspect DIR}: what a bundle holds: identity, contract, features, the
 * sklearn graph as a tree, versions and artifacts with their hash status. It does not run the
 * model; use {@code verify} for the full check.
 */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = "Show a bundle's contract, features, graph, versions and artifacts.")
final class InspectCommand implements Callable<Integer> {

    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Bundle directory or URI.")
    String dir;

    @picocli.CommandLine.Mixin TrustOptions trustOptions = new TrustOptions();

    /** {@inheritDoc} */
    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        var conf = dev.tabscore.bundle.io.HadoopDefaults.newConfiguration();
        var trust = trustOptions.load(spec.commandLine(), conf);
        BundleFiles files = BundleFiles.open(dir, conf);
        byte[] manifestBytes = files.read(Bundle.MANIFEST, 16L << 20);
        // A refused signature stops here, before the manifest is parsed, as Bundle.open does.
        Signer signer = SignatureCheck.verify(files, Bundle.MANIFEST, manifestBytes, trust);
        ManifestFile mf = ManifestReader.read(manifestBytes, files.describe(Bundle.MANIFEST));
        Manifest m = mf.manifest();
        out.printf("bundle   %s %s (%s)%n", m.name(), m.version(), dir);
        out.printf("digest   %s%n", mf.digest());
        out.printf(
                "signature %s%n",
                signer != null || trust.active()
                        ? TrustOptions.describe(signer, trust)
                        : files.exists(SignatureCheck.SIGNATURE)
                                ? SignatureCheck.SIGNATURE
                                        + " present, not verified (give --trust-key or"
                                        + " --trust-root)"
                                : "none");
        out.printf("created  %s%n", m.createdAt());
        out.printf(
                "task     %s%s%n",
                m.task().name().toLowerCase(),
                m.classes() == null ? "" : ", classes " + m.classLabels());
        out.printf(
                "training snapshot %s, run %s, %s rows%n",
                m.training().snapshotId(), m.training().runId(), m.training().rows());
        out.println();
        out.println("input contract (" + m.input().columns().size() + " columns):");
        for (Manifest.InputColumn c : m.input().columns()) {
            out.printf(
                    "  %-24s %-12s %-8s %s%n",
                    c.name(), c.kind(), c.dtype(), c.nullable() ? "nullable" : "not null");
        }
        out.println();
        out.println("features (" + m.features().width() + "): " + m.features().names());
        out.printf(
                "model    %s -> %s, head %s, state_dict %s, onnx %s, torchscript %s%n",
                m.model().inputWidth(),
                m.model().outputDim(),
                m.model().outputHead(),
                m.model().stateDict(),
                m.model().onnx(),
                m.model().torchscript());
        printNetwork(out, mf.json().get("model"), m.features().names());
        String auto = Bundle.autoArtifact(m);
        if (auto != null) {
            out.printf("         --model auto scores with %s (%s)%n", auto, Bundle.kindOf(m, auto));
        }
        out.println();
        out.println("versions " + m.versions());
        out.println();
        out.println("artifacts:");
        int bad = 0;
        for (Map.Entry<String, Manifest.Artifact> e : m.artifacts().entrySet()) {
            String status;
            try {
                byte[] b = files.read(e.getKey(), e.getValue().bytes() + 1);
                status =
                        b.length == e.getValue().bytes()
                                        && ArtifactCheck.sha256(b).equals(e.getValue().sha256())
                                ? "ok"
                                : "MISMATCH";
            } catch (BundleFormatException ex) {
                status = "UNREADABLE: " + ex.getMessage();
            }
            bad += status.equals("ok") ? 0 : 1;
            out.printf(
                    "  %-24s %10d  %s  %s%n",
                    e.getKey(), e.getValue().bytes(), e.getValue().sha256(), status);
        }
        out.println();
        out.println("preprocessor graph (" + m.preprocessor().path() + "):");
        try {
            SkopsFile skops =
                    SkopsReader.read(
                            files.read(m.preprocessor().path(), 1L << 30),
                            files.describe(m.preprocessor().path()),
                            SklearnRegistry.standard(),
                            SkopsLimits.defaults());
            var names = m.input().columns().stream().map(Manifest.InputColumn::name).toList();
            for (String line : GraphTree.render(skops.root(), names)) {
                out.println("  " + line);
            }
        } catch (BundleFormatException e) {
            out.println("  cannot be read: " + e.getMessage());
            bad++;
        }
        return bad == 0 ? 0 : dev.tabscore.bundle.Reason.ARTIFACT_MISMATCH.exitCode();
    }

    /** The state_dict path's network: its embeddings (table per feature) and its layer types. */
    private static void printNetwork(
            PrintWriter out,
            com.fasterxml.jackson.databind.JsonNode model,
            java.util.List<String> names) {
        dev.tabscore.bundle.model.ModelSpec spec;
        try {
            spec = dev.tabscore.bundle.model.ModelSpec.fromJson(model).withFeatureNames(names);
        } catch (BundleFormatException e) {
            out.println("         network spec cannot be read: " + e.getMessage());
            return;
        }
        if (spec.embeddings() != null) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            for (var t : spec.embeddings().tables()) {
                parts.add(
                        spec.embeddings().featureName(t.feature())
                                + " -> "
                                + t.numEmbeddings()
                                + " x "
                                + t.dim());
            }
            java.util.List<String> numeric =
                    spec.embeddings().numericFeatures().stream()
                            .map(spec.embeddings()::featureName)
                            .toList();
            out.printf(
                    "         embeddings %s, then numeric %s (%d inputs to the layers)%n",
                    String.join(", ", parts), numeric, spec.embeddings().width());
        }
        if (spec.layers() != null) {
            out.printf(
                    "         layers %s%n",
                    spec.layers().stream().map(dev.tabscore.bundle.model.LayerSpec::type).toList());
        }
    }
}
