/**
 * The engine-neutral model API: what the network is ({@link dev.tabscore.bundle.model.ModelSpec},
 * its {@link dev.tabscore.bundle.model.LayerSpec}s and {@link
 * dev.tabscore.bundle.model.OutputHead}), where it runs ({@link dev.tabscore.bundle.model.Device})
 * and how it is run: one shared, thread-safe {@link dev.tabscore.bundle.model.ModelRunner} per JVM,
 * one {@link dev.tabscore.bundle.model.ModelPredictor} per thread, one {@link
 * dev.tabscore.bundle.model.Prediction} per batch. No engine type appears here; the DJL
 * implementations live in {@code dev.tabscore.bundle.model.djl}.
 */
package dev.tabscore.bundle.model;
