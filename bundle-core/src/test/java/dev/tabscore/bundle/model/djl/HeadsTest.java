package dev.tabscore.bundle.model.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class HeadsTest {

    @Test
    void argmaxTakesTheFirstMaximumAndTreatsNanAsMaximal() {
        float[] values = {
            0.2f, 0.5f, 0.3f, 0.4f, 0.2f, 0.4f, Float.NaN, 0.9f, 0.1f, 0.3f, Float.NaN, 1f
        };
        assertArrayEquals(new int[] {1, 0, 0, 1}, Heads.argmax(values, 4, 3));
    }
}
