package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.BundleFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The fixture layout of the graph tests, {@code ROOT/<set>/<case>/case.json} (a set per generator
 * run, e.g. a scikit-learn release), and the check every such test makes first: a case that expects
 * a refusal must be refused at load with its exit code and message.
 */
final class FixtureSets {

    private FixtureSets() {}

    /** Returns (set, case) for every case folder holding a case.json, in name order. */
    static Stream<Arguments> cases(Path root) throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> sets = Files.list(root)) {
            for (Path set : sets.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> cs = Files.list(set)) {
                    cs.filter(p -> Files.exists(p.resolve("case.json")))
                            .sorted()
                            .forEach(
                                    p ->
                                            out.add(
                                                    Arguments.of(
                                                            set.getFileName().toString(),
                                                            p.getFileName().toString())));
                }
            }
        }
        return out.stream();
    }

    /**
     * Asserts the refusal a case expects ({@code "expect": "refused"}, with its {@code exit} and
     * {@code message}) and returns true, or returns false for a case that must load.
     */
    static boolean refusedAsExpected(JsonNode c, byte[] skops) {
        return refusedAsExpected(c, skops, TrainingNumpy.UNKNOWN);
    }

    /**
     * As {@link #refusedAsExpected(JsonNode, byte[])}, loading with the numpy the training side ran
     * (a bundle manifest's {@code versions.numpy}).
     */
    static boolean refusedAsExpected(JsonNode c, byte[] skops, TrainingNumpy numpy) {
        if (!c.get("expect").asText().equals("refused")) {
            return false;
        }
        assertRefused(c, skops, numpy);
        return true;
    }

    /** Asserts that loading is refused with the {@code exit} and {@code message} of {@code c}. */
    static void assertRefused(JsonNode c, byte[] skops, TrainingNumpy numpy) {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> Preprocessor.load(skops, "preprocessor.skops", Set.of(), numpy));
        assertEquals(c.get("exit").asInt(), e.reason().exitCode(), e.getMessage());
        assertTrue(e.getMessage().contains(c.get("message").asText()), e.getMessage());
    }

    /** The numpy a case records ({@code "numpy"}, as a manifest's versions.numpy), else unknown. */
    static TrainingNumpy numpy(JsonNode c) {
        return TrainingNumpy.parse(c.hasNonNull("numpy") ? c.get("numpy").asText() : null);
    }
}
