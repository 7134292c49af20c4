package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.torch.PyObjects.PyDict;
import dev.tabscore.bundle.torch.PyObjects.PyList;
import dev.tabscore.bundle.torch.PyObjects.PyNone;
import dev.tabscore.bundle.torch.PyObjects.PyTuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A pickle protocol-2 interpreter for state_dicts that executes nothing from the file. It runs the
 * instructions of {@link PickleDecoder} (so every global was already checked) with Python's stack,
 * mark stack and memo semantics, and calls only the allow-listed callables: OrderedDict() with no
 * arguments, {@code _rebuild_tensor_v2} and {@code _rebuild_parameter}, which yield a {@link
 * TensorRef}. A persistent id yields a {@link StorageRef}; no tensor bytes are read here. Every
 * other use of a global (calling a storage class, NEWOBJ on a function, EXT codes, BUILD on
 * anything but an OrderedDict) is refused, naming the opcode's byte offset.
 */
final class WeightsOnlyUnpickler {

    private static final Pattern STORAGE_KEY = Pattern.compile("[A-Za-z0-9_]{1,64}");

    private final String where;
    private final TorchLimits limits;
    private final List<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markCount;
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new HashMap<>();
    private int offset;

    private WeightsOnlyUnpickler(String where, TorchLimits limits) {
        this.where = where;
        this.limits = limits;
    }

    /**
     * Decodes and runs a pickle.
     *
     * @param pickle the pickle bytes
     * @param where the artifact and entry, for messages
     * @param limits the limits
     * @return the value STOP returned: for a state_dict, a {@link PyDict} of {@link TensorRef}s
     */
    static Object unpickle(byte[] pickle, String where, TorchLimits limits) {
        List<PickleInstruction> program = PickleDecoder.decode(pickle, where, limits);
        return new WeightsOnlyUnpickler(where, limits).run(program);
    }

    private Object run(List<PickleInstruction> program) {
        for (PickleInstruction instruction : program) {
            offset = instruction.offset();
            Object arg = instruction.arg();
            switch (instruction.op()) {
                case PROTO -> {}
                case STOP -> {
                    return stop();
                }
                case MARK -> pushMark();
                case POP -> pop0();
                case POP_MARK -> popMark();
                case DUP -> push(peek());
                case NONE -> push(PyNone.NONE);
                case NEWTRUE -> push(Boolean.TRUE);
                case NEWFALSE -> push(Boolean.FALSE);
                case INT,
                        BININT,
                        BININT1,
                        BININT2,
                        LONG,
                        LONG1,
                        LONG4,
                        FLOAT,
                        BINFLOAT,
                        STRING,
                        BINSTRING,
                        SHORT_BINSTRING,
                        UNICODE,
                        BINUNICODE,
                        GLOBAL ->
                        push(arg);
                case EMPTY_TUPLE -> push(tuple(List.of()));
                case TUPLE -> push(tuple(popMark()));
                case TUPLE1 -> push(tuple(popN(1)));
                case TUPLE2 -> push(tuple(popN(2)));
                case TUPLE3 -> push(tuple(popN(3)));
                case EMPTY_LIST -> push(new PyList());
                case LIST -> {
                    PyList list = new PyList();
                    list.items.addAll(popMark());
                    push(list);
                }
                case APPEND -> list(1).items.add(stack.remove(stack.size() - 1));
                case APPENDS -> {
                    List<Object> items = popMark();
                    list(0).items.addAll(items);
                }
                case EMPTY_DICT -> push(new PyDict(false));
                case DICT -> {
                    PyDict dict = new PyDict(false);
                    putAll(dict, popMark());
                    push(dict);
                }
                case SETITEM -> {
                    List<Object> pair = popN(2);
                    putAll(dict(), pair);
                }
                case SETITEMS -> {
                    List<Object> items = popMark();
                    putAll(dict(), items);
                }
                case GET, BINGET, LONG_BINGET -> push(memoGet(arg));
                case PUT, BINPUT, LONG_BINPUT -> memoPut(arg);
                case BINPERSID -> push(persistentLoad(pop()));
                case PERSID ->
                        throw refused(
                                "PERSID names a text persistent id; torch.save "
                                        + "writes ('storage', ...) tuples with BINPERSID");
                case REDUCE -> {
                    Object args = pop();
                    Object callable = pop();
                    push(call(callable, args));
                }
                case INST -> push(call(arg, tuple(popMark())));
                case OBJ -> {
                    List<Object> items = popMark();
                    if (items.isEmpty()) {
                        throw refused("OBJ without a class");
                    }
                    push(call(items.get(0), tuple(items.subList(1, items.size()))));
                }
                case NEWOBJ -> {
                    Object args = pop();
                    push(newObject(pop(), args));
                }
                case BUILD -> build(pop());
                case EXT1, EXT2, EXT4 ->
                        throw refused(
                                instruction.op()
                                        + " names extension code "
                                        + arg
                                        + ", which is not registered (the extension registry is empty)");
                default -> throw refused("opcode " + instruction.op() + " is not executed");
            }
        }
        throw refused("the pickle ends without STOP");
    }

