package dev.tabscore.bundle.model.djl;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.model.ModelSpec;

/**
 * The check every runner passes at load: one row of zeros of the spec's input width goes through
 * the network and must come out as [1 x outputDim]. A TorchScript traced for another width fails
 * here, naming both widths, instead of on the first real batch.
 */
final class LoadCheck {

    private LoadCheck() {}

    static void run(NDManager modelManager, Network network, ModelSpec spec, String artifact) {
        try (NDManager manager = modelManager.newSubManager()) {
            NDArray row = manager.zeros(new Shape(1, spec.inputWidth()), DataType.FLOAT32);
            NDArray out;
            try {
                out = network.forward(row);
            } catch (EngineException | IllegalArgumentException e) {
                throw new BundleFormatException(
                        Reason.MODEL_INVALID,
                        artifact
                                + " does not accept a [1 x "
                                + spec.inputWidth()
                                + "] float32 input "
                                + "(the spec's input width "
                                + spec.inputWidth()
                                + "): "
                                + firstLine(e.getMessage()),
                        e);
            }
            Shape expected = new Shape(1, spec.outputDim());
            if (!out.getShape().equals(expected)) {
                throw new BundleFormatException(
                        Reason.MODEL_INVALID,
                        artifact
                                + " returns shape "
                                + out.getShape()
                                + " for one row of width "
                                + spec.inputWidth()
                                + "; the spec expects "
                                + expected);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
