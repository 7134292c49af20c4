package dev.tabscore.bundle.cli;

import dev.tabscore.bundle.model.Device;
import picocli.CommandLine;

/**
 * Parses {@code --device} ({@code auto}, {@code cpu}, {@code gpu}, {@code gpu:N}) with {@link
 * Device#parse}, the rule the job's {@code scoring.device} follows too; picocli names the option in
 * the error and exits 2.
 */
public final class DeviceConverter implements CommandLine.ITypeConverter<Device> {

    /** {@inheritDoc} */
    @Override
    public Device convert(String value) {
        try {
            return Device.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
