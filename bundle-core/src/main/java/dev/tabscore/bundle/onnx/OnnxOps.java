package dev.tabscore.bundle.onnx;

import java.util.Set;

/**
 * The ONNX operators a bundle's {@code model.onnx} may use: the standard {@code ai.onnx} domain
 * only, and of it the dense arithmetic, activations, normalisations and shape plumbing that {@code
 * torch.onnx.export} writes for tabular networks (MLPs, BatchNorm/LayerNorm, embeddings
 * concatenated with numeric features). Left out on purpose: control flow ({@code If}, {@code Loop},
 * {@code Scan}: they carry subgraphs), anything that reads files or strings, random generators, and
 * the {@code ai.onnx.ml} / {@code com.microsoft} domains (custom kernels).
 */
public final class OnnxOps {

    /** The standard domain, spelled either way ONNX allows. */
    public static final Set<String> DOMAINS = Set.of("", "ai.onnx");

    /** The lowest and highest {@code ai.onnx} opset accepted (ONNX Runtime 1.23 runs up to 23). */
    public static final int MIN_OPSET = 9;

    /** See {@link #MIN_OPSET}. */
    public static final int MAX_OPSET = 23;

    /** Operator types of the standard domain a graph may use. */
    public static final Set<String> ALLOWED =
            Set.of(
                    // dense algebra
                    "Gemm",
                    "MatMul",
                    "Add",
                    "Sub",
                    "Mul",
                    "Div",
                    "Neg",
                    "Abs",
                    "Sqrt",
                    "Pow",
                    "Exp",
                    "Log",
                    "Reciprocal",
                    "Min",
                    "Max",
                    "Sum",
                    "Mean",
                    "Clip",
                    "Floor",
                    "Ceil",
                    "Sign",
                    "Erf",
                    // activations
                    "Relu",
                    "LeakyRelu",
                    "PRelu",
                    "Sigmoid",
                    "HardSigmoid",
                    "HardSwish",
                    "Tanh",
                    "Elu",
                    "Selu",
                    "Celu",
                    "Gelu",
                    "Softplus",
                    "Softsign",
                    "Mish",
                    "Softmax",
                    "LogSoftmax",
                    // normalisation (eval statistics are initializers)
                    "BatchNormalization",
                    "LayerNormalization",
                    // comparisons and selection (GELU, ELU decompositions)
                    "Greater",
                    "GreaterOrEqual",
                    "Less",
                    "LessOrEqual",
                    "Equal",
                    "Not",
                    "And",
                    "Or",
                    "Where",
                    // shape plumbing, embedding lookups
                    "Identity",
                    "Dropout",
                    "Constant",
                    "ConstantOfShape",
                    "Cast",
                    "CastLike",
                    "Shape",
                    "Size",
                    "Reshape",
                    "Flatten",
                    "Squeeze",
                    "Unsqueeze",
                    "Transpose",
                    "Concat",
                    "Split",
                    "Slice",
                    "Gather",
                    "GatherElements",
                    "Expand",
                    "Tile",
                    "Range",
                    // reductions
                    "ReduceMean",
                    "ReduceSum",
                    "ReduceMax",
                    "ReduceMin",
                    "ReduceProd",
                    "ReduceL2",
                    "ArgMax",
                    "ArgMin");

    private OnnxOps() {}
}
