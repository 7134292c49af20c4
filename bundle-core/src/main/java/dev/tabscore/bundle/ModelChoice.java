package dev.tabscore.bundle;

/** Which model artifact of a bundle scores ({@code --model}, {@code scoring.model}). */
public enum ModelChoice {
    /** TorchScript when the bundle has it, else the state_dict. */
    AUTO,
    /** The TorchScript file (code for libtorch's interpreter). */
    TORCHSCRIPT,
    /** The weights-only state_dict rebuilt from the manifest's layers: no bundle code runs. */
    STATE_DICT;

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
