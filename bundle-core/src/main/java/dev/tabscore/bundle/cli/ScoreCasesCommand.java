package dev.tabscore.bundle.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tabscore.bundle.BundleException;
import dev.tabscore.bundle.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tabscore bundle score-cases DIR}: {@code bundle score --features --rejects} over many
 * bundles in one JVM (JVM and libtorch start-up cost more than scoring a small case). Every
 * subfolder CASE of DIR holding {@code CASE/bundle/} and {@code CASE/input.parquet} is verified and
 * scored into {@code CASE/java/}: {@code output.parquet}, {@code features.parquet}, {@code
 * rejects.parquet} and {@code result.json} ({@code exit_code}, {@code reason}, {@code message};
 * exit code 0 when scored, else the code {@code bundle score} would exit with). A refused case does
 * not stop the others. Used by the differential fuzzer (scripts/difffuzz/).
 */
@Command(
        name = "score-cases",
        mixinStandardHelpOptions = true,
        description =
                "Verify and score every CASE/bundle over CASE/input.parquet under DIR, "
                        + "writing CASE/java/ (features, outputs, rejects, result.json).")
final class ScoreCasesCommand implements Callable<Integer> {

    static final String BUNDLE = "bundle";
    static final String INPUT = "input.parquet";
    static final String OUT = "java";

    @Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of case folders.")
    Path dir;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws IOException {
        List<Path> cases = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(
                            p ->
                                    Files.isDirectory(p.resolve(BUNDLE))
                                            && Files.isRegularFile(p.resolve(INPUT)))
                    .sorted()
                    .forEach(cases::add);
        }
        PrintWriter out = spec.commandLine().getOut();
        ObjectMapper json = new ObjectMapper();
        int refused = 0;
        for (Path c : cases) {
            Path o = c.resolve(OUT);
            Files.createDirectories(o);
            for (String f :
                    new String[] {
                        "output.parquet", "features.parquet", "rejects.parquet", "result.json"
                    }) {
                Files.deleteIfExists(o.resolve(f));
            }
            FileScoring.Request q = new FileScoring.Request();
            q.dir = c.resolve(BUNDLE).toString();
            q.input = c.resolve(INPUT).toString();
            q.output = o.resolve("output.parquet").toString();
            q.features = o.resolve("features.parquet").toString();
            q.rejects = o.resolve("rejects.parquet").toString();
            q.runId = "score-cases";
            ObjectNode r = json.createObjectNode();
            long t0 = System.nanoTime();
            try {
                FileScoring.Outcome res = FileScoring.run(q, new PrintWriter(new StringWriter()));
                r.put("exit_code", ExitCodes.OK);
                r.put("rows", res.rows());
                r.put("scored", res.scored());
                r.put("rejected", res.rejected());
            } catch (RuntimeException | IOException | LinkageError e) {
                int code = ExitCodes.of(e);
                r.put("exit_code", code);
                r.put("reason", e instanceof BundleException be ? be.reason().name() : "INTERNAL");
                r.put("message", String.valueOf(e.getMessage()));
                if (code == ExitCodes.INTERNAL) {
                    StringWriter st = new StringWriter();
                    e.printStackTrace(new PrintWriter(st));
                    r.put("stack", st.toString());
                }
                refused++;
            }
            r.put("millis", (System.nanoTime() - t0) / 1_000_000);
            json.writerWithDefaultPrettyPrinter().writeValue(o.resolve("result.json").toFile(), r);
            out.printf("%s: exit %d%n", c.getFileName(), r.get("exit_code").asInt());
        }
        out.printf(
                "score-cases: %d cases, %d scored, %d refused%n",
                cases.size(), cases.size() - refused, refused);
        return 0;
    }
}
