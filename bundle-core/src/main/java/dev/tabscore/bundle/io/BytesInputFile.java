package dev.tabscore.bundle.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over bytes already in memory: golden batches are read from the same
 * bytes that were hashed, so what is verified is what was checked.
 */
final class BytesInputFile implements InputFile {

    private final byte[] data;

    BytesInputFile(byte[] data) {
        this.data = data;
    }

    /** {@inheritDoc} */
    @Override
    public long getLength() {
        return data.length;
    }

    /** {@inheritDoc} */
    @Override
    public SeekableInputStream newStream() {
        return new Stream(data);
    }

    private static final class Stream extends DelegatingSeekableInputStream {
        private final SeekableBytes in;

        Stream(byte[] data) {
            this(new SeekableBytes(data));
        }

        private Stream(SeekableBytes in) {
            super(in);
            this.in = in;
        }

        @Override
        public long getPos() {
            return in.position();
        }

        @Override
        public void seek(long newPos) throws IOException {
            if (newPos < 0 || newPos > in.length()) {
                throw new IOException("seek to " + newPos + " outside 0.." + in.length());
            }
            in.seekTo((int) newPos);
        }

        @Override
        public void readFully(ByteBuffer buf) throws IOException {
            int n = buf.remaining();
            byte[] tmp = new byte[n];
            readFully(tmp, 0, n);
            buf.put(tmp);
        }
    }

    /** A ByteArrayInputStream that can report and set its position. */
    private static final class SeekableBytes extends ByteArrayInputStream {
        SeekableBytes(byte[] data) {
            super(data);
        }

        int position() {
            return pos;
        }

        int length() {
            return count;
        }

        void seekTo(int p) {
            pos = p;
        }
    }
}
