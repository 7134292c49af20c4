package dev.tabscore.bundle.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.onnx.proto.OnnxProto.AttributeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.GraphProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.ModelProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.NodeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.SparseTensorProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.TensorProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.TensorShapeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.TypeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The allow-list {@code model.onnx} passes before ONNX Runtime sees it, so that loading a bundle
 * runs only a declarative graph of standard operators on tensors held in the file.
 *
 * <pre>{@code
 * OnnxGraph graph = OnnxGraphCheck.check(bytes, "bundle/model.onnx", spec);
 * }</pre>
 *
 * <p>Refused, naming the node, domain, tensor or field:
 *
 * <ul>
 *   <li>{@link Reason#ONNX_MALFORMED}: bytes that are not a complete ModelProto (truncated, nested
 *       deeper than {@value #MAX_NESTING}), no graph, no {@code ai.onnx} opset import;
 *   <li>{@link Reason#ONNX_REFUSED}: an opset import or node outside the standard domain (custom
 *       operators, {@code com.microsoft}, {@code ai.onnx.ml}), an operator outside {@link
 *       OnnxOps#ALLOWED}, an opset outside {@value OnnxOps#MIN_OPSET}..{@value OnnxOps#MAX_OPSET},
 *       model-local functions, subgraph attributes (control flow), a tensor whose data lives in an
 *       external file (ONNX Runtime would open that path, relative to the working directory when
 *       loading from memory);
 *   <li>{@link Reason#MODEL_INVALID}: a graph whose one input is not [batch x input width] float32
 *       with a free batch dimension, or whose one output is not [batch x output dim] float32 — the
 *       shapes the manifest promises.
 * </ul>
 *
 * The classes come from the vendored {@code src/main/proto/onnx/onnx.proto} through protoc; the
 * protobuf-java parser is the library's (no hand-written wire reader).
 */
public final class OnnxGraphCheck {

    /** Protobuf message nesting allowed (a plain graph nests 6 deep). */
    public static final int MAX_NESTING = 32;

    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;

    private OnnxGraphCheck() {}

    /**
     * Parses and checks an ONNX model against the allow-list and the spec's widths.
     *
     * @param bytes the whole file
     * @param artifact the artifact name for messages
     * @param spec the manifest's input width and output dim
     * @return what the graph holds
     * @throws BundleFormatException with {@link Reason#ONNX_MALFORMED}, {@link Reason#ONNX_REFUSED}
     *     or {@link Reason#MODEL_INVALID}, naming what is wrong
     */
    public static OnnxGraph check(byte[] bytes, String artifact, ModelSpec spec) {
        ModelProto model = parse(bytes, artifact);
        if (!model.hasGraph()) {
            throw malformed(
                    artifact,
                    "the ModelProto has no graph (" + bytes.length + " bytes; not an ONNX model?)");
        }
        long opset = opset(model, artifact);
        if (model.getFunctionsCount() > 0) {
            throw refused(
                    artifact,
                    "the model defines local function '"
                            + model.getFunctions(0).getDomain()
                            + ":"
                            + model.getFunctions(0).getName()
                            + "'; only standard ai.onnx operators are allowed");
        }
        GraphProto graph = model.getGraph();
        Set<String> operators = new TreeSet<>();
        for (NodeProto node : graph.getNodeList()) {
            checkNode(node, artifact);
            operators.add(node.getOpType());
        }
        for (TensorProto tensor : graph.getInitializerList()) {
            checkInternal(tensor, "initializer '" + tensor.getName() + "'", artifact);
        }
        for (SparseTensorProto sparse : graph.getSparseInitializerList()) {
            checkInternal(sparse.getValues(), "sparse initializer values", artifact);
            checkInternal(sparse.getIndices(), "sparse initializer indices", artifact);
        }
        ValueInfoProto input = onlyInput(graph, artifact);
        checkShape(input, "input", spec.inputWidth(), "input width", artifact);
        if (graph.getOutputCount() != 1) {
            throw invalid(
                    artifact,
                    "the graph has "
                            + graph.getOutputCount()
                            + " outputs; one "
                            + "[batch x "
                            + spec.outputDim()
                            + "] float32 output is expected");
        }
        ValueInfoProto output = graph.getOutput(0);
        checkShape(output, "output", spec.outputDim(), "output dim", artifact);
        return new OnnxGraph(
                input.getName(),
                output.getName(),
                opset,
                java.util.Collections.unmodifiableSortedSet(new TreeSet<>(operators)),
                (model.getProducerName() + " " + model.getProducerVersion()).trim());
    }

    private static ModelProto parse(byte[] bytes, String artifact) {
        if (bytes.length == 0) {
            throw malformed(artifact, "the file is empty");
        }
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(MAX_NESTING);
            ModelProto model = ModelProto.parseFrom(in);
            in.checkLastTagWas(0);
            return model;
        } catch (InvalidProtocolBufferException e) {
            throw malformed(
                    artifact,
                    "not a complete ONNX ModelProto ("
                            + bytes.length
                            + " bytes): "
                            + e.getMessage());
        } catch (IOException e) {
            throw malformed(artifact, "unreadable: " + e.getMessage());
        }
    }

    private static long opset(ModelProto model, String artifact) {
        Long opset = null;
        for (OperatorSetIdProto id : model.getOpsetImportList()) {
            if (!OnnxOps.DOMAINS.contains(id.getDomain())) {
                throw refused(
                        artifact,
                        "the model imports operator domain '"
                                + id.getDomain()
                                + "' (version "
                                + id.getVersion()
                                + "); only the standard ai.onnx domain "
                                + "is allowed");
            }
            if (id.getVersion() < OnnxOps.MIN_OPSET || id.getVersion() > OnnxOps.MAX_OPSET) {
                throw refused(
                        artifact,
                        "the model imports ai.onnx opset "
                                + id.getVersion()
                                + "; "
                                + OnnxOps.MIN_OPSET
                                + " to "
                                + OnnxOps.MAX_OPSET
                                + " are allowed");
            }
            opset = id.getVersion();
        }
        if (opset == null) {
            throw malformed(artifact, "the model imports no ai.onnx opset");
        }
        return opset;
    }

    private static void checkNode(NodeProto node, String artifact) {
        String where = "node '" + node.getName() + "' (" + node.getOpType() + ")";
        if (!OnnxOps.DOMAINS.contains(node.getDomain())) {
            throw refused(
                    artifact,
                    where
                            + " is in domain '"
                            + node.getDomain()
                            + "'; only standard ai.onnx operators are allowed");
        }
        if (!OnnxOps.ALLOWED.contains(node.getOpType())) {
            throw refused(
                    artifact,
                    where
                            + " uses operator '"
                            + node.getOpType()
                            + "', which is not on the ONNX allow-list (OnnxOps.ALLOWED)");
        }
        for (AttributeProto attribute : node.getAttributeList()) {
            if (attribute.hasG() || attribute.getGraphsCount() > 0) {
                throw refused(
                        artifact,
                        where
                                + " attribute '"
                                + attribute.getName()
                                + "' holds a subgraph; control flow is not allowed");
            }
            if (attribute.hasT()) {
                checkInternal(
                        attribute.getT(),
                        where + " attribute '" + attribute.getName() + "'",
                        artifact);
            }
            for (TensorProto t : attribute.getTensorsList()) {
                checkInternal(t, where + " attribute '" + attribute.getName() + "'", artifact);
            }
            if (attribute.hasSparseTensor()) {
                checkInternal(attribute.getSparseTensor().getValues(), where, artifact);
                checkInternal(attribute.getSparseTensor().getIndices(), where, artifact);
            }
        }
    }

    /** External data is a file path ONNX Runtime opens; a bundle's tensors live in the file. */
    private static void checkInternal(TensorProto tensor, String what, String artifact) {
        if (tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL
                || tensor.getExternalDataCount() > 0) {
            String location =
                    tensor.getExternalDataList().stream()
                            .filter(e -> e.getKey().equals("location"))
                            .map(e -> e.getValue())
                            .findFirst()
                            .orElse("(no location)");
            throw refused(
                    artifact,
                    what
                            + " keeps its data in external file '"
                            + location
                            + "'; every tensor must be inside the ONNX file (export with "
                            + "external_data=False)");
        }
    }

    private static ValueInfoProto onlyInput(GraphProto graph, String artifact) {
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
        List<ValueInfoProto> inputs =
                graph.getInputList().stream()
                        .filter(v -> !initializers.contains(v.getName()))
                        .toList();
        if (inputs.size() != 1) {
            throw invalid(
                    artifact,
                    "the graph has "
                            + inputs.size()
                            + " inputs "
                            + inputs.stream().map(ValueInfoProto::getName).toList()
                            + "; one [batch x width] float32 feature input is expected");
        }
        return inputs.get(0);
    }

    private static void checkShape(
            ValueInfoProto value, String role, int width, String field, String artifact) {
        String where = "graph " + role + " '" + value.getName() + "'";
        TypeProto type = value.getType();
        if (!type.hasTensorType() || type.getTensorType().getElemType() != FLOAT) {
            throw invalid(artifact, where + " is not a float32 tensor (" + describe(type) + ")");
        }
        if (!type.getTensorType().hasShape()) {
            throw invalid(
                    artifact, where + " declares no shape; [batch x " + width + "] is expected");
        }
        TensorShapeProto shape = type.getTensorType().getShape();
        if (shape.getDimCount() != 2) {
            throw invalid(
                    artifact,
                    where
                            + " has rank "
                            + shape.getDimCount()
                            + "; [batch x "
                            + width
                            + "] is expected");
        }
        TensorShapeProto.Dimension batch = shape.getDim(0);
        if (batch.hasDimValue()) {
            throw invalid(
                    artifact,
                    where
                            + " has a fixed batch size "
                            + batch.getDimValue()
                            + "; export it with a dynamic batch dimension");
        }
        TensorShapeProto.Dimension columns = shape.getDim(1);
        if (!columns.hasDimValue() || columns.getDimValue() != width) {
            throw invalid(
                    artifact,
                    where
                            + " has "
                            + (columns.hasDimValue()
                                    ? Long.toString(columns.getDimValue())
                                    : "'" + columns.getDimParam() + "'")
                            + " columns, but the manifest's "
                            + field
                            + " is "
                            + width);
        }
    }

    private static String describe(TypeProto type) {
        if (!type.hasTensorType()) {
            return type.getValueCase().toString().toLowerCase(java.util.Locale.ROOT);
        }
        TensorProto.DataType dt =
                TensorProto.DataType.forNumber(type.getTensorType().getElemType());
        return "element type " + (dt == null ? type.getTensorType().getElemType() : dt);
    }

    private static BundleFormatException malformed(String artifact, String message) {
        return new BundleFormatException(Reason.ONNX_MALFORMED, artifact + ": " + message);
    }

    private static BundleFormatException refused(String artifact, String message) {
        return new BundleFormatException(Reason.ONNX_REFUSED, artifact + " refused: " + message);
    }

    private static BundleFormatException invalid(String artifact, String message) {
        return new BundleFormatException(Reason.MODEL_INVALID, artifact + ": " + message);
    }
}
