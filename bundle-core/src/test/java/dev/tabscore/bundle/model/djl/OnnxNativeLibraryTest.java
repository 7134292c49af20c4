package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tabscore.bundle.verify.ModelKinds;
import dev.tabscore.bundle.verify.SealedBundles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that never uses ONNX never loads ONNX Runtime's native library, although its jars are on
 * the class path and DJL discovers every engine provider: each case opens a bundle in a fresh JVM
 * ({@link NativeLibraryProbe}) and reads the libraries the process mapped. The ONNX case is the
 * control that shows the probe sees the library when it is loaded, and that an ONNX-only run does
 * not start libtorch.
 */
class OnnxNativeLibraryTest {

    @TempDir Path tmp;

    @Test
    void onlyAnOnnxModelLoadsOnnxRuntime() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/maps")), "Linux /proc needed");
        Path seed = SealedBundles.dir("sklearn-1.9.1", "seed-binary");
        assertEquals("onnxruntime=false torch=true kind=torchscript", probe(seed, "torchscript"));
        assertEquals("onnxruntime=false torch=true kind=state_dict", probe(seed, "auto"));
        assertEquals(
                "onnxruntime=true torch=false kind=onnx",
                probe(ModelKinds.only("onnx", tmp.resolve("onnx")), "auto"));
    }

    private String probe(Path bundle, String model) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "probe", ".txt");
        Process p =
                new ProcessBuilder(
                                List.of(
                                        Path.of(System.getProperty("java.home"), "bin", "java")
                                                .toString(),
                                        "-Dai.djl.offline=true",
                                        "-cp",
                                        System.getProperty("java.class.path"),
                                        NativeLibraryProbe.class.getName(),
                                        bundle.toString(),
                                        model))
                        .redirectErrorStream(true)
                        .redirectOutput(out.toFile())
                        .start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the probe JVM did not finish");
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        return text.lines()
                .filter(l -> l.startsWith("onnxruntime="))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no probe line in: " + text));
    }
}
