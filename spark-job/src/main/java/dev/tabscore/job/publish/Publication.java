package dev.tabscore.job.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a run's staged files visible together, or not at all: a list of moves (staged path to
 * published path, the path they replace going to a trash path first) carried out after a journal
 * listing them is written, and undone from that journal when a move fails or when the process died
 * half-way (the next run calls {@link #recover}). Deleting the journal is the commit point; the
 * replaced paths are deleted after it.
 *
 * <p>Hand-written because Spark's commit protocol publishes one write job into one directory: it
 * cannot replace an earlier run's files only once a later check passed, nor publish data, rejects,
 * summary and report as one unit. Every move is a Hadoop {@code FileSystem.rename} of a file or
 * directory: atomic on local file systems and HDFS, a copy then delete of each object on S3A and
 * GCS (so on object stores a reader may see a half-published output for the duration of the copies,
 * and a crash then is repaired by the next run, not by the store).
 */
public final class Publication {

    private static final Logger LOG = LoggerFactory.getLogger(Publication.class);

    /**
     * Test-only fault ({@code tabscore.fail_publish_before}): fail before the second move whose
     * description starts with this (the first when only one does), e.g. {@code data} fails after
     * one data move was done; null for none.
     */
    private final String failBefore;

    /** Test-only: milliseconds to pause after each move (kill-mid-publish tests). */
    private final long pauseMillis;

    /**
     * One move: {@code from} becomes {@code to}; whatever was at {@code to} goes to {@code trash}
     * first. A move without {@code from} only removes {@code to} (an old data file that an {@code
     * overwrite} does not write again).
     *
     * @param what what is moved (for messages: "data", "rejects", "summary")
     * @param from the staged path, or null to remove {@code to}
     * @param to the published path
     * @param trash where the replaced path goes until the commit point
     */
    public record Move(String what, Path from, Path to, Path trash) {}

    private final Path journal;
    private final List<Move> moves = new ArrayList<>();

    /**
     * A publication whose journal is {@code journal}.
     *
     * @param journal the journal file (inside the run's staging directory)
     * @param failBefore test-only fault (see {@link #failBefore}); null for none
     * @param pauseMillis test-only pause after each move; 0 for none
     */
    public Publication(Path journal, String failBefore, long pauseMillis) {
        this.journal = journal;
        this.failBefore = failBefore;
        this.pauseMillis = pauseMillis;
    }

    /**
     * Adds a move.
     *
     * @param move the move
     * @return this
     */
    public Publication add(Move move) {
        moves.add(move);
        return this;
    }

    /**
     * The moves added so far.
     *
     * @return the moves, in order
     */
    public List<Move> moves() {
        return List.copyOf(moves);
    }

    /**
     * Carries out every move, then deletes the journal (the commit point) and the replaced paths.
     * On a failure every move done is undone, and the exception names the move.
     *
     * @param conf the Hadoop configuration
     * @throws PublishException if the publication failed (everything undone) or could not be undone
     *     (then the journal stays, and the next run's {@link #recover} undoes it)
     */
    public void commit(Configuration conf) {
        // One publication at a time per JVM: a backfill's snapshots share _SUCCESS.
        synchronized (Publication.class) {
            commitAlone(conf);
        }
    }

    private void commitAlone(Configuration conf) {
        try {
            PublicationJournal.write(conf, journal, moves);
        } catch (IOException e) {
            throw new PublishException(
                    "cannot write the publication journal " + journal + ": " + e.getMessage(),
                    e,
                    true);
        }
        int failAt = faultIndex();
        int i = 0;
        try {
            for (; i < moves.size(); i++) {
                Move m = moves.get(i);
                if (i == failAt) {
                    throw new IOException(
                            "test fault injection: tabscore.fail_publish_before="
                                    + failBefore
                                    + " (before publishing the "
                                    + m.what()
                                    + ")");
                }
                apply(conf, m);
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
        } catch (IOException | RuntimeException | InterruptedException e) {
            Move m = moves.get(Math.min(i, moves.size() - 1));
            try {
                undo(conf, moves);
                delete(conf, journal);
            } catch (IOException u) {
                e.addSuppressed(u);
                throw new PublishException(
                        "publishing the "
                                + m.what()
                                + " ("
                                + m.to()
                                + ") failed and could not be undone; the next run undoes it from "
                                + journal
                                + ": "
                                + e.getMessage(),
                        e,
                        false);
            }
            throw new PublishException(
                    "publishing the "
                            + m.what()
                            + " ("
                            + m.to()
                            + ") failed; nothing was published, the previous output is unchanged: "
                            + e.getMessage(),
                    e,
                    true);
        }
        try {
            delete(conf, journal); // the commit point
        } catch (IOException e) {
            // Still uncommitted: undo, so that a later recovery finds nothing to do.
            try {
                undo(conf, moves);
                delete(conf, journal);
            } catch (IOException u) {
                e.addSuppressed(u);
            }
            throw new PublishException(
                    "cannot delete the publication journal " + journal + ": " + e.getMessage(),
                    e,
                    true);
        }
        for (Move m : moves) {
            try {
                delete(conf, m.trash());
            } catch (IOException e) {
                LOG.warn(
                        "could not delete the replaced "
                                + m.what()
                                + " "
                                + m.trash()
                                + ": "
                                + e.getMessage());
            }
        }
    }

    private int faultIndex() {
        if (failBefore == null) {
            return -1;
        }
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < moves.size(); i++) {
            if (moves.get(i).what().startsWith(failBefore)) {
                hits.add(i);
            }
        }
        return hits.isEmpty() ? -1 : hits.get(Math.min(1, hits.size() - 1));
    }

    private static void apply(Configuration conf, Move m) throws IOException {
        FileSystem fs = m.to().getFileSystem(conf);
        if (fs.exists(m.to())) {
            fs.mkdirs(m.trash().getParent());
            rename(fs, m.to(), m.trash());
        }
        if (m.from() != null) {
            fs.mkdirs(m.to().getParent());
            rename(fs, m.from(), m.to());
        }
    }

    /** Undoes moves in reverse order; each step is a no-op when it was not done. */
    private static void undo(Configuration conf, List<Move> moves) throws IOException {
        for (int i = moves.size() - 1; i >= 0; i--) {
            Move m = moves.get(i);
            FileSystem fs = m.to().getFileSystem(conf);
            if (m.from() != null && !fs.exists(m.from()) && fs.exists(m.to())) {
                fs.mkdirs(m.from().getParent());
                rename(fs, m.to(), m.from());
            }
            if (fs.exists(m.trash()) && !fs.exists(m.to())) {
                rename(fs, m.trash(), m.to());
            }
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        // Hadoop's rename moves into an existing directory instead of replacing it, and says
        // false instead of throwing on most failures.
        if (fs.exists(to)) {
            throw new IOException("cannot move " + from + " to " + to + ": the target exists");
        }
        if (!fs.rename(from, to)) {
            throw new IOException("rename " + from + " -> " + to + " failed");
        }
    }

    private static void delete(Configuration conf, Path p) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        if (fs.exists(p) && !fs.delete(p, true)) {
            throw new IOException("delete " + p + " failed");
        }
    }

    /**
     * Undoes a publication that a process left half-done (it died between its journal and its
     * commit point): every path it replaced is restored, every path it published is taken back to
     * its staging place. A journal that cannot be read is left in place and reported.
     *
     * @param conf the Hadoop configuration
     * @param journal the journal file
     * @return true if a journal was found and undone
     * @throws IOException if it cannot be undone
     */
    public static boolean recover(Configuration conf, Path journal) throws IOException {
        List<Move> moves = PublicationJournal.read(conf, journal);
        if (moves == null) {
            return false;
        }
        undo(conf, moves);
        delete(conf, journal);
        return true;
    }
}
