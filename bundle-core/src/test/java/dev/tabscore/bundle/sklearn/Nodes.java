package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.Column;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.StringColumn;
import dev.tabscore.bundle.skops.NpyArray;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.DTypeValue;
import dev.tabscore.bundle.skops.SkopsNode.DictNode;
import dev.tabscore.bundle.skops.SkopsNode.FunctionRef;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import dev.tabscore.bundle.skops.SkopsNode.ListNode;
import dev.tabscore.bundle.skops.SkopsNode.NumpyArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectArray;
import dev.tabscore.bundle.skops.SkopsNode.ObjectNode;
import dev.tabscore.bundle.skops.SkopsNode.SliceValue;
import dev.tabscore.bundle.skops.SkopsNode.TypeValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds skops node trees and column batches by hand, for tests of the graph builder. */
final class Nodes {

    private Nodes() {}

    /** An estimator node; {@code kv} alternates attribute names and values (nodes or plain). */
    static ObjectNode obj(String module, String cls, Object... kv) {
        Map<String, SkopsNode> attrs = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            attrs.put((String) kv[i], node(kv[i + 1]));
        }
        return new ObjectNode("/test/" + cls, module, cls, attrs);
    }

    /** A copy of an estimator node with attributes replaced, added, or removed (value null). */
    static ObjectNode with(ObjectNode o, Object... kv) {
        Map<String, SkopsNode> attrs = new LinkedHashMap<>(o.attrs());
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                attrs.remove((String) kv[i]);
            } else {
                attrs.put((String) kv[i], node(kv[i + 1]));
            }
        }
        return new ObjectNode(o.path(), o.module(), o.className(), attrs);
    }

    /** Plain Java values become Json values; nodes stay as they are. */
    static SkopsNode node(Object v) {
        if (v instanceof SkopsNode n) {
            return n;
        }
        if (v instanceof Integer i) {
            return new JsonValue("/test", (long) i);
        }
        return new JsonValue("/test", v);
    }

    static JsonValue none() {
        return new JsonValue("/test", null);
    }

    static ListNode list(Object... items) {
        List<SkopsNode> l = new ArrayList<>();
        for (Object o : items) {
            l.add(node(o));
        }
        return new ListNode("/test", l, false);
    }

    static ListNode tuple(Object... items) {
        List<SkopsNode> l = new ArrayList<>();
        for (Object o : items) {
            l.add(node(o));
        }
        return new ListNode("/test", l, true);
    }

    /** An object-dtype array (strings, Json numbers, NaN, None). */
    static ObjectArray objects(Object... items) {
        List<SkopsNode> l = new ArrayList<>();
        for (Object o : items) {
            l.add(node(o));
        }
        return new ObjectArray("/test", l, new long[] {items.length});
    }

    static NumpyArray f8(double... v) {
        return new NumpyArray(
                "/test", "ndarray", new NpyArray("<f8", new long[] {v.length}, v, null, null));
    }

    static NumpyArray i8(long... v) {
        return new NumpyArray(
                "/test", "ndarray", new NpyArray("<i8", new long[] {v.length}, null, v, null));
    }

    static NumpyArray b1(boolean... v) {
        return new NumpyArray(
                "/test", "ndarray", new NpyArray("|b1", new long[] {v.length}, null, null, v));
    }

    /** A dict; {@code kv} alternates keys (String or Long) and values. */
    static DictNode dict(Object... kv) {
        Map<Object, SkopsNode> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object k = kv[i] instanceof Integer n ? (Object) (long) n : kv[i];
            m.put(k, node(kv[i + 1]));
        }
        return new DictNode("/test", m);
    }

    static TypeValue float64() {
        return new TypeValue("/test", "numpy", "float64");
    }

    static DTypeValue dtype(String d) {
        return new DTypeValue("/test", d);
    }

    static FunctionRef function(String module, String name) {
        return new FunctionRef("/test", module, name);
    }

    static SliceValue slice(long start, long stop) {
        return new SliceValue("/test", start, stop, null);
    }

    /** A batch; {@code kv} alternates names and columns (double[] and String[] are wrapped). */
    static ColumnBatch batch(Object... kv) {
        int n = -1;
        List<Column> cols = new ArrayList<>();
        for (int i = 1; i < kv.length; i += 2) {
            Column c =
                    kv[i] instanceof double[] d
                            ? new DoubleColumn(d)
                            : kv[i] instanceof String[] s ? new StringColumn(s) : (Column) kv[i];
            cols.add(c);
            n = c.size();
        }
        ColumnBatch.Builder b = ColumnBatch.builder(n);
        for (int i = 0; i < kv.length; i += 2) {
            b.add((String) kv[i], cols.get(i / 2));
        }
        return b.build();
    }

    /** The values of column j, which must be float64. */
    static double[] doubles(ColumnBatch b, int j) {
        return ((DoubleColumn) b.column(j)).values();
    }

    /** The values of column j, which must be strings. */
    static String[] strings(ColumnBatch b, int j) {
        return ((StringColumn) b.column(j)).values();
    }
}
