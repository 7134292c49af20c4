package dev.tabscore.bundle;

/** Which model artifact of a bundle scores ({@code --model}, {@code scoring.model}). */
public enum ModelChoice {
    /** The artifact that runs the least code: the state_dict, else ONNX, else TorchScript. */
    AUTO,
    /** The weights-only state_dict rebuilt from the manifest's layers: no bundle code runs. */
    STATE_DICT,
    /** The ONNX graph, allow-listed, on ONNX Runtime (a declarative graph, no program). */
    ONNX,
    /** The TorchScript file (code for libtorch's interpreter). */
    TORCHSCRIPT;

    /**
     * Returns the text form ({@code state_dict}), as options and configs write it.
     *
     * @return the name in lower case
     */
    @Override
    public String toString() {
        return OptionValues.text(this);
    }
}
