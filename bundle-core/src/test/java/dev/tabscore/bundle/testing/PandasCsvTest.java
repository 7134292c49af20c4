package dev.tabscore.bundle.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tabscore.bundle.column.BooleanColumn;
import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.column.DoubleColumn;
import dev.tabscore.bundle.column.LongColumn;
import dev.tabscore.bundle.column.StringColumn;
import org.junit.jupiter.api.Test;

class PandasCsvTest {

    private static final String CSV =
            "n,m,f,b,s\n"
                    + "1,1,0.1,True,None\n"
                    + "2,,311.8400000000001,False,\" north\"\n"
                    + "3,3,NA,True,\"\"\n";

    @Test
    void infersDtypesPerColumnAsPandasDoes() {
        ColumnBatch b = PandasCsv.parse(CSV, PandasCsv.naValues("1.5.3"));
        assertArrayEquals(new long[] {1, 2, 3}, ((LongColumn) b.column("n")).values());
        assertArrayEquals(new double[] {1, Double.NaN, 3}, ((DoubleColumn) b.column("m")).values());
        assertArrayEquals(
                new double[] {0.1, 311.8400000000001, Double.NaN},
                ((DoubleColumn) b.column("f")).values());
        assertInstanceOf(BooleanColumn.class, b.column("b"));
        assertArrayEquals(
                new String[] {"None", " north", null}, ((StringColumn) b.column("s")).values());
    }

    @Test
    void pandasTwoReadsNoneAsMissing() {
        ColumnBatch b = PandasCsv.parse(CSV, PandasCsv.naValues("2.2.3"));
        assertNull(((StringColumn) b.column("s")).values()[0]);
        assertEquals(" north", ((StringColumn) b.column("s")).values()[1]);
    }
}
