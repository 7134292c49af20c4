package dev.tabscore.bundle;

import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.io.BundleFiles;
import dev.tabscore.bundle.io.ParquetColumns;
import dev.tabscore.bundle.manifest.Manifest;
import dev.tabscore.bundle.manifest.ManifestFile;
import dev.tabscore.bundle.manifest.ManifestReader;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.djl.DjlEngine;
import dev.tabscore.bundle.model.djl.OnnxRunner;
import dev.tabscore.bundle.model.djl.StateDictRunner;
import dev.tabscore.bundle.model.djl.TorchScriptRunner;
import dev.tabscore.bundle.signing.SignatureCheck;
import dev.tabscore.bundle.signing.Signer;
import dev.tabscore.bundle.sklearn.Preprocessor;
import dev.tabscore.bundle.sklearn.TrainingNumpy;
import dev.tabscore.bundle.torch.StateDictReader;
import dev.tabscore.bundle.verify.ArtifactCheck;
import dev.tabscore.bundle.verify.GoldenReplay;
import dev.tabscore.bundle.verify.VerificationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A verified bundle: manifest, preprocessor and model, opened and checked as one unit and refused
 * as one unit. Immutable and thread-safe; it owns the model, so close it when done. Each thread
 * scores through its own {@link Scorer}.
 *
 * <pre>{@code
 * try (Bundle bundle = Bundle.open("s3a://models/churn/7", BundleOptions.defaults());
 *         Scorer scorer = bundle.newScorer()) {
 *     ScoredBatch out = scorer.score(batch, new TransformStats());
 *     double prob = out.value(0, 0);
 * }
 * }</pre>
 *
 * <p>{@link #open} refuses the bundle, with a {@link BundleException} whose {@link Reason} says
 * why, unless all of this holds: the manifest passes its schema (and has the expected digest, when
 * one is given); every artifact has the manifest's size and sha256; the preprocessor loads through
 * the allow-list and its input columns and feature names equal the manifest's, in order; every
 * model artifact loads and takes the feature width; the golden batch replays to the stored features
 * and outputs on every model artifact (only on the chosen one when the caller chose {@code
 * state_dict}, {@code onnx} or {@code torchscript} explicitly); and, when {@link
 * BundleOptions#trust()} is configured, before all of that, its model_signing signature verifies
 * with a trusted key or certificate over exactly the bundle's files ({@link SignatureCheck}).
 */
public final class Bundle implements AutoCloseable {

    /** The manifest's file name in a bundle directory. */
    public static final String MANIFEST = "manifest.json";

    private static final long MAX_MANIFEST_BYTES = 16L << 20;

    private final String uri;
    private final ManifestFile manifestFile;
    private final Preprocessor preprocessor;
    private final ModelRunner model;
    private final String modelArtifact;
    private final OutputLayout outputs;
    private final long openNanos;
    private final ColumnBatch goldenOutput;
    private final Signer signer;
    private final java.util.SortedMap<Integer, String> goldenNotCompared;

    private Bundle(
            String uri,
            ManifestFile manifestFile,
            Preprocessor preprocessor,
            ModelRunner model,
            String modelArtifact,
            long openNanos,
            ColumnBatch goldenOutput,
            Signer signer,
            java.util.SortedMap<Integer, String> goldenNotCompared) {
        this.uri = uri;
        this.manifestFile = manifestFile;
        this.preprocessor = preprocessor;
        this.model = model;
        this.modelArtifact = modelArtifact;
        this.outputs = OutputLayout.of(manifestFile.manifest());
        this.openNanos = openNanos;
        this.goldenOutput = goldenOutput;
        this.signer = signer;
        this.goldenNotCompared = goldenNotCompared;
    }

    /**
     * Opens and verifies a bundle.
     *
     * @param uri the bundle directory: a local path, {@code s3a://} or {@code gs://} URI
     * @param options how to open it
     * @return the verified bundle
     * @throws BundleException if anything about the bundle is wrong; nothing is left open
     */
    public static Bundle open(String uri, BundleOptions options) {
        long start = System.nanoTime();
        BundleFiles files = BundleFiles.open(uri, options.hadoop());
        byte[] manifestBytes = files.read(MANIFEST, MAX_MANIFEST_BYTES);
        // The signature, when trust is configured, is checked before anything is parsed.
        Signer signer = SignatureCheck.verify(files, MANIFEST, manifestBytes, options.trust());
        ManifestFile mf = ManifestReader.read(manifestBytes, files.describe(MANIFEST));
        if (options.expectDigest() != null && !options.expectDigest().equals(mf.digest())) {
            throw new BundleFormatException(
                    Reason.DIGEST_MISMATCH,
                    "bundle "
                            + files.uri()
                            + " has digest "
                            + mf.digest()
                            + ", but "
                            + options.expectDigest()
                            + " was expected (a different or altered bundle)");
        }
        Manifest m = mf.manifest();
        Map<String, byte[]> bytes = ArtifactCheck.readAll(files, m);

        String skops = m.preprocessor().path();
        Preprocessor pre =
                Preprocessor.load(
                        bytes.get(skops), files.describe(skops), noneColumns(m), trainingNumpy(m));
        checkContract(m, pre, files.describe(skops));

        ModelSpec spec =
                ModelSpec.fromJson(mf.json().get("model")).withFeatureNames(m.features().names());
        String chosen = chooseModel(m, options.model(), files.uri());
        Device device = Device.parse(options.device());
        if (options.threads() > 0) {
            DjlEngine.configureThreads(options.threads(), 1);
        }
        GoldenReplay golden = null;
        ColumnBatch goldenOutput = null;
        double[] goldenFeatures = null;
        if (options.replayGolden()) {
            goldenOutput =
                    ParquetColumns.read(
                            bytes.get(m.golden().output()), files.describe(m.golden().output()));
            golden =
                    new GoldenReplay(
                            m,
                            ParquetColumns.read(
                                    bytes.get(m.golden().input()),
                                    files.describe(m.golden().input())),
                            goldenOutput,
                            files.uri());
            goldenFeatures = golden.checkFeatures(pre);
        }
        ModelRunner kept = null;
        List<ModelRunner> opened = new ArrayList<>();
        boolean verified = false;
        try {
            for (String artifact : modelArtifacts(m, options.model(), chosen)) {
                ModelRunner runner =
                        loadModel(
                                m,
                                artifact,
                                bytes.get(artifact),
                                files.describe(artifact),
                                spec,
                                device);
                opened.add(runner);
                if (golden != null) {
                    golden.checkOutputs(goldenFeatures, runner, files.describe(artifact));
                }
                if (artifact.equals(chosen)) {
                    kept = runner;
                }
            }
            verified = true;
        } finally {
            for (ModelRunner r : opened) {
                if (r != kept || !verified) {
                    r.close();
                }
            }
        }
        return new Bundle(
                uri,
                mf,
                pre,
                kept,
                chosen,
                System.nanoTime() - start,
                goldenOutput,
                signer,
                golden == null ? java.util.Collections.emptySortedMap() : golden.notCompared());
    }

    /**
     * The numpy that ran the training side, {@code versions.numpy} (unknown when absent or not
     * parsed): float32 steps that numpy 1.x and 2 compute differently follow it.
     */
    static TrainingNumpy trainingNumpy(Manifest m) {
        return TrainingNumpy.parse(m.versions() == null ? null : m.versions().get("numpy"));
    }

    /** The string columns whose null the fitted graph saw as Python None (training_nulls). */
    private static java.util.Set<String> noneColumns(Manifest m) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Manifest.InputColumn c : m.input().columns()) {
            if (c.nullIsNone()) {
                out.add(c.name());
            }
        }
        return out;
    }

    private static void checkContract(Manifest m, Preprocessor pre, String where) {
        List<String> wantIn = m.input().columns().stream().map(Manifest.InputColumn::name).toList();
        String diff = firstDifference(wantIn, pre.inputColumns());
        if (diff != null) {
            throw new VerificationException(
                    Reason.CONTRACT_MISMATCH,
                    "bundle refused: the input"
                            + " columns of "
                            + where
                            + " differ from the manifest's /input/columns: "
                            + diff,
                    List.of());
        }
        diff = firstDifference(m.features().names(), pre.featureNamesOut());
        if (diff != null) {
            throw new VerificationException(
                    Reason.CONTRACT_MISMATCH,
                    "bundle refused: the "
                            + "feature names of "
                            + where
                            + " differ from the manifest's /features/names: "
                            + diff,
                    List.of());
        }
    }

    private static String firstDifference(List<String> want, List<String> got) {
        for (int i = 0; i < Math.max(want.size(), got.size()); i++) {
            String w = i < want.size() ? want.get(i) : "(none)";
            String g = i < got.size() ? got.get(i) : "(none)";
            if (!w.equals(g)) {
                return "position "
                        + i
                        + ": manifest '"
                        + w
                        + "', preprocessor '"
                        + g
                        + "' ("
                        + want.size()
                        + " vs "
                        + got.size()
                        + " names)";
            }
        }
        return null;
    }

    /**
     * The model artifacts to load and replay: with {@code auto}, every one the manifest lists (so
     * all paths are proven equal); with an explicit choice, only that one — {@code state_dict} then
     * hands no file of the bundle to libtorch's TorchScript loader or to ONNX Runtime.
     */
    private static List<String> modelArtifacts(Manifest m, String choice, String chosen) {
        if (choice != null && !choice.equals("auto")) {
            return List.of(chosen);
        }
        List<String> out = new ArrayList<>();
        for (String artifact : preferenceOrder(m)) {
            if (artifact != null) {
                out.add(artifact);
            }
        }
        return out;
    }

    /**
     * The model artifacts in the order {@code auto} prefers them: the one that runs the least code
     * first. state_dict: weights read by the weights-only unpickler, the network rebuilt from the
     * manifest's layers, nothing from the bundle executed; ONNX: a declarative graph of
     * allow-listed standard operators interpreted by ONNX Runtime; TorchScript: a serialized
     * program libtorch runs (docs/security.md).
     */
    private static List<String> preferenceOrder(Manifest m) {
        return java.util.Arrays.asList(
                m.model().stateDict(), m.model().onnx(), m.model().torchscript());
    }

    /**
     * Returns the artifact {@code --model auto} scores with: the state_dict, else the ONNX graph,
     * else the TorchScript file.
     *
     * @param m the manifest
     * @return the artifact path
     */
    public static String autoArtifact(Manifest m) {
        return preferenceOrder(m).stream().filter(a -> a != null).findFirst().orElse(null);
    }

    /**
     * Returns every model artifact of a manifest, in {@code auto}'s order of preference.
     *
     * @param m the manifest
     * @return the artifact paths present
     */
    public static List<String> modelArtifacts(Manifest m) {
        return modelArtifacts(m, "auto", null);
    }

    private static String chooseModel(Manifest m, String choice, String uri) {
        String c = choice == null ? "auto" : choice;
        String pick =
                switch (c) {
                    case "torchscript" -> m.model().torchscript();
                    case "state_dict" -> m.model().stateDict();
                    case "onnx" -> m.model().onnx();
                    case "auto" -> autoArtifact(m);
                    default ->
                            throw new BundleFormatException(
                                    Reason.MODEL_INVALID,
                                    "model choice '"
                                            + c
                                            + "' is not auto, state_dict, onnx or torchscript");
                };
        if (pick == null) {
            throw new BundleFormatException(
                    Reason.MODEL_INVALID,
                    "bundle " + uri + " has no " + c + " model artifact (manifest /model)");
        }
        return pick;
    }

    private static ModelRunner loadModel(
            Manifest m,
            String artifact,
            byte[] bytes,
            String where,
            ModelSpec spec,
            Device device) {
        if (artifact.equals(m.model().torchscript())) {
            return TorchScriptRunner.load(bytes, where, spec, device);
        }
        if (artifact.equals(m.model().onnx())) {
            return OnnxRunner.load(bytes, where, spec, device);
        }
        return StateDictRunner.load(StateDictReader.read(bytes, where), where, spec, device);
    }

    /**
     * Returns which kind of artifact scores: {@code state_dict}, {@code onnx} or {@code
     * torchscript}.
     *
     * @return the kind of {@link #modelArtifact()}
     */
    public String modelKind() {
        return kindOf(manifest(), modelArtifact);
    }

    /**
     * Returns the kind of a model artifact of a manifest.
     *
     * @param m the manifest
     * @param artifact one of its model artifacts
     * @return {@code state_dict}, {@code onnx} or {@code torchscript}
     */
    public static String kindOf(Manifest m, String artifact) {
        if (artifact.equals(m.model().stateDict())) {
            return "state_dict";
        }
        return artifact.equals(m.model().onnx()) ? "onnx" : "torchscript";
    }

    /**
     * Returns a scorer for the calling thread.
     *
     * @return a new scorer; close it when the thread is done
     */
    public Scorer newScorer() {
        return new Scorer(preprocessor, model.newPredictor(), outputs);
    }

    /**
     * Returns the bundle URI as given to {@link #open} (it may carry credentials: use {@link
     * dev.tabscore.bundle.io.BundleFiles#redact} before showing it).
     *
     * @return the URI
     */
    public String uri() {
        return uri;
    }

    /**
     * Returns the manifest.
     *
     * @return the manifest
     */
    public Manifest manifest() {
        return manifestFile.manifest();
    }

    /**
     * Returns the manifest with its JSON and digest.
     *
     * @return the manifest file
     */
    public ManifestFile manifestFile() {
        return manifestFile;
    }

    /**
     * Returns the bundle's identity: {@code sha256:<hex>} of the manifest's canonical form.
     *
     * @return the digest
     */
    public String digest() {
        return manifestFile.digest();
    }

    /**
     * Returns the preprocessor.
     *
     * @return the preprocessor
     */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /**
     * Returns the model used for scoring.
     *
     * @return the model runner
     */
    public ModelRunner model() {
        return model;
    }

    /**
     * Returns the artifact the scoring model was loaded from.
     *
     * @return e.g. {@code model.torchscript.pt}
     */
    public String modelArtifact() {
        return modelArtifact;
    }

    /**
     * Returns the prediction columns this bundle emits.
     *
     * @return the layout
     */
    public OutputLayout outputs() {
        return outputs;
    }

    /**
     * Returns the golden rows that golden replay left uncompared because their KNNImputer
     * imputation is unsettled (a neighbour tie scikit-learn breaks by a CPU-specific sort order, or
     * distances within the rounding bound): scoring rejects such rows as {@code knn_unsettled}.
     *
     * @return golden row to why (column and cause), ascending; empty for most bundles
     */
    public java.util.SortedMap<Integer, String> goldenRowsNotCompared() {
        return goldenNotCompared;
    }

    /**
     * Returns the golden batch's stored features and outputs, as Python computed them (the fallback
     * reference of the score distribution when the manifest has no training output statistics).
     *
     * @return the golden output columns, or null when the golden batch was not replayed
     */
    public ColumnBatch goldenOutput() {
        return goldenOutput;
    }

    /**
     * Returns who signed the bundle, as verified by {@link #open}.
     *
     * @return the signer, or null when no signature was verified (no trust configured, or an
     *     unsigned bundle accepted because a signature was not required)
     */
    public Signer signer() {
        return signer;
    }

    /**
     * Returns how long {@link #open} took, verification included.
     *
     * @return nanoseconds
     */
    public long openNanos() {
        return openNanos;
    }

    /**
     * Transforms raw columns into features (no model), for debugging a row.
     *
     * @param batch raw rows
     * @return row-major features
     */
    public double[] transform(ColumnBatch batch) {
        return preprocessor.transform(batch, new dev.tabscore.bundle.sklearn.TransformStats());
    }

    /** Releases the model. */
    @Override
    public void close() {
        model.close();
    }
}
