package dev.tabscore.bundle.torch;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes by hand, so tests can build well-formed and hostile pickles alike. */
final class PickleWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter op(PickleOp op) {
        out.write(op.code());
        return this;
    }

    PickleWriter raw(int... bytes) {
        for (int b : bytes) {
            out.write(b);
        }
        return this;
    }

    PickleWriter text(String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleWriter proto(int version) {
        return op(PickleOp.PROTO).raw(version);
    }

    PickleWriter global(String module, String name) {
        return op(PickleOp.GLOBAL).text(module + "\n" + name + "\n");
    }

    PickleWriter unicode(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        op(PickleOp.BINUNICODE).int4(utf8.length);
        out.writeBytes(utf8);
        return this;
    }

    PickleWriter integer(long value) {
        if (value >= 0 && value < 256) {
            return op(PickleOp.BININT1).raw((int) value);
        }
        if (value >= 0 && value < 65536) {
            return op(PickleOp.BININT2).raw((int) value & 0xff, (int) (value >>> 8));
        }
        return op(PickleOp.BININT).int4((int) value);
    }

    PickleWriter int4(int value) {
        return raw(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
    }

    PickleWriter put(int index) {
        return op(PickleOp.BINPUT).raw(index);
    }

    PickleWriter get(int index) {
        return op(PickleOp.BINGET).raw(index);
    }

    PickleWriter longs(long... values) {
        op(PickleOp.MARK);
        for (long value : values) {
            integer(value);
        }
        return op(PickleOp.TUPLE);
    }

    /** Pushes an empty OrderedDict: GLOBAL, EMPTY_TUPLE, REDUCE. */
    PickleWriter orderedDict() {
        return global("collections", "OrderedDict").op(PickleOp.EMPTY_TUPLE).op(PickleOp.REDUCE);
    }

    /** Pushes {@code _rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())}. */
    PickleWriter tensor(TensorDecl t) {
        global("torch._utils", "_rebuild_tensor_v2").op(PickleOp.MARK);
        op(PickleOp.MARK)
                .unicode("storage")
                .global("torch", t.dtype().storageClass())
                .unicode(t.key())
                .unicode("cpu")
                .integer(t.numel())
                .op(PickleOp.TUPLE)
                .op(PickleOp.BINPERSID);
        integer(t.offset()).longs(t.size()).longs(t.stride()).op(PickleOp.NEWFALSE).orderedDict();
        return op(PickleOp.TUPLE).op(PickleOp.REDUCE);
    }

    /** A whole state_dict pickle as torch.save writes it (protocol 2, OrderedDict, SETITEMS). */
    static byte[] stateDict(TensorDecl... tensors) {
        PickleWriter w = new PickleWriter().proto(2).orderedDict().op(PickleOp.MARK);
        for (TensorDecl t : tensors) {
            w.unicode(t.name()).tensor(t);
        }
        return w.op(PickleOp.SETITEMS).op(PickleOp.STOP).bytes();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** One tensor of a hand-built state_dict. */
    record TensorDecl(
            String name,
            DType dtype,
            String key,
            long numel,
            long offset,
            long[] size,
            long[] stride) {

        static TensorDecl contiguous(String name, DType dtype, String key, long... size) {
            long[] stride = new long[size.length];
            long numel = 1;
            for (int d = size.length - 1; d >= 0; d--) {
                stride[d] = numel;
                numel *= size[d];
            }
            return new TensorDecl(name, dtype, key, numel, 0, size, stride);
        }
    }
}
