package dev.tabscore.bundle.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.BundleOptions;
import dev.tabscore.bundle.ExitCodes;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.ModelSpec;
import dev.tabscore.bundle.model.OutputHead;
import dev.tabscore.bundle.onnx.proto.OnnxProto.AttributeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.FunctionProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.GraphProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.ModelProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.NodeProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.OperatorSetIdProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.StringStringEntryProto;
import dev.tabscore.bundle.onnx.proto.OnnxProto.TensorProto;
import dev.tabscore.bundle.verify.ModelKinds;
import dev.tabscore.bundle.verify.SealedBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile {@code model.onnx} files, each an edit of the real exporter's graph (the model-kinds
 * fixture), are refused by {@link OnnxGraphCheck} with a typed reason naming what is wrong, before
 * ONNX Runtime sees them; and the same refusal comes out of {@link Bundle#open} for a bundle whose
 * manifest lists the hostile file with its true hash.
 */
class HostileOnnxTest {

    private static final ModelSpec SPEC = new ModelSpec(11, 1, OutputHead.SIGMOID, null);

    @TempDir Path tmp;

    private static byte[] real() throws IOException {
        return Files.readAllBytes(ModelKinds.all().resolve(ModelKinds.ONNX));
    }

    private static byte[] edit(UnaryOperator<ModelProto.Builder> change) throws IOException {
        return change.apply(ModelProto.parseFrom(real()).toBuilder()).build().toByteArray();
    }

    private static String refused(byte[] onnx, Reason reason) {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> OnnxGraphCheck.check(onnx, "model.onnx", SPEC));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("model.onnx"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void theRealGraphPasses() throws IOException {
        OnnxGraph graph = OnnxGraphCheck.check(real(), "model.onnx", SPEC);
        assertEquals("features", graph.input());
        assertEquals("logits", graph.output());
        assertEquals(18, graph.opset());
        assertTrue(
                graph.operators()
                        .containsAll(java.util.List.of("Gemm", "LayerNormalization", "Mish")),
                graph.operators().toString());
    }

    @Test
    void aCustomDomainOperatorIsRefused() throws IOException {
        byte[] onnx =
                edit(
                        m -> {
                            m.addOpsetImport(
                                    OperatorSetIdProto.newBuilder()
                                            .setDomain("com.evil")
                                            .setVersion(1));
                            m.getGraphBuilder()
                                    .getNodeBuilder(0)
                                    .setDomain("com.evil")
                                    .setOpType("Exec");
                            return m;
                        });
        String message = refused(onnx, Reason.ONNX_REFUSED);
        assertTrue(message.contains("operator domain 'com.evil'"), message);
        // The node alone, without the opset import, is refused by name too.
        onnx =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getNodeBuilder(0)
                                    .setDomain("com.microsoft")
                                    .setName("n0");
                            return m;
                        });
        message = refused(onnx, Reason.ONNX_REFUSED);
        assertTrue(message.contains("node 'n0'") && message.contains("'com.microsoft'"), message);
    }

    @Test
    void aStandardOperatorOffTheAllowListIsRefused() throws IOException {
        byte[] onnx =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getNodeBuilder(0)
                                    .setOpType("RandomNormalLike")
                                    .setName("rng");
                            return m;
                        });
        String message = refused(onnx, Reason.ONNX_REFUSED);
        assertTrue(
                message.contains(
                        "node 'rng' (RandomNormalLike) uses operator " + "'RandomNormalLike'"),
                message);
    }

    @Test
    void subgraphsAndLocalFunctionsAreRefused() throws IOException {
        byte[] onnx =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getNodeBuilder(0)
                                    .addAttribute(
                                            AttributeProto.newBuilder()
                                                    .setName("then_branch")
                                                    .setType(AttributeProto.AttributeType.GRAPH)
                                                    .setG(
                                                            GraphProto.newBuilder()
                                                                    .setName("inner")));
                            return m;
                        });
        assertTrue(refused(onnx, Reason.ONNX_REFUSED).contains("'then_branch' holds a subgraph"));
        onnx =
                edit(
                        m ->
                                m.addFunctions(
                                        FunctionProto.newBuilder()
                                                .setDomain("local")
                                                .setName("helper")));
        assertTrue(refused(onnx, Reason.ONNX_REFUSED).contains("local function 'local:helper'"));
    }

    @Test
    void externalDataIsRefusedNamingThePath() throws IOException {
        byte[] onnx =
                edit(
                        m -> {
                            TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(0);
                            t.clearRawData()
                                    .clearFloatData()
                                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                                    .addExternalData(
                                            StringStringEntryProto.newBuilder()
                                                    .setKey("location")
                                                    .setValue("../../../../etc/passwd"));
                            return m;
                        });
        String message = refused(onnx, Reason.ONNX_REFUSED);
        assertTrue(message.contains("external file '../../../../etc/passwd'"), message);
    }

    @Test
    void shapesThatLieAboutTheManifestAreRefused() throws IOException {
        byte[] wider =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getInputBuilder(0)
                                    .getTypeBuilder()
                                    .getTensorTypeBuilder()
                                    .getShapeBuilder()
                                    .getDimBuilder(1)
                                    .setDimValue(12);
                            return m;
                        });
        assertTrue(
                refused(wider, Reason.MODEL_INVALID)
                        .contains(
                                "graph input 'features' has 12 columns, but the manifest's input width is 11"));
        byte[] fixedBatch =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getInputBuilder(0)
                                    .getTypeBuilder()
                                    .getTensorTypeBuilder()
                                    .getShapeBuilder()
                                    .getDimBuilder(0)
                                    .setDimValue(1);
                            return m;
                        });
        assertTrue(refused(fixedBatch, Reason.MODEL_INVALID).contains("fixed batch size 1"));
        byte[] twoOutputs =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getOutputBuilder(0)
                                    .getTypeBuilder()
                                    .getTensorTypeBuilder()
                                    .getShapeBuilder()
                                    .getDimBuilder(1)
                                    .setDimValue(2);
                            return m;
                        });
        assertTrue(
                refused(twoOutputs, Reason.MODEL_INVALID)
                        .contains(
                                "graph output 'logits' has 2 columns, but the manifest's output dim is 1"));
        byte[] doubles =
                edit(
                        m -> {
                            m.getGraphBuilder()
                                    .getInputBuilder(0)
                                    .getTypeBuilder()
                                    .getTensorTypeBuilder()
                                    .setElemType(TensorProto.DataType.DOUBLE_VALUE);
                            return m;
                        });
        assertTrue(refused(doubles, Reason.MODEL_INVALID).contains("element type DOUBLE"));
    }

    @Test
    void truncatedAndForeignBytesAreMalformed() throws IOException {
        byte[] real = real();
        for (int cut : new int[] {1, 17, real.length / 2, real.length - 1}) {
            refused(Arrays.copyOf(real, cut), Reason.ONNX_MALFORMED);
        }
        refused(new byte[0], Reason.ONNX_MALFORMED);
        refused("PK\u0003\u0004 a zip, not a ModelProto".getBytes(), Reason.ONNX_MALFORMED);
        // Valid protobuf of no ONNX meaning: no graph.
        assertTrue(
                refused(
                                ModelProto.newBuilder().setIrVersion(10).build().toByteArray(),
                                Reason.ONNX_MALFORMED)
                        .contains("no graph"));
        // Nesting deeper than the limit.
        NodeProto.Builder node = NodeProto.newBuilder().setOpType("Relu");
        GraphProto g = GraphProto.newBuilder().build();
        for (int i = 0; i < 40; i++) {
            g =
                    GraphProto.newBuilder()
                            .addNode(
                                    NodeProto.newBuilder(node.build())
                                            .addAttribute(
                                                    AttributeProto.newBuilder()
                                                            .setName("g")
                                                            .setG(g)))
                            .build();
        }
        refused(ModelProto.newBuilder().setGraph(g).build().toByteArray(), Reason.ONNX_MALFORMED);
    }

    @Test
    void aBundleWithAHostileGraphIsRefusedWithItsExitCode() throws IOException {
        Path b = ModelKinds.only("onnx", tmp.resolve("bundle"));
        Files.write(
                b.resolve(ModelKinds.ONNX),
                edit(
                        m -> {
                            m.getGraphBuilder().getNodeBuilder(0).setDomain("com.evil");
                            return m;
                        }));
        SealedBundles.reseal(b, ModelKinds.ONNX);
        BundleException e =
                assertThrows(
                        BundleException.class,
                        () -> Bundle.open(b.toString(), BundleOptions.defaults()).close());
        assertEquals(Reason.ONNX_REFUSED, e.reason(), e.getMessage());
        assertEquals(29, ExitCodes.of(e));
        assertTrue(e.getMessage().contains(ModelKinds.ONNX), e.getMessage());
    }
}
