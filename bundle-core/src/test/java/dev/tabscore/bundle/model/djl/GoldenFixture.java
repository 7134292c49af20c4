package dev.tabscore.bundle.model.djl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tabscore.bundle.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One fixture bundle's model side: spec, golden features cast to float32, and the golden model
 * columns. Paths are relative to the bundle-core module (surefire's working directory).
 */
record GoldenFixture(
        String set,
        String bundle,
        Path dir,
        JsonNode metadata,
        ModelSpec spec,
        int rows,
        float[] features,
        Map<String, double[]> columns) {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    static final List<String> SETS =
            List.of("sklearn-1.2.1", "sklearn-1.2.1-skops-0.9", "sklearn-1.6.1", "sklearn-1.9.1");
    static final List<String> BUNDLES =
            List.of("seed-binary", "multiclass-softmax", "regression-ordinal", "infrequent-kbins");

    static List<GoldenFixture> all() {
        List<GoldenFixture> out = new ArrayList<>();
        for (String set : SETS) {
            for (String bundle : BUNDLES) {
                out.add(load(set, bundle));
            }
        }
        return out;
    }

    static GoldenFixture load(String set, String bundle) {
        Path dir = FIXTURES.resolve(set).resolve(bundle);
        try {
            JsonNode metadata = new ObjectMapper().readTree(dir.resolve("metadata.json").toFile());
            ModelSpec spec = ModelSpec.fromJson(metadata.get("model"));
            List<String> lines = Files.readAllLines(dir.resolve("golden_output.csv"));
            String[] header = lines.get(0).split(",", -1);
            int rows = lines.size() - 1;
            double[][] byColumn = new double[header.length][rows];
            for (int r = 0; r < rows; r++) {
                String[] cells = lines.get(r + 1).split(",", -1);
                for (int c = 0; c < header.length; c++) {
                    byColumn[c][r] = Double.parseDouble(cells[c]);
                }
            }
            Map<String, double[]> columns = new HashMap<>();
            for (int c = 0; c < header.length; c++) {
                columns.put(header[c], byColumn[c]);
            }
            JsonNode names = metadata.get("feature_names_out");
            float[] features = new float[rows * names.size()];
            for (int j = 0; j < names.size(); j++) {
                double[] column = columns.get(names.get(j).asText());
                for (int r = 0; r < rows; r++) {
                    features[r * names.size() + j] = (float) column[r];
                }
            }
            return new GoldenFixture(set, bundle, dir, metadata, spec, rows, features, columns);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] bytes(String file) {
        try {
            return Files.readAllBytes(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden raw-output columns, one per output: logit, logit_c, or prediction. */
    List<String> rawColumns() {
        return switch (metadata.get("task").asText()) {
            case "binary_classification" -> List.of("logit");
            case "regression" -> List.of("prediction");
            default -> classColumns("logit_");
        };
    }

    /** The golden head-output columns: prob, prob_c, or prediction. */
    List<String> headColumns() {
        return switch (metadata.get("task").asText()) {
            case "binary_classification" -> List.of("prob");
            case "regression" -> List.of("prediction");
            default -> classColumns("prob_");
        };
    }

    private List<String> classColumns(String prefix) {
        List<String> out = new ArrayList<>();
        metadata.get("classes").forEach(c -> out.add(prefix + c.asText()));
        return out;
    }

    @Override
    public String toString() {
        return set + "/" + bundle;
    }
}
