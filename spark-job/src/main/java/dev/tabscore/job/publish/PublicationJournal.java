package dev.tabscore.job.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The journal file of a {@link Publication}: its moves as a JSON list, written before the first
 * move and read back by {@link Publication#recover}. Apart from the publication so that the
 * journal's format is written and read in one place.
 */
final class PublicationJournal {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PublicationJournal() {}

    /**
     * Writes (or replaces) a journal.
     *
     * @param conf the Hadoop configuration
     * @param journal the journal file
     * @param moves the moves, in order
     * @throws IOException if it cannot be written
     */
    static void write(Configuration conf, Path journal, List<Publication.Move> moves)
            throws IOException {
        ArrayNode list = JSON.createArrayNode();
        for (Publication.Move m : moves) {
            ObjectNode o = list.addObject();
            o.put("what", m.what());
            o.put("from", m.from() == null ? null : m.from().toString());
            o.put("to", m.to().toString());
            o.put("trash", m.trash().toString());
        }
        FileSystem fs = journal.getFileSystem(conf);
        try (OutputStream out = fs.create(journal, true)) {
            JSON.writeValue(out, list);
        }
    }

    /**
     * Reads a journal.
     *
     * @param conf the Hadoop configuration
     * @param journal the journal file
     * @return its moves, in order, or null when there is no journal
     * @throws IOException if it exists but cannot be read
     */
    static List<Publication.Move> read(Configuration conf, Path journal) throws IOException {
        FileSystem fs = journal.getFileSystem(conf);
        JsonNode list;
        try (InputStream in = fs.open(journal)) {
            list = JSON.readTree(in);
        } catch (FileNotFoundException e) {
            return null;
        }
        List<Publication.Move> moves = new ArrayList<>();
        for (JsonNode o : list) {
            moves.add(
                    new Publication.Move(
                            o.path("what").asText(),
                            o.path("from").isNull() ? null : new Path(o.path("from").asText()),
                            new Path(o.path("to").asText()),
                            new Path(o.path("trash").asText())));
        }
        return moves;
    }
}
