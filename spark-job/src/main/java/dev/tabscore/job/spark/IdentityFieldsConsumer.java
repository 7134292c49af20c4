package dev.tabscore.job.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * The record consumer Spark's Parquet write support writes into, in front of parquet-java's: it
 * passes every call on, and adds the identity fields to each row.
 *
 * <p>For the first row of a file Spark's writer writes the whole row (its columns and the identity
 * fields), and this consumer records the calls it made for the identity fields (field index {@code
 * firstIdentityField} and up). From then on Spark writes each row's own columns alone and the
 * recorded calls are replayed before the row ends: the identity's values are Spark's own encoding
 * of them (timestamp type, rebase), written without Spark converting the same constants again for
 * every row. Strings are replayed as one constant {@link Binary} per field, so that parquet-java's
 * dictionary finds the value it stored by reference instead of comparing it byte by byte
 * (docs/benchmarks.md, "Identity columns").
 */
final class IdentityFieldsConsumer extends RecordConsumer {

    private final RecordConsumer out;
    private final int firstIdentityField;
    private final List<Consumer<RecordConsumer>> identity = new ArrayList<>();
    // The value Spark wrote for each identity field of the first row (its fields are primitive).
    private final java.util.Map<Integer, Object> values = new java.util.HashMap<>();
    private int identityField;
    private boolean recorded;
    private boolean inIdentityField;
    // Fields inside a group (a struct column) are numbered within it: only top-level ones count.
    private int groupDepth;

    /**
     * @param out parquet-java's consumer
     * @param firstIdentityField the index of the first identity field in the file's schema (the
     *     number of the row's own columns)
     */
    IdentityFieldsConsumer(RecordConsumer out, int firstIdentityField) {
        this.out = out;
        this.firstIdentityField = firstIdentityField;
    }

    /**
     * The value Spark's writer wrote for each identity field of the first row (a constant {@link
     * Binary}, a Long, an Integer, ...), in field order; null for a field it left null.
     *
     * @param identityFields how many identity fields the schema has
     */
    Object[] identityValues(int identityFields) {
        Object[] v = new Object[identityFields];
        for (int i = 0; i < identityFields; i++) {
            v[i] = values.get(firstIdentityField + i);
        }
        return v;
    }

    /** Whether the first row has been written, and with it the identity calls recorded. */
    boolean recorded() {
        return recorded;
    }

    @Override
    public void startMessage() {
        out.startMessage();
    }

    @Override
    public void endMessage() {
        if (recorded) {
            for (Consumer<RecordConsumer> call : identity) {
                call.accept(out);
            }
        }
        recorded = true;
        out.endMessage();
    }

    @Override
    public void startField(String field, int index) {
        if (!recorded && groupDepth == 0 && index >= firstIdentityField) {
            inIdentityField = true;
            identityField = index;
            identity.add(c -> c.startField(field, index));
        }
        out.startField(field, index);
    }

    @Override
    public void endField(String field, int index) {
        if (inIdentityField && groupDepth == 0) {
            identity.add(c -> c.endField(field, index));
            inIdentityField = false;
        }
        out.endField(field, index);
    }

    @Override
    public void startGroup() {
        record(RecordConsumer::startGroup);
        groupDepth++;
        out.startGroup();
    }

    @Override
    public void endGroup() {
        record(RecordConsumer::endGroup);
        groupDepth--;
        out.endGroup();
    }

    @Override
    public void addInteger(int value) {
        record(c -> c.addInteger(value), value);
        out.addInteger(value);
    }

    @Override
    public void addLong(long value) {
        record(c -> c.addLong(value), value);
        out.addLong(value);
    }

    @Override
    public void addBoolean(boolean value) {
        record(c -> c.addBoolean(value), value);
        out.addBoolean(value);
    }

    @Override
    public void addBinary(Binary value) {
        if (inIdentityField) {
            // Spark hands over a reused buffer (INT96) or the string's bytes: keep a copy, and
            // write that one already, so that the dictionary holds the instance replayed.
            Binary constant = Binary.fromConstantByteArray(value.getBytes().clone());
            identity.add(c -> c.addBinary(constant));
            values.put(identityField, constant);
            out.addBinary(constant);
        } else {
            out.addBinary(value);
        }
    }

    @Override
    public void addFloat(float value) {
        record(c -> c.addFloat(value), value);
        out.addFloat(value);
    }

    @Override
    public void addDouble(double value) {
        record(c -> c.addDouble(value), value);
        out.addDouble(value);
    }

    @Override
    public void flush() {
        out.flush();
    }

    private void record(Consumer<RecordConsumer> call) {
        record(call, null);
    }

    private void record(Consumer<RecordConsumer> call, Object value) {
        if (inIdentityField) {
            identity.add(call);
            if (value != null) {
                values.put(identityField, value);
            }
        }
    }
}