    private Object stop() {
        if (markCount != 0 || stack.size() != 1) {
            throw refused(
                    "STOP with "
                            + stack.size()
                            + " values and "
                            + markCount
                            + " open marks on the stack; expected exactly one value");
        }
        return stack.get(0);
    }

    private void push(Object value) {
        checkDepth();
        stack.add(value);
    }

    private void pushMark() {
        checkDepth();
        if (markCount == marks.length) {
            marks = Arrays.copyOf(marks, marks.length * 2);
        }
        marks[markCount++] = stack.size();
    }

    private void checkDepth() {
        if (stack.size() + markCount >= limits.maxStackDepth()) {
            throw PickleErrors.limit(
                    where,
                    offset,
                    "the stack depth exceeds the limit of "
                            + limits.maxStackDepth()
                            + " values and marks");
        }
    }

    private int base() {
        return markCount == 0 ? 0 : marks[markCount - 1];
    }

    private Object peek() {
        if (stack.size() <= base()) {
            throw refused("stack underflow (nothing above the current mark)");
        }
        return stack.get(stack.size() - 1);
    }

    private Object pop() {
        Object top = peek();
        stack.remove(stack.size() - 1);
        return top;
    }

    /** POP: like CPython, pops the mark itself when nothing is above it. */
    private void pop0() {
        if (stack.size() > base()) {
            stack.remove(stack.size() - 1);
        } else if (markCount > 0) {
            markCount--;
        } else {
            throw refused("POP on an empty stack");
        }
    }

