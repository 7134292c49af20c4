package dev.tabscore.bundle.model.djl;

import dev.tabscore.bundle.Bundle;
import dev.tabscore.bundle.BundleOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run in its own JVM by {@link OnnxNativeLibraryTest}: opens a bundle with a model choice, then
 * prints which native model libraries the process has mapped ({@code /proc/self/maps}, Linux).
 */
public final class NativeLibraryProbe {

    private NativeLibraryProbe() {}

    /**
     * Opens {@code args[0]} with {@code --model args[1]} and prints {@code onnxruntime=<bool>
     * torch=<bool> kind=<kind>}.
     *
     * @param args bundle folder, model choice
     * @throws IOException if the maps cannot be read
     */
    public static void main(String[] args) throws IOException {
        String kind;
        try (Bundle bundle = Bundle.open(args[0], BundleOptions.defaults().withModel(args[1]))) {
            kind = bundle.modelKind();
        }
        String maps = Files.readString(Path.of("/proc/self/maps"));
        System.out.println(
                "onnxruntime="
                        + maps.contains("libonnxruntime")
                        + " torch="
                        + maps.contains("libtorch")
                        + " kind="
                        + kind);
    }
}
