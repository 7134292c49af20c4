package dev.tabscore.job;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up of every test class that runs the job on this JVM's local Spark session: it belongs to
 * the {@code default-test} surefire execution (before package) and starts the shared {@code
 * local[2]} session once ({@link JobTesting#spark()}). Use with
 * {@code @ExtendWith(LocalJobSession.class)}.
 */
final class LocalJobSession implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) {
        JobTesting.onlyInExecution("default-test");
        JobTesting.spark();
    }
}
