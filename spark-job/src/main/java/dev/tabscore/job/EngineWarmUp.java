package dev.tabscore.job;

import dev.tabscore.bundle.model.djl.DjlEngine;

/**
 * Starts the DJL PyTorch engine (libtorch's natives: unpacked once per host, loaded once per JVM)
 * on a second thread while the Spark session starts, so that the driver's bundle open no longer
 * waits for it. Safe because the engine starts once per JVM under a lock ({@link DjlEngine}), with
 * the thread counts the open and the tasks set anyway (inter-op 1, intra-op {@code
 * scoring.threads_per_task}). A failure here is ignored: the open that needs the engine reports it
 * with its reason and exit code. A run that asks for the ONNX model ({@code --model onnx}) does not
 * start it; with {@code auto}, the state_dict and TorchScript artifacts run on it.
 */
final class EngineWarmUp {

    private EngineWarmUp() {}

    /**
     * Starts the engine in the background.
     *
     * @param threadsPerTask libtorch's intra-op threads, as the tasks will set them
     */
    static void start(int threadsPerTask) {
        Thread t =
                new Thread(
                        () -> {
                            try {
                                DjlEngine.configureThreads(threadsPerTask, 1);
                                DjlEngine.gpuCount(); // starts the engine
                            } catch (RuntimeException | LinkageError e) {
                                // Reported by the bundle open that needs the engine, if any does.
                            }
                        },
                        "tabscore-engine-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