    private List<Object> popN(int n) {
        if (stack.size() - base() < n) {
            throw refused("stack underflow: needs " + n + " values above the current mark");
        }
        List<Object> top = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private List<Object> popMark() {
        if (markCount == 0) {
            throw refused("no MARK on the stack");
        }
        int mark = marks[--markCount];
        List<Object> top = stack.subList(mark, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private PyTuple tuple(List<Object> items) {
        PyTuple tuple = PyTuple.of(items);
        if (tuple.depth() > limits.maxNesting()) {
            throw PickleErrors.limit(
                    where,
                    offset,
                    "tuples nested "
                            + tuple.depth()
                            + " deep exceed the limit of "
                            + limits.maxNesting());
        }
        return tuple;
    }

    private PyList list(int above) {
        int index = stack.size() - 1 - above;
        if (index < base() || !(stack.get(index) instanceof PyList list)) {
            throw refused("APPEND/APPENDS target is not a list");
        }
        return list;
    }

    private PyDict dict() {
        if (!(peek() instanceof PyDict dict)) {
            throw refused(
                    "SETITEM/SETITEMS target is a " + PyObjects.typeName(peek()) + ", not a dict");
        }
        return dict;
    }

    private void putAll(PyDict dict, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw refused("odd number of items (" + items.size() + ") for a dict");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object key = items.get(i);
            if (!PyObjects.isHashable(key)) {
                throw refused("a dict key of type " + PyObjects.typeName(key) + " is not allowed");
            }
            dict.items.put(key, items.get(i + 1));
        }
    }

    private Object memoGet(Object key) {
        Object value = key instanceof Long index ? memo.get(index) : null;
        if (value == null) {
            throw refused("memo key " + key + " is not defined");
        }
        return value;
    }

    private void memoPut(Object key) {
        if (!(key instanceof Long index) || index < 0) {
            throw refused("memo key " + key + " is negative or too large");
        }
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemoEntries()) {
            throw PickleErrors.limit(
                    where,
                    offset,
                    "the memo exceeds the limit of " + limits.maxMemoEntries() + " entries");
        }
        memo.put(index, peek());
    }

    private StorageRef persistentLoad(Object pid) {
        if (!(pid instanceof PyTuple id)
                || id.size() != 5
                || !"storage".equals(id.get(0))
                || !(id.get(1) instanceof DType dtype)
                || !(id.get(2) instanceof String key)
                || !(id.get(3) instanceof String location)
                || !(id.get(4) instanceof Long numel)) {
            throw refused(
                    "persistent id is a "
                            + PyObjects.typeName(pid)
                            + "; expected ('storage', torch.<T>Storage, key, location, numel)");
        }
        if (!STORAGE_KEY.matcher(key).matches()) {
            throw refused("storage key '" + shorten(key) + "' is not 1 to 64 letters, digits or _");
        }
        if (numel < 0) {
            throw refused("storage '" + key + "' declares a negative element count " + numel);
        }
        StorageRef storage = new StorageRef(key, dtype, numel, location);
        StorageRef known = storages.putIfAbsent(key, storage);
        if (known == null) {
            if (storages.size() > limits.maxTensors()) {
                throw PickleErrors.limit(
                        where, offset, "more than " + limits.maxTensors() + " storages");
            }
            return storage;
        }
        if (known.dtype() != dtype || known.numel() != numel) {
            throw refused(
                    "storage '"
                            + key
                            + "' is declared twice, as "
                            + known.numel()
                            + " "
                            + known.dtype()
                            + " and as "
                            + numel
                            + " "
                            + dtype);
        }
        return known;
    }

    private Object call(Object callable, Object args) {
        if (!(args instanceof PyTuple tuple)) {
            throw refused(
                    "the arguments of a call are a " + PyObjects.typeName(args) + ", not a tuple");
        }
        if (callable instanceof TorchGlobal global) {
            return switch (global) {
                case ORDERED_DICT -> {
                    if (tuple.size() != 0) {
                        throw refused(
                                "OrderedDict() is called with "
                                        + tuple.size()
                                        + " arguments; only an empty OrderedDict is built");
                    }
                    yield new PyDict(true);
                }
                case REBUILD_TENSOR_V2 -> rebuildTensor(tuple);
                case REBUILD_PARAMETER -> rebuildParameter(tuple);
            };
        }
        if (callable instanceof DType type) {
            throw refused(
                    "torch."
                            + type.storageClass()
                            + " is called; storages may only "
                            + "appear inside a persistent id");
        }
        throw refused(
                "a "
                        + PyObjects.typeName(callable)
                        + " is called; only the "
                        + "allow-listed callables may be");
    }

    private TensorRef rebuildTensor(PyTuple args) {
        if (args.size() != 6 && args.size() != 7) {
            throw refused("_rebuild_tensor_v2 takes 6 or 7 arguments, got " + args.size());
        }
        if (!(args.get(0) instanceof StorageRef storage)) {
            throw refused(
                    "_rebuild_tensor_v2: argument 0 is a "
                            + PyObjects.typeName(args.get(0))
                            + ", not a storage");
        }
        long storageOffset = nonNegative(args.get(1), "storage_offset");
        long[] shape = longs(args.get(2), "size");
        long[] stride = longs(args.get(3), "stride");
        if (shape.length != stride.length) {
            throw refused(
                    "_rebuild_tensor_v2: size has "
                            + shape.length
                            + " dimensions, stride "
                            + stride.length);
        }
        if (!(args.get(4) instanceof Boolean)) {
            throw refused(
                    "_rebuild_tensor_v2: requires_grad is a " + PyObjects.typeName(args.get(4)));
        }
        requireEmptyHooks(args.get(5), "_rebuild_tensor_v2");
        if (args.size() == 7 && args.get(6) != PyNone.NONE && !(args.get(6) instanceof PyDict)) {
            throw refused("_rebuild_tensor_v2: metadata is a " + PyObjects.typeName(args.get(6)));
        }
        return new TensorRef(storage, storageOffset, shape, stride);
    }

    private TensorRef rebuildParameter(PyTuple args) {
        if (args.size() != 3
                || !(args.get(0) instanceof TensorRef tensor)
                || !(args.get(1) instanceof Boolean)) {
            throw refused("_rebuild_parameter takes (tensor, requires_grad, backward_hooks)");
        }
        requireEmptyHooks(args.get(2), "_rebuild_parameter");
        return tensor;
    }

    private void requireEmptyHooks(Object hooks, String function) {
        if (!(hooks instanceof PyDict dict) || !dict.items.isEmpty()) {
            throw refused(
                    function
                            + ": backward_hooks must be an empty OrderedDict, got a "
                            + PyObjects.typeName(hooks)
                            + (hooks instanceof PyDict d ? " of " + d.items.size() : ""));
        }
    }

    private long nonNegative(Object value, String what) {
        if (!(value instanceof Long number) || number < 0) {
            throw refused("_rebuild_tensor_v2: " + what + " is not a non-negative int");
        }
        return number;
    }

    private long[] longs(Object value, String what) {
        if (!(value instanceof PyTuple tuple)) {
            throw refused(
                    "_rebuild_tensor_v2: "
                            + what
                            + " is a "
                            + PyObjects.typeName(value)
                            + ", not a tuple");
        }
        long[] out = new long[tuple.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = nonNegative(tuple.get(i), what + "[" + i + "]");
        }
        return out;
    }

    private Object newObject(Object cls, Object args) {
        if (cls == TorchGlobal.ORDERED_DICT && args instanceof PyTuple tuple && tuple.size() == 0) {
            return new PyDict(true);
        }
        throw refused(
                "NEWOBJ on a "
                        + PyObjects.typeName(cls)
                        + "; only OrderedDict with no arguments is built");
    }

    private void build(Object state) {
        Object target = peek();
        if (!(target instanceof PyDict dict) || !dict.ordered) {
            throw refused(
                    "BUILD on a "
                            + PyObjects.typeName(target)
                            + "; only an OrderedDict's attributes (_metadata) may be set");
        }
        if (!(state instanceof PyDict attributes)) {
            throw refused("BUILD state is a " + PyObjects.typeName(state) + ", not a dict");
        }
        for (Map.Entry<Object, Object> entry : attributes.items.entrySet()) {
            if (!(entry.getKey() instanceof String)) {
                throw refused("BUILD attribute name is a " + PyObjects.typeName(entry.getKey()));
            }
            dict.attributes.put(entry.getKey(), entry.getValue());
        }
    }

    private RuntimeException refused(String what) {
        return PickleErrors.refused(where, offset, what);
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
