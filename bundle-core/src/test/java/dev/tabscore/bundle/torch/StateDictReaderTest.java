package dev.tabscore.bundle.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.torch.PickleWriter.TensorDecl;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StateDictReaderTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    static Stream<Path> bundles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String set :
                List.of(
                        "sklearn-1.2.1",
                        "sklearn-1.2.1-skops-0.9",
                        "sklearn-1.6.1",
                        "sklearn-1.9.1")) {
            for (String bundle :
                    List.of(
                            "seed-binary",
                            "multiclass-softmax",
                            "regression-ordinal",
                            "infrequent-kbins")) {
                out.add(FIXTURES.resolve(set).resolve(bundle));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void readsEveryFixtureWithTheKeysShapesAndOrderOfItsMetadata(Path bundle) throws IOException {
        JsonNode expected =
                new ObjectMapper()
                        .readTree(bundle.resolve("metadata.json").toFile())
                        .path("model")
                        .path("state_dict");
        Map<String, Tensor> tensors =
                StateDictReader.read(
                        Files.readAllBytes(bundle.resolve("model_state.pt")), "model_state.pt");

        assertEquals(expected.size(), tensors.size());
        Iterator<String> names = expected.fieldNames();
        for (Tensor tensor : tensors.values()) {
            String name = names.next();
            assertEquals(name, tensor.name());
            long[] shape = new long[expected.get(name).get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = expected.get(name).get("shape").get(i).asLong();
            }
            assertArrayEquals(shape, tensor.shape(), name);
            assertEquals(DType.FLOAT32, tensor.dtype());
            assertEquals(expected.get(name).get("dtype").asText(), tensor.dtype().torchName());
        }
    }

    @Test
    void readsTheSeedBiasFormatsMdQuotes() throws IOException {
        Map<String, Tensor> tensors =
                StateDictReader.read(
                        Files.readAllBytes(
                                FIXTURES.resolve("sklearn-1.2.1/seed-binary/model_state.pt")),
                        "model_state.pt");
        // FORMATS.md §4.2: data/5 = fc89a8bc = float32 -0.0206 = 4.bias
        assertEquals(Float.intBitsToFloat(0xbca889fc), tensors.get("4.bias").toFloats()[0]);
    }

    @Test
    void resolvesViewsSharingOneStorage() {
        float[] storage = new float[12];
        for (int i = 0; i < storage.length; i++) {
            storage[i] = i;
        }
        TensorDecl whole = TensorDecl.contiguous("whole", DType.FLOAT32, "0", 3, 4);
        TensorDecl transposed =
                new TensorDecl(
                        "t", DType.FLOAT32, "0", 12, 0, new long[] {4, 3}, new long[] {1, 4});
        TensorDecl row =
                new TensorDecl("row1", DType.FLOAT32, "0", 12, 4, new long[] {4}, new long[] {1});
        TensorDecl column =
                new TensorDecl("col2", DType.FLOAT32, "0", 12, 2, new long[] {3}, new long[] {4});
        TensorDecl scalar =
                new TensorDecl("scalar", DType.FLOAT32, "0", 12, 11, new long[0], new long[0]);
        byte[] file =
                new TorchZip("archive")
                        .pickle(PickleWriter.stateDict(whole, transposed, row, column, scalar))
                        .data("0", floats(storage))
                        .bytes();

        Map<String, Tensor> tensors = StateDictReader.read(file, "views.pt");

        assertEquals(
                List.of("whole", "t", "row1", "col2", "scalar"), List.copyOf(tensors.keySet()));
        assertArrayEquals(storage, tensors.get("whole").toFloats());
        assertArrayEquals(
                new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, tensors.get("t").toFloats());
        assertArrayEquals(new float[] {4, 5, 6, 7}, tensors.get("row1").toFloats());
        assertArrayEquals(new float[] {2, 6, 10}, tensors.get("col2").toFloats());
        assertArrayEquals(new float[] {11}, tensors.get("scalar").toFloats());
        assertArrayEquals(new long[0], tensors.get("scalar").shape());
    }

    @Test
    void keepsEachDtypeAndConvertsOnlyExactly() {
        ByteBuffer f64 = le(16).putDouble(0.1).putDouble(-1e300);
        ByteBuffer f16 =
                le(6).putShort((short) 0x3c00).putShort((short) 0xc000).putShort((short) 0x0001);
        ByteBuffer bf16 = le(4).putShort((short) 0x3f80).putShort((short) 0x4049);
        ByteBuffer i64 = le(16).putLong(7).putLong(1L << 60);
        ByteBuffer bool = le(2).put((byte) 1).put((byte) 0);
        byte[] file =
                new TorchZip("archive")
                        .pickle(
                                PickleWriter.stateDict(
                                        TensorDecl.contiguous("d", DType.FLOAT64, "0", 2),
                                        TensorDecl.contiguous("h", DType.FLOAT16, "1", 3),
                                        TensorDecl.contiguous("b", DType.BFLOAT16, "2", 2),
                                        TensorDecl.contiguous("l", DType.INT64, "3", 2),
                                        TensorDecl.contiguous("q", DType.BOOL, "4", 2)))
                        .data("0", f64.array())
                        .data("1", f16.array())
                        .data("2", bf16.array())
                        .data("3", i64.array())
                        .data("4", bool.array())
                        .bytes();

        Map<String, Tensor> t = StateDictReader.read(file, "dtypes.pt");

        assertArrayEquals(new double[] {0.1, -1e300}, t.get("d").toDoubles());
        BundleFormatException narrowing =
                assertThrows(BundleFormatException.class, () -> t.get("d").toFloats());
        assertTrue(narrowing.getMessage().contains("'d' has dtype float64"));
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, t.get("h").toFloats());
        assertArrayEquals(new float[] {1f, 3.140625f}, t.get("b").toFloats());
        assertArrayEquals(new long[] {7, 1L << 60}, t.get("l").toLongs());
        assertThrows(BundleFormatException.class, () -> t.get("l").toDoubles());
        assertArrayEquals(new double[] {1, 0}, t.get("q").toDoubles());
        assertEquals(DType.BOOL, t.get("q").dtype());
    }

    @Test
    void honoursBigEndianByteorderRecord() {
        ByteBuffer big =
                ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f);
        byte[] file =
                new TorchZip("weights")
                        .pickle(
                                PickleWriter.stateDict(
                                        TensorDecl.contiguous("w", DType.FLOAT32, "0", 2)))
                        .data("0", big.array())
                        .entry("byteorder", "big".getBytes())
                        .entry(".format_version", "1".getBytes())
                        .entry(".storage_alignment", "64".getBytes())
                        .entry(".data/serialization_id", "0123456789".getBytes())
                        .bytes();

        assertArrayEquals(
                new float[] {1.5f, -2f}, StateDictReader.read(file, "big.pt").get("w").toFloats());
    }

    @Test
    void refusesUnknownByteorder() {
        byte[] file =
                new TorchZip("archive")
                        .pickle(
                                PickleWriter.stateDict(
                                        TensorDecl.contiguous("w", DType.FLOAT32, "0", 1)))
                        .data("0", new byte[4])
                        .entry("byteorder", "middle".getBytes())
                        .bytes();

        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class, () -> StateDictReader.read(file, "odd.pt"));
        assertEquals(Reason.PICKLE_REFUSED, e.reason());
        assertTrue(e.getMessage().contains("archive/byteorder says 'middle'"), e.getMessage());
    }

    @Test
    void readsAnNnParameterRebuiltAroundATensor() {
        TensorDecl decl = TensorDecl.contiguous("p", DType.FLOAT32, "0", 2);
        PickleWriter w =
                new PickleWriter()
                        .proto(2)
                        .orderedDict()
                        .unicode("p")
                        .global("torch._utils", "_rebuild_parameter")
                        .op(PickleOp.MARK)
                        .tensor(decl)
                        .op(PickleOp.NEWTRUE)
                        .orderedDict()
                        .op(PickleOp.TUPLE)
                        .op(PickleOp.REDUCE)
                        .op(PickleOp.SETITEM)
                        .op(PickleOp.STOP);
        byte[] file = new TorchZip("archive").pickle(w.bytes()).data("0", floats(3f, 4f)).bytes();

        assertArrayEquals(
                new float[] {3f, 4f}, StateDictReader.read(file, "param.pt").get("p").toFloats());
    }

    static byte[] floats(float... values) {
        ByteBuffer buffer = le(values.length * 4);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return buffer.array();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
