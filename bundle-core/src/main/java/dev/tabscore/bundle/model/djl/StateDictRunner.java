package dev.tabscore.bundle.model.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.LayerSpec;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.torch.DType;
import dev.tabscore.bundle.torch.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs the {@code nn.Sequential} described by {@link ModelSpec#layers()} with the weights of a
 * state_dict ({@link dev.tabscore.bundle.torch.StateDictReader}), as direct libtorch operations:
 * {@code torch.linear} (the kernel {@code nn.Linear} calls), {@code relu}, {@code sigmoid}, {@code
 * tanh}, {@code leaky_relu}, {@code gelu}, {@code silu} (as swish with beta 1), {@code mish},
 * {@code elu}, {@code softplus}, {@code batch_norm} (eval: running statistics) and {@code
 * layer_norm}; Dropout and Identity pass through (eval mode).
 *
 * <pre>{@code
 * Map<String, Tensor> weights = StateDictReader.read(bytes, "model_state.pt");
 * try (ModelRunner runner = StateDictRunner.load(weights, "model_state.pt", spec, Device.CPU)) { ... }
 * }</pre>
 *
 * <p>The Linear layer at position {@code i} of the layers list takes keys {@code i.weight} (shape
 * [out, in]) and {@code i.bias} ([out], when the layer has a bias); layers without parameters
 * occupy a position too, as in the Sequential. Every key of the state_dict must be used and every
 * shape must match, or the load fails with {@link Reason#MODEL_INVALID} naming the key. The weights
 * must all be float32 (the network runs in float32) or all float64 (it runs in float64 and the
 * outputs are rounded to float32, as a double model's outputs cast by the caller would be);
 * float16, bfloat16 and integer weights are refused by name. Thread-safe; one {@link
 * ModelPredictor} per thread.
 *
 * <p>With {@link ModelSpec#embeddings()} the layers' keys are {@code mlp.<i>.<name>} and the tables
 * {@code embeddings.<j>.weight} ({@link EmbeddingLookup}: looked up and concatenated before the
 * layers, float32 only).
 */
public final class StateDictRunner extends LoadedRunner {

    private static final float GELU_TANH_SCALE = (float) Math.sqrt(2 / Math.PI);

    private final NDManager manager;
    private final List<UnaryOperator<NDArray>> steps;
    private final DataType dataType;
    private final EmbeddingLookup embeddings;

    private StateDictRunner(
            NDManager manager,
            List<UnaryOperator<NDArray>> steps,
            DataType dataType,
            ModelSpec spec,
            Device device,
            String artifact,
            EmbeddingLookup embeddings) {
        super(spec, device, artifact);
        this.manager = manager;
        this.steps = List.copyOf(steps);
        this.dataType = dataType;
        this.embeddings = embeddings;
    }

    /**
     * Builds the network from the spec's layers and the state_dict's tensors.
     *
     * @param weights the tensors by key (with embeddings: the tables and the layers' {@code mlp.}
     *     keys)
     * @param artifact the artifact name for messages, e.g. {@code model_state.pt}
     * @param spec the spec; its layers are required
     * @param device where to run; {@code auto} picks GPU 0 when the engine sees one
     * @return the runner
     * @throws BundleFormatException ({@link Reason#MODEL_INVALID}) if the spec has no layers, or a
     *     key is missing, unused, of the wrong shape or of an unsupported dtype
     */
    public static StateDictRunner load(
            Map<String, Tensor> weights, String artifact, ModelSpec spec, Device device) {
        if (spec.layers() == null) {
            throw invalid(
                    artifact,
                    "the model spec lists no layers, which the state_dict path "
                            + "needs to rebuild the network");
        }
        EmbeddingLookup lookup = null;
        Map<String, Tensor> stateDict = weights;
        if (spec.embeddings() != null) {
            stateDict = new java.util.LinkedHashMap<>();
            lookup = EmbeddingLookup.take(weights, spec.embeddings(), artifact, stateDict);
        }
        String layersWhere =
                lookup == null
                        ? artifact
                        : artifact
                                + " (the layers' keys, under '"
                                + dev.tabscore.bundle.model.EmbeddingSpec.MLP_PREFIX
                                + "')";
        DType dtype = checkDtypes(stateDict, spec.layers(), layersWhere);
        checkKeys(stateDict, spec.layers(), layersWhere);
        Device resolved = DjlEngine.resolve(device);
        DjlEngine.engine();
        NDManager manager =
                NDManager.newBaseManager(DjlEngine.toDjl(resolved), DjlEngine.ENGINE_NAME);
        try {
            List<UnaryOperator<NDArray>> steps = new ArrayList<>();
            for (int i = 0; i < spec.layers().size(); i++) {
                steps.add(step(manager, spec.layers().get(i), i, stateDict));
            }
            DataType dataType = dtype == DType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
            StateDictRunner runner =
                    new StateDictRunner(manager, steps, dataType, spec, resolved, artifact, lookup);
            LoadCheck.run(manager, runner::forward, spec.layersSpec(), artifact);
            return runner;
        } catch (EngineException e) {
            manager.close();
            throw invalid(artifact, "libtorch refused the weights: " + e.getMessage());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static DType checkDtypes(
            Map<String, Tensor> stateDict, List<LayerSpec> layers, String artifact) {
        DType first = null;
        for (Tensor tensor : stateDict.values()) {
            if (isBatchCounter(tensor.name(), layers)) {
                // BatchNorm's training counter (int64); eval mode never reads it.
                continue;
            }
            if (tensor.dtype() != DType.FLOAT32 && tensor.dtype() != DType.FLOAT64) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + tensor.name()
                                + "' has dtype "
                                + tensor.dtype()
                                + "; the state_dict path runs float32 or float64 weights");
            }
            if (first != null && tensor.dtype() != first) {
                throw invalid(
                        artifact,
                        "state_dict key '"
                                + tensor.name()
                                + "' is "
                                + tensor.dtype()
                                + " but earlier keys are "
                                + first
                                + "; the weights must share one dtype");
            }
            first = tensor.dtype();
        }
        return first == null ? DType.FLOAT32 : first;
    }

    private static boolean isBatchCounter(String key, List<LayerSpec> layers) {
        int dot = key.indexOf('.');
        if (dot <= 0 || !key.substring(dot + 1).equals("num_batches_tracked")) {
            return false;
        }
        try {
            int index = Integer.parseInt(key.substring(0, dot));
            return index < layers.size() && layers.get(index) instanceof LayerSpec.BatchNorm1d;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Every layer's keys must exist with the right shapes, and no key may be left over. */
    private static void checkKeys(
            Map<String, Tensor> stateDict, List<LayerSpec> layers, String artifact) {
        Set<String> unused = new LinkedHashSet<>(stateDict.keySet());
        for (int i = 0; i < layers.size(); i++) {
            List<String> keys = new ArrayList<>();
            if (layers.get(i) instanceof LayerSpec.BatchNorm1d bn) {
                long[] width = {bn.numFeatures()};
                keys.addAll(List.of(i + ".running_mean", i + ".running_var"));
                if (bn.affine()) {
                    keys.addAll(List.of(i + ".weight", i + ".bias"));
                }
                for (String key : keys) {
                    checkShape(stateDict, key, width, artifact);
                }
                unused.remove(i + ".num_batches_tracked");
            } else if (layers.get(i) instanceof LayerSpec.LayerNorm ln) {
                if (ln.elementwiseAffine()) {
                    keys.add(i + ".weight");
                }
                if (ln.bias()) {
                    keys.add(i + ".bias");
                }
                for (String key : keys) {
                    checkShape(stateDict, key, new long[] {ln.normalizedShape()}, artifact);
                }
            }
            unused.removeAll(keys);
            if (layers.get(i) instanceof LayerSpec.Linear linear) {
                checkShape(
                        stateDict, i + ".weight", new long[] {linear.out(), linear.in()}, artifact);
                unused.remove(i + ".weight");
                if (linear.bias()) {
                    checkShape(stateDict, i + ".bias", new long[] {linear.out()}, artifact);
                    unused.remove(i + ".bias");
                }
            }
        }
        if (!unused.isEmpty()) {
            throw invalid(
                    artifact,
                    "state_dict keys "
                            + unused
                            + " belong to no Linear, "
                            + "BatchNorm1d or LayerNorm parameter of the spec's layers "
                            + describe(layers));
        }
    }

    private static void checkShape(
            Map<String, Tensor> stateDict, String key, long[] expected, String artifact) {
        Tensor tensor = stateDict.get(key);
        if (tensor == null) {
            throw invalid(
                    artifact,
                    "state_dict key '"
                            + key
                            + "' is missing; the spec's layers "
                            + "need it with shape "
                            + Arrays.toString(expected)
                            + " (keys present: "
                            + stateDict.keySet()
                            + ")");
        }
        if (!Arrays.equals(tensor.shape(), expected)) {
            throw invalid(
                    artifact,
                    "state_dict key '"
                            + key
                            + "' has shape "
                            + Arrays.toString(tensor.shape())
                            + "; the spec's layers need "
                            + Arrays.toString(expected));
        }
    }

    private static UnaryOperator<NDArray> step(
            NDManager manager, LayerSpec layer, int index, Map<String, Tensor> stateDict) {
        if (layer instanceof LayerSpec.Linear linear) {
            NDArray weight = array(manager, stateDict.get(index + ".weight"));
            if (!linear.bias()) {
                return x -> Linear.linear(x, weight).singletonOrThrow();
            }
            NDArray bias = array(manager, stateDict.get(index + ".bias"));
            return x -> Linear.linear(x, weight, bias).singletonOrThrow();
        } else if (layer instanceof LayerSpec.ReLU) {
            return Activation::relu;
        } else if (layer instanceof LayerSpec.Sigmoid) {
            return Activation::sigmoid;
        } else if (layer instanceof LayerSpec.Tanh) {
            return Activation::tanh;
        } else if (layer instanceof LayerSpec.LeakyReLU leaky) {
            float slope = (float) leaky.slope();
            return x -> Activation.leakyRelu(x, slope);
        } else if (layer instanceof LayerSpec.GELU gelu) {
            return gelu.tanhApproximation() ? StateDictRunner::geluTanh : Activation::gelu;
        } else if (layer instanceof LayerSpec.SiLU) {
            return x -> Activation.swish(x, 1f);
        } else if (layer instanceof LayerSpec.Mish) {
            // x · tanh(softplus(x)) from torch's softplus and tanh kernels: DJL 0.35.1's
            // Activation.mish gives other values (-0.2099 for torch's -0.1456 at x = -3).
            return x -> x.mul(Activation.softPlus(x).tanh());
        } else if (layer instanceof LayerSpec.ELU elu) {
            float alpha = (float) elu.alpha();
            return x -> Activation.elu(x, alpha);
        } else if (layer instanceof LayerSpec.Softplus softplus) {
            return softplus(softplus);
        } else if (layer instanceof LayerSpec.BatchNorm1d bn) {
            return batchNorm(manager, bn, index, stateDict);
        } else if (layer instanceof LayerSpec.LayerNorm ln) {
            return layerNorm(manager, ln, index, stateDict);
        }
        // Dropout (eval mode) and Identity
        return UnaryOperator.identity();
    }

    /** torch's softplus: x where beta x > threshold, else log(1 + exp(beta x)) / beta. */
    private static UnaryOperator<NDArray> softplus(LayerSpec.Softplus layer) {
        if (layer.beta() == 1 && layer.threshold() == 20) {
            return Activation::softPlus;
        }
        float beta = (float) layer.beta();
        float threshold = (float) layer.threshold();
        return x -> {
            NDArray scaled = x.mul(beta);
            NDArray soft = scaled.exp().add(1f).log().div(beta);
            return NDArrays.where(scaled.gt(threshold), x, soft);
        };
    }

    /** Eval-mode batch norm through libtorch's batch_norm kernel, on the running statistics. */
    private static UnaryOperator<NDArray> batchNorm(
            NDManager manager, LayerSpec.BatchNorm1d bn, int index, Map<String, Tensor> stateDict) {
        NDArray mean = array(manager, stateDict.get(index + ".running_mean"));
        NDArray var = array(manager, stateDict.get(index + ".running_var"));
        NDArray gamma =
                bn.affine() ? array(manager, stateDict.get(index + ".weight")) : mean.onesLike();
        NDArray beta =
                bn.affine() ? array(manager, stateDict.get(index + ".bias")) : mean.zerosLike();
        float eps = (float) bn.eps();
        return x ->
                BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, 0.1f, eps, false)
                        .singletonOrThrow();
    }

    /** Layer norm over the last dimension through libtorch's layer_norm kernel. */
    private static UnaryOperator<NDArray> layerNorm(
            NDManager manager, LayerSpec.LayerNorm ln, int index, Map<String, Tensor> stateDict) {
        Shape shape = new Shape(ln.normalizedShape());
        NDArray gamma =
                ln.elementwiseAffine()
                        ? array(manager, stateDict.get(index + ".weight"))
                        : manager.ones(shape);
        NDArray beta =
                ln.bias()
                        ? array(manager, stateDict.get(index + ".bias"))
                        : manager.zeros(shape, gamma.getDataType());
        float eps = (float) ln.eps();
        return x -> LayerNorm.layerNorm(x, shape, gamma, beta, eps).singletonOrThrow();
    }

    /** {@code approximate='tanh'}: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static NDArray geluTanh(NDArray x) {
        NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul(GELU_TANH_SCALE);
        return x.mul(0.5f).mul(inner.tanh().add(1f));
    }

    private static NDArray array(NDManager manager, Tensor tensor) {
        Shape shape = new Shape(tensor.shape());
        return tensor.dtype() == DType.FLOAT64
                ? manager.create(tensor.toDoubles(), shape)
                : manager.create(tensor.toFloats(), shape);
    }

    private NDArray forward(NDArray input) {
        NDArray x = dataType == DataType.FLOAT32 ? input : input.toType(dataType, false);
        for (UnaryOperator<NDArray> step : steps) {
            NDArray next;
            try (NDScope scope = new NDScope()) {
                // Temporaries of a composite step (mish, gelu-tanh, softplus with a beta) die
                // here; only the step's result leaves the scope.
                next = step.apply(x);
                NDScope.unregister(next);
            }
            if (x != input && next != x) {
                // The previous activation is dead once the next one exists: freeing it now lets
                // libtorch's allocator hand the same memory to the following layer, as the eager
                // model's refcounting does, instead of holding every layer's [rows x width]
                // tensor until the batch ends (4 MB per 8192 x 128 float32 activation).
                x.close();
            }
            x = next;
        }
        return x;
    }

    private static String describe(List<LayerSpec> layers) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            names.add(i + ":" + layers.get(i).type());
        }
        return names.toString();
    }

    private static BundleFormatException invalid(String artifact, String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, artifact + ": " + message);
    }

    /** {@inheritDoc} */
    @Override
    protected ModelPredictor openPredictor() {
        ModelPredictor layers =
                new DjlPredictor(
                        manager, this::forward, spec.layersSpec(), "state_dict " + artifact);
        return embeddings == null
                ? layers
                : new EmbeddingPredictor(embeddings, layers, spec.inputWidth());
    }

    /** {@inheritDoc} */
    @Override
    protected void release() {
        manager.close();
    }

    /**
     * Returns the artifact and device, for logs.
     *
     * @return a short description
     */
    @Override
    public String toString() {
        return "StateDictRunner[" + artifact + " on " + device + "]";
    }
}
