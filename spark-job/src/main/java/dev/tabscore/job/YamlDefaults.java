package dev.tabscore.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tabscore.bundle.OptionValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The job's YAML config ({@code --config}) as picocli's default values: an option's default is the
 * file's value at the option's {@code descriptionKey}, a dotted YAML path (the key picocli's own
 * {@code PropertiesDefaultProvider} looks up), e.g. {@code scoring.batch_size} for {@code
 * --batch-size}. Picocli asks only for the options the command line did not give, after parsing it,
 * so a flag always wins and {@code --config} is already known.
 *
 * <p>The file is read once by {@link JobConfigLoader#read} into the typed {@link JobConfig}, which
 * refuses unknown keys and mistyped values; a refusal is kept and raised by {@link #file()} when
 * the job starts, so it reaches the job's error handling (exit 2) rather than picocli's usage
 * message. A list is handed over as its items joined by the option's split regex ({@code \n}, which
 * no path or column name holds). Keys without a flag (the map sections, {@code quality}, {@code
 * spark.app_name}) are read from {@link #file()}.
 */
final class YamlDefaults implements CommandLine.IDefaultValueProvider {

    /** What multi-value options split a default on: a newline, never part of a value. */
    static final String LIST_SPLIT = "\\n";

    private final Supplier<Path> path;
    private JobConfig file;
    private JsonNode tree;
    private ConfigException problem;

    /**
     * A provider over the file the parsed {@code --config} names.
     *
     * @param path the {@code --config} value once parsed (null: no file, no defaults)
     */
    YamlDefaults(Supplier<Path> path) {
        this.path = path;
    }

    /**
     * The config file as written, or an empty config without {@code --config}.
     *
     * @return the file's config
     * @throws ConfigException if the file is unreadable, has an unknown key or a value of the wrong
     *     type or outside its flag's values
     */
    JobConfig file() {
        load();
        if (problem != null) {
            throw problem;
        }
        return file;
    }

    /** {@inheritDoc} */
    @Override
    public String defaultValue(ArgSpec arg) {
        String key = arg.descriptionKey();
        if (key == null || key.isEmpty()) {
            return null;
        }
        load();
        if (problem != null) {
            return null; // raised by file() when the job starts
        }
        JsonNode v = tree.at("/" + key.replace('.', '/'));
        if (v.isMissingNode() || v.isNull() || v.isArray() && v.isEmpty()) {
            return null;
        }
        String text = v.isArray() ? joined(v) : v.asText();
        if (!accepted(arg, key, text)) {
            return null;
        }
        // picocli interpolates ${...} in defaults; a YAML value is taken literally.
        return text.replace("${", "$${");
    }

    private void load() {
        if (tree != null || problem != null) {
            return;
        }
        Path p = path.get();
        try {
            file = p == null ? JobConfigLoader.empty() : JobConfigLoader.read(p);
            tree = JobConfigLoader.YAML.valueToTree(file);
        } catch (ConfigException e) {
            problem = e;
        }
    }

    private static String joined(JsonNode array) {
        List<String> items = new ArrayList<>();
        array.forEach(item -> items.add(item.asText()));
        return String.join("\n", items);
    }

    /**
     * Checks a value against its flag's type the way the flag is checked (the enum's values, the
     * option's converter), so a bad YAML value is refused naming its key and flag, as {@link
     * JobConfigLoader#complete} names them, not with a usage error.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private boolean accepted(ArgSpec arg, String key, String text) {
        String field = key + " (" + ((OptionSpec) arg).longestName() + ")";
        try {
            if (arg.type().isEnum()) {
                OptionValues.parse((Class) arg.type(), field, text);
            }
            for (CommandLine.ITypeConverter<?> c : arg.converters()) {
                c.convert(text);
            }
            return true;
        } catch (IllegalArgumentException e) {
            problem = new ConfigException(e.getMessage());
        } catch (Exception e) {
            problem = new ConfigException(field + ": " + e.getMessage());
        }
        return false;
    }
}
