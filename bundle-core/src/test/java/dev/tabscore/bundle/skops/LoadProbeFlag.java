package dev.tabscore.bundle.skops;

import java.util.concurrent.atomic.AtomicBoolean;

/** Set by {@link LoadProbe}'s static initializer; kept apart so reading it loads no probe. */
final class LoadProbeFlag {

    static final AtomicBoolean INITIALIZED = new AtomicBoolean();

    private LoadProbeFlag() {}
}
