package dev.tabscore.bundle.skops;

/**
 * A class whose initialization is observable: {@link NoClassLoadingTest} names it in hostile files
 * and checks that no reader loads or initializes it.
 */
final class LoadProbe {

    static {
        LoadProbeFlag.INITIALIZED.set(true);
    }

    private LoadProbe() {}
}
