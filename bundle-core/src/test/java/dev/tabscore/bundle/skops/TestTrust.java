package dev.tabscore.bundle.skops;

/** A test policy: trusts every {@code sklearn.*} class and numpy's {@code log1p}. */
final class TestTrust implements TrustPolicy {

    static final TestTrust INSTANCE = new TestTrust();

    private TestTrust() {}

    @Override
    public boolean trustsObject(String module, String className) {
        return module.equals("sklearn") || module.startsWith("sklearn.");
    }

    @Override
    public boolean trustsFunction(String module, String name) {
        return name.equals("log1p")
                && (module.equals("numpy") || module.equals("numpy.core._multiarray_umath"));
    }
}
