package dev.tabscore.bundle;

import java.util.Arrays;
import java.util.Locale;

/**
 * The text form of the enums behind options such as {@code --model} and {@code --mode}: the
 * constant's name in lower case ({@code STATE_DICT} is {@code state_dict}). The enum is the one
 * list of valid values: picocli checks flags against it, config loaders check YAML values with
 * {@link #parse}, and error messages list it, so adding a value is adding a constant.
 */
public final class OptionValues {

    private OptionValues() {}

    /**
     * Returns a constant's text form.
     *
     * @param value the constant
     * @return its name in lower case
     */
    public static String text(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a value in any case.
     *
     * @param <E> the enum
     * @param type the enum class
     * @param field what the value is, for the message (e.g. {@code scoring.model (--model)})
     * @param text the value
     * @return the constant
     * @throws IllegalArgumentException naming the field, the value and every valid value
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String field, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return e;
            }
        }
        throw new IllegalArgumentException(
                field + " must be one of " + values(type) + ", got '" + text + "'");
    }

    /**
     * Returns every valid value, in declaration order.
     *
     * @param type the enum class
     * @return the text forms, e.g. {@code [auto, state_dict, onnx, torchscript]}
     */
    public static java.util.List<String> values(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(OptionValues::text).toList();
    }
}
