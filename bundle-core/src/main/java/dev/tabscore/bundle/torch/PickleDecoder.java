package dev.tabscore.bundle.torch;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes a whole pickle into instructions before anything is executed. This first pass refuses
 * unknown opcodes, opcodes and PROTO headers above protocol 2, every GLOBAL and INST outside the
 * allow-list, arguments that run past the end, over-long strings, a missing STOP and bytes after
 * it. So a hostile pickle is refused before the interpreter builds a single object.
 */
final class PickleDecoder {

    private static final int MAX_PROTOCOL = 2;

    private final byte[] in;
    private final String where;
    private final TorchLimits limits;
    private int pos;

    private PickleDecoder(byte[] in, String where, TorchLimits limits) {
        this.in = in;
        this.where = where;
        this.limits = limits;
    }

    /**
     * Decodes every opcode up to STOP.
     *
     * @param pickle the pickle bytes
     * @param where the artifact and entry, for messages
     * @param limits the limits on string lengths
     * @return the instructions in stream order, STOP last
     */
    static List<PickleInstruction> decode(byte[] pickle, String where, TorchLimits limits) {
        return new PickleDecoder(pickle, where, limits).decodeAll();
    }

    private List<PickleInstruction> decodeAll() {
        List<PickleInstruction> out = new ArrayList<>();
        while (true) {
            if (pos >= in.length) {
                throw PickleErrors.refused(where, pos, "the pickle ends without STOP (truncated)");
            }
            int offset = pos;
            int code = in[pos++] & 0xff;
            PickleOp op = PickleOp.of(code);
            if (op == null) {
                throw PickleErrors.refused(where, offset, hex(code) + " is not a pickle opcode");
            }
            if (op.protocol() > MAX_PROTOCOL) {
                throw PickleErrors.refused(
                        where,
                        offset,
                        "opcode "
                                + op
                                + " ("
                                + hex(code)
                                + ") belongs to pickle protocol "
                                + op.protocol()
                                + "; only protocols 0 to 2 are read");
            }
            Object arg = argument(op, offset);
            if (op == PickleOp.PROTO && (Long) arg > MAX_PROTOCOL) {
                throw PickleErrors.refused(
                        where,
                        offset,
                        "pickle protocol "
                                + arg
                                + " is not supported; torch.save writes protocol 2");
            }
            out.add(new PickleInstruction(offset, op, arg));
            if (op == PickleOp.STOP) {
                if (pos != in.length) {
                    throw PickleErrors.refused(
                            where, pos, (in.length - pos) + " bytes follow STOP");
                }
                return out;
            }
        }
    }

    private Object argument(PickleOp op, int offset) {
        return switch (op.arg()) {
            case NONE -> null;
            case UINT1 -> (long) (bytes(offset, 1)[0] & 0xff);
            case UINT2 -> littleEndian(offset, 2) & 0xffff;
            case INT4 -> (long) (int) littleEndian(offset, 4);
            case UINT4 -> littleEndian(offset, 4) & 0xffffffffL;
            case FLOAT8 -> ByteBuffer.wrap(bytes(offset, 8)).getDouble();
            case BYTES1 -> utf8(offset, bytes(offset, length(offset, bytes(offset, 1)[0] & 0xff)));
            case BYTES4 ->
                    utf8(offset, bytes(offset, length(offset, (int) littleEndian(offset, 4))));
            case BYTES4U ->
                    utf8(
                            offset,
                            bytes(offset, length(offset, littleEndian(offset, 4) & 0xffffffffL)));
            case LONG1 ->
                    PickleText.littleEndianInteger(
                            bytes(offset, length(offset, bytes(offset, 1)[0] & 0xff)));
            case LONG4 ->
                    PickleText.littleEndianInteger(
                            bytes(offset, length(offset, (int) littleEndian(offset, 4))));
            case LINE -> lineArgument(op, offset, line(offset));
            case TWO_LINES -> global(op, offset);
            case NOT_DECODED -> throw new IllegalStateException("refused before decoding: " + op);
        };
    }

    private Object lineArgument(PickleOp op, int offset, byte[] line) {
        try {
            return switch (op) {
                case INT -> {
                    String text = ascii(line);
                    if (text.equals("01") || text.equals("00")) {
                        yield text.equals("01");
                    }
                    yield PickleText.integer(text);
                }
                case LONG -> {
                    String text = ascii(line);
                    yield PickleText.integer(
                            text.endsWith("L") ? text.substring(0, text.length() - 1) : text);
                }
                case GET, PUT -> PickleText.integer(ascii(line));
                case FLOAT -> PickleText.floating(ascii(line));
                case STRING -> utf8(offset, PickleText.quotedString(line));
                case UNICODE -> PickleText.rawUnicodeEscape(line);
                case PERSID -> ascii(line);
                default -> throw new IllegalStateException("no text argument: " + op);
            };
        } catch (IllegalArgumentException e) {
            throw PickleErrors.refused(where, offset, op + ": " + e.getMessage());
        }
    }

    private Object global(PickleOp op, int offset) {
        String module = utf8(offset, line(offset));
        String name = utf8(offset, line(offset));
        Object resolved = TorchGlobal.resolve(module, name);
        if (resolved == null) {
            throw PickleErrors.refused(
                    where,
                    offset,
                    op
                            + " '"
                            + module
                            + " "
                            + name
                            + "' is not on the weights-only allow-list ("
                            + TorchGlobal.ALLOW_LIST
                            + ")");
        }
        return resolved;
    }

    private int length(int offset, long length) {
        if (length < 0) {
            throw PickleErrors.refused(where, offset, "negative length " + length);
        }
        if (length > limits.maxStringBytes()) {
            throw PickleErrors.limit(
                    where,
                    offset,
                    "a string of "
                            + length
                            + " bytes exceeds the limit of "
                            + limits.maxStringBytes());
        }
        return (int) length;
    }

    private byte[] bytes(int offset, int count) {
        if (count > in.length - pos) {
            throw PickleErrors.refused(
                    where,
                    offset,
                    "the pickle is truncated: "
                            + PickleOp.of(in[offset])
                            + " needs "
                            + count
                            + " bytes, "
                            + (in.length - pos)
                            + " remain");
        }
        byte[] out = Arrays.copyOfRange(in, pos, pos + count);
        pos += count;
        return out;
    }

    private long littleEndian(int offset, int count) {
        byte[] b = bytes(offset, count);
        long value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | (b[i] & 0xff);
        }
        return value;
    }

    private byte[] line(int offset) {
        int limit = (int) Math.min(in.length, (long) pos + limits.maxStringBytes() + 1);
        for (int i = pos; i < limit; i++) {
            if (in[i] == '\n') {
                byte[] out = Arrays.copyOfRange(in, pos, i);
                pos = i + 1;
                return out;
            }
        }
        if (limit < in.length) {
            throw PickleErrors.limit(
                    where, offset, "a text line longer than " + limits.maxStringBytes() + " bytes");
        }
        throw PickleErrors.refused(
                where,
                offset,
                "the pickle is truncated: "
                        + PickleOp.of(in[offset])
                        + " has no newline-terminated argument");
    }

    private String utf8(int offset, byte[] bytes) {
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw PickleErrors.refused(where, offset, "a string is not valid UTF-8");
        }
    }

    private static String ascii(byte[] line) {
        return new String(line, StandardCharsets.ISO_8859_1);
    }

    private static String hex(int code) {
        return String.format("0x%02x", code);
    }
}
