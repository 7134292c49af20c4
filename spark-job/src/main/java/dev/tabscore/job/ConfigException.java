package dev.tabscore.job;

/** The job configuration is wrong; the message names the field or flag. Exit code 2. */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception.
     *
     * @param message what is wrong, naming the field
     */
    public ConfigException(String message) {
        super(message);
    }
}
