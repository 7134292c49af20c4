package dev.tabscore.bundle.torch;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python values the interpreter builds. Scalars map to Java types (Long or BigInteger for int,
 * Double, Boolean, String); the containers and None get the small types below.
 */
final class PyObjects {

    private PyObjects() {}

    /** Python's None (the stack cannot hold Java null). */
    enum PyNone {
        /** The one None. */
        NONE
    }

    /**
     * An immutable tuple.
     *
     * @param items the elements
     * @param depth 1 plus the depth of the deepest tuple inside, which bounds recursion
     */
    record PyTuple(List<Object> items, int depth) {

        /** Creates a tuple, computing its depth. */
        static PyTuple of(List<Object> items) {
            int depth = 1;
            for (Object item : items) {
                if (item instanceof PyTuple inner) {
                    depth = Math.max(depth, inner.depth + 1);
                }
            }
            return new PyTuple(List.copyOf(items), depth);
        }

        /** Returns the number of elements. */
        int size() {
            return items.size();
        }

        /** Returns element i. */
        Object get(int i) {
            return items.get(i);
        }
    }

    /** A mutable list; compared by identity, like Python's unhashable list. */
    static final class PyList {
        final List<Object> items = new ArrayList<>();
    }

    /** A dict or an OrderedDict; compared by identity, like Python's unhashable dict. */
    static final class PyDict {
        final boolean ordered;
        final Map<Object, Object> items = new LinkedHashMap<>();

        /** The attributes set by BUILD on an OrderedDict (torch's {@code _metadata}); kept. */
        final Map<Object, Object> attributes = new LinkedHashMap<>();

        PyDict(boolean ordered) {
            this.ordered = ordered;
        }
    }

    /**
     * Tells whether a value may be a dict key: a str, an int that fits 64 bits, a float, a bool or
     * None, whose hash and equality cost O(1) (a String caches its hash). A state_dict needs str
     * keys only. Tuples and big ints are refused: DUP lets a few bytes build a tuple whose elements
     * are shared exponentially often, and the memo lets one big value be hashed again for every
     * SETITEM, so hashing either could run for hours.
     */
    static boolean isHashable(Object value) {
        return value instanceof String
                || value instanceof Long
                || value instanceof Double
                || value instanceof Boolean
                || value == PyNone.NONE;
    }

    /** Names a value's Python type for messages, never printing its contents. */
    static String typeName(Object value) {
        if (value instanceof String) {
            return "str";
        } else if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        } else if (value instanceof Double) {
            return "float";
        } else if (value instanceof Boolean) {
            return "bool";
        } else if (value == PyNone.NONE) {
            return "None";
        } else if (value instanceof PyTuple tuple) {
            return "tuple of " + tuple.size();
        } else if (value instanceof PyList) {
            return "list";
        } else if (value instanceof PyDict dict) {
            return dict.ordered ? "OrderedDict" : "dict";
        } else if (value instanceof TorchGlobal global) {
            return "global " + global;
        } else if (value instanceof DType type) {
            return "global torch." + type.storageClass();
        } else if (value instanceof StorageRef) {
            return "storage";
        } else if (value instanceof TensorRef) {
            return "tensor";
        }
        return value.getClass().getSimpleName();
    }
}
