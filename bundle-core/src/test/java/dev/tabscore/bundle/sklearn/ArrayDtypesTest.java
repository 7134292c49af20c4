package dev.tabscore.bundle.sklearn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The promotion a ColumnTransformer's stack applies to its branches' dtypes is numpy's: {@code
 * np.result_type(a, b)} for every pair where one is a float, as printed by numpy 2.4 and 1.26
 * (identical): {@code [f"{a}:{b}:{np.result_type(np.dtype(a), np.dtype(b))}" for a in names for b
 * in names if "float" in a or "float" in b]}.
 */
class ArrayDtypesTest {

    private static final String NUMPY_RESULT_TYPE =
            ""
                    + "float64:float64:float64 float64:float32:float64 float64:float16:float64 "
                    + "float64:int8:float64 float64:int16:float64 float64:int32:float64 "
                    + "float64:int64:float64 float64:uint8:float64 float64:uint16:float64 "
                    + "float64:uint32:float64 float64:uint64:float64 float64:bool:float64 "
                    + "float32:float64:float64 float32:float32:float32 float32:float16:float32 "
                    + "float32:int8:float32 float32:int16:float32 float32:int32:float64 "
                    + "float32:int64:float64 float32:uint8:float32 float32:uint16:float32 "
                    + "float32:uint32:float64 float32:uint64:float64 float32:bool:float32 "
                    + "float16:float64:float64 float16:float32:float32 float16:float16:float16 "
                    + "float16:int8:float16 float16:int16:float32 float16:int32:float64 "
                    + "float16:int64:float64 float16:uint8:float16 float16:uint16:float32 "
                    + "float16:uint32:float64 float16:uint64:float64 float16:bool:float16 "
                    + "int8:float64:float64 int8:float32:float32 int8:float16:float16 "
                    + "int16:float64:float64 int16:float32:float32 int16:float16:float32 "
                    + "int32:float64:float64 int32:float32:float64 int32:float16:float64 "
                    + "int64:float64:float64 int64:float32:float64 int64:float16:float64 "
                    + "uint8:float64:float64 uint8:float32:float32 uint8:float16:float16 "
                    + "uint16:float64:float64 uint16:float32:float32 uint16:float16:float32 "
                    + "uint32:float64:float64 uint32:float32:float64 uint32:float16:float64 "
                    + "uint64:float64:float64 uint64:float32:float64 uint64:float16:float64 "
                    + "bool:float64:float64 bool:float32:float32 bool:float16:float16 ";

    @Test
    void promotesAsNumpyResultType() {
        int n = 0;
        for (String triple : NUMPY_RESULT_TYPE.trim().split(" ")) {
            String[] t = triple.split(":");
            OutputDtype a = dtype(t[0]);
            OutputDtype b = dtype(t[1]);
            assertEquals(dtype(t[2]), ArrayDtypes.promote(a, b), triple);
            n++;
        }
        assertEquals(63, n); // 12 * 12 pairs less the 9 * 9 without a float
    }

    @Test
    void floatDtypesSurviveFloatChecksAndIntsBecomeFloat64() {
        assertEquals(OutputDtype.FLOAT32, ArrayDtypes.floatOf(OutputDtype.FLOAT32));
        assertEquals(OutputDtype.FLOAT16, ArrayDtypes.floatOf(OutputDtype.FLOAT16));
        assertEquals(OutputDtype.FLOAT64, ArrayDtypes.floatOf(OutputDtype.INT8));
        assertEquals(OutputDtype.FLOAT64, ArrayDtypes.floatOf(OutputDtype.BOOL));
    }

    private static OutputDtype dtype(String numpyName) {
        return OutputDtype.valueOf(numpyName.toUpperCase(Locale.ROOT));
    }
}
