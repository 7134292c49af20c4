package dev.tabscore.bundle.model.djl;

import ai.djl.ndarray.NDArray;

/** A network's forward pass: [rows x width] float32 in, [rows x outputDim] raw outputs out. */
@FunctionalInterface
interface Network {

    /**
     * Runs the network; intermediate and output arrays belong to the input's manager.
     *
     * @param input the batch on the model's device
     * @return the raw outputs
     */
    NDArray forward(NDArray input);
}
