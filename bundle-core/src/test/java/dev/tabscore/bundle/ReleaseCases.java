package dev.tabscore.bundle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * The fixture layout the per-release tests share, {@code ROOT/sklearn-<release>/<case>/} (one
 * folder per case, written by a generator script under each release's scikit-learn): one dynamic
 * test per case folder, named {@code sklearn-<release>/<case>}, and a floor on how many there are
 * so that a generator that wrote nothing fails the test instead of passing it empty.
 */
public final class ReleaseCases {

    private ReleaseCases() {}

    /**
     * Returns one dynamic test per case folder of every release under {@code root}.
     *
     * @param root the folder holding the {@code sklearn-*} release folders
     * @param atLeast the fewest cases the generator writes
     * @param check the check of one case folder
     * @return the tests, releases and cases in name order
     * @throws IOException if a folder cannot be listed
     */
    public static Stream<DynamicTest> each(Path root, int atLeast, ThrowingConsumer<Path> check)
            throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> releases = Files.list(root)) {
            for (Path rel :
                    releases.filter(p -> p.getFileName().toString().startsWith("sklearn-"))
                            .sorted()
                            .toList()) {
                try (Stream<Path> cases = Files.list(rel)) {
                    for (Path c : cases.filter(Files::isDirectory).sorted().toList()) {
                        tests.add(
                                DynamicTest.dynamicTest(
                                        rel.getFileName() + "/" + c.getFileName(),
                                        () -> check.accept(c)));
                    }
                }
            }
        }
        assertTrue(tests.size() >= atLeast, "cases found under " + root + ": " + tests.size());
        return tests.stream();
    }
}
