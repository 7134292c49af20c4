package dev.tabscore.bundle.torch;

/**
 * Every pickle opcode of protocols 0 to 5, with the protocol that introduced it and the form of its
 * inline argument. The interpreter executes those of protocol 2 and below; the others are listed so
 * that a refusal can name them.
 */
enum PickleOp {
    MARK('(', 0, Arg.NONE),
    STOP('.', 0, Arg.NONE),
    POP('0', 0, Arg.NONE),
    POP_MARK('1', 0, Arg.NONE),
    DUP('2', 0, Arg.NONE),
    FLOAT('F', 0, Arg.LINE),
    INT('I', 0, Arg.LINE),
    BININT('J', 1, Arg.INT4),
    BININT1('K', 1, Arg.UINT1),
    LONG('L', 0, Arg.LINE),
    BININT2('M', 1, Arg.UINT2),
    NONE('N', 0, Arg.NONE),
    PERSID('P', 0, Arg.LINE),
    BINPERSID('Q', 1, Arg.NONE),
    REDUCE('R', 0, Arg.NONE),
    STRING('S', 0, Arg.LINE),
    BINSTRING('T', 1, Arg.BYTES4),
    SHORT_BINSTRING('U', 1, Arg.BYTES1),
    UNICODE('V', 0, Arg.LINE),
    BINUNICODE('X', 1, Arg.BYTES4U),
    APPEND('a', 0, Arg.NONE),
    BUILD('b', 0, Arg.NONE),
    GLOBAL('c', 0, Arg.TWO_LINES),
    DICT('d', 0, Arg.NONE),
    EMPTY_DICT('}', 1, Arg.NONE),
    APPENDS('e', 1, Arg.NONE),
    GET('g', 0, Arg.LINE),
    BINGET('h', 1, Arg.UINT1),
    INST('i', 0, Arg.TWO_LINES),
    LONG_BINGET('j', 1, Arg.UINT4),
    LIST('l', 0, Arg.NONE),
    EMPTY_LIST(']', 1, Arg.NONE),
    OBJ('o', 1, Arg.NONE),
    PUT('p', 0, Arg.LINE),
    BINPUT('q', 1, Arg.UINT1),
    LONG_BINPUT('r', 1, Arg.UINT4),
    SETITEM('s', 0, Arg.NONE),
    TUPLE('t', 0, Arg.NONE),
    EMPTY_TUPLE(')', 1, Arg.NONE),
    SETITEMS('u', 1, Arg.NONE),
    BINFLOAT('G', 1, Arg.FLOAT8),
    PROTO(0x80, 2, Arg.UINT1),
    NEWOBJ(0x81, 2, Arg.NONE),
    EXT1(0x82, 2, Arg.UINT1),
    EXT2(0x83, 2, Arg.UINT2),
    EXT4(0x84, 2, Arg.INT4),
    TUPLE1(0x85, 2, Arg.NONE),
    TUPLE2(0x86, 2, Arg.NONE),
    TUPLE3(0x87, 2, Arg.NONE),
    NEWTRUE(0x88, 2, Arg.NONE),
    NEWFALSE(0x89, 2, Arg.NONE),
    LONG1(0x8a, 2, Arg.LONG1),
    LONG4(0x8b, 2, Arg.LONG4),
    BINBYTES('B', 3, Arg.NOT_DECODED),
    SHORT_BINBYTES('C', 3, Arg.NOT_DECODED),
    SHORT_BINUNICODE(0x8c, 4, Arg.NOT_DECODED),
    BINUNICODE8(0x8d, 4, Arg.NOT_DECODED),
    BINBYTES8(0x8e, 4, Arg.NOT_DECODED),
    EMPTY_SET(0x8f, 4, Arg.NOT_DECODED),
    ADDITEMS(0x90, 4, Arg.NOT_DECODED),
    FROZENSET(0x91, 4, Arg.NOT_DECODED),
    NEWOBJ_EX(0x92, 4, Arg.NOT_DECODED),
    STACK_GLOBAL(0x93, 4, Arg.NOT_DECODED),
    MEMOIZE(0x94, 4, Arg.NOT_DECODED),
    FRAME(0x95, 4, Arg.NOT_DECODED),
    BYTEARRAY8(0x96, 5, Arg.NOT_DECODED),
    NEXT_BUFFER(0x97, 5, Arg.NOT_DECODED),
    READONLY_BUFFER(0x98, 5, Arg.NOT_DECODED);

    /** The form of an opcode's inline argument. */
    enum Arg {
        /** No argument. */
        NONE,
        /** 1-byte unsigned integer. */
        UINT1,
        /** 2-byte little-endian unsigned integer. */
        UINT2,
        /** 4-byte little-endian signed integer. */
        INT4,
        /** 4-byte little-endian unsigned integer. */
        UINT4,
        /** 8-byte big-endian IEEE double. */
        FLOAT8,
        /** 1-byte length, then that many bytes. */
        BYTES1,
        /** 4-byte signed length, then that many bytes. */
        BYTES4,
        /** 4-byte unsigned length, then that many bytes of UTF-8. */
        BYTES4U,
        /** 1-byte length, then a little-endian two's-complement integer. */
        LONG1,
        /** 4-byte signed length, then a little-endian two's-complement integer. */
        LONG4,
        /** A text line ending in a newline. */
        LINE,
        /** Two text lines (module, name). */
        TWO_LINES,
        /** An opcode above protocol 2, refused before its argument is read. */
        NOT_DECODED
    }

    private static final PickleOp[] BY_CODE = new PickleOp[256];

    static {
        for (PickleOp op : values()) {
            BY_CODE[op.code] = op;
        }
    }

    private final int code;
    private final int protocol;
    private final Arg arg;

    PickleOp(int code, int protocol, Arg arg) {
        this.code = code;
        this.protocol = protocol;
        this.arg = arg;
    }

    /** Returns the opcode byte. */
    int code() {
        return code;
    }

    /** Returns the protocol that introduced the opcode. */
    int protocol() {
        return protocol;
    }

    /** Returns the form of the inline argument. */
    Arg arg() {
        return arg;
    }

    /** Returns the opcode of a byte, or null for a byte that is no opcode in any protocol. */
    static PickleOp of(int code) {
        return BY_CODE[code & 0xff];
    }
}
