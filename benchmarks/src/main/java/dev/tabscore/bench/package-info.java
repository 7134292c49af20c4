/**
 * JMH benchmarks of bundle-core (the preprocessor, the model runners), one {@code XxxBenchmark} per
 * subject; run them from the shaded {@code benchmarks/target/benchmarks.jar}.
 */
package dev.tabscore.bench;
