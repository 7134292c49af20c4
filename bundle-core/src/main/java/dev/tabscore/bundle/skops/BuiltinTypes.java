package dev.tabscore.bundle.skops;

import java.util.Map;
import java.util.Set;

/**
 * The fixed Python and numpy types the node grammar may name without asking the {@link
 * TrustPolicy}. All of them are plain data types: naming them can run no code.
 */
final class BuiltinTypes {

    /**
     * Types a {@code TypeNode} may name, as {@code module.name}: the scalar types, and the abstract
     * ones a {@code make_column_selector(dtype_include=np.number)} or {@code object} holds.
     */
    static final Set<String> TYPE_NODE_TYPES =
            Set.of(
                    "builtins.str",
                    "builtins.int",
                    "builtins.float",
                    "builtins.bool",
                    "builtins.object",
                    "numpy.number",
                    "numpy.integer",
                    "numpy.signedinteger",
                    "numpy.unsignedinteger",
                    "numpy.floating",
                    "numpy.inexact",
                    "numpy.generic",
                    "numpy.float64",
                    "numpy.float32",
                    "numpy.float16",
                    "numpy.int64",
                    "numpy.int32",
                    "numpy.int16",
                    "numpy.int8",
                    "numpy.uint64",
                    "numpy.uint32",
                    "numpy.uint16",
                    "numpy.uint8",
                    "numpy.bool_",
                    "numpy.bool",
                    "numpy.object_",
                    "numpy.str_");

    /** The numpy scalar classes a {@code type: "numpy"} NdArrayNode may carry, with their dtype. */
    static final Map<String, String> NUMPY_SCALARS =
            Map.of(
                    "float64", "<f8", "float32", "<f4", "int64", "<i8", "int32", "<i4", "bool_",
                    "|b1", "bool", "|b1", "uint8", "|u1");

    /** The {@code __class__} values a JsonNode may carry (skops writes {@code str} for all). */
    static final Set<String> JSON_NODE_CLASSES = Set.of("str", "int", "float", "bool", "NoneType");

    private BuiltinTypes() {}
}
