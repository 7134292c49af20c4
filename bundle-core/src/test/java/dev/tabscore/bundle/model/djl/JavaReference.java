package dev.tabscore.bundle.model.djl;

import dev.tabscore.bundle.model.LayerSpec;
import java.util.List;
import java.util.Map;

/** The Sequential forward pass in plain double arithmetic, the test oracle for each layer type. */
final class JavaReference {

    private JavaReference() {}

    static double[] forward(
            List<LayerSpec> layers, Map<String, double[]> weights, float[] input, int rows) {
        int width = input.length / rows;
        double[] x = new double[input.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = input[i];
        }
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec layer = layers.get(l);
            if (layer instanceof LayerSpec.Linear linear) {
                double[] w = weights.get(l + ".weight");
                double[] b = weights.get(l + ".bias");
                double[] y = new double[rows * linear.out()];
                for (int r = 0; r < rows; r++) {
                    for (int o = 0; o < linear.out(); o++) {
                        double sum = b == null ? 0 : b[o];
                        for (int i = 0; i < width; i++) {
                            sum += x[r * width + i] * w[o * width + i];
                        }
                        y[r * linear.out() + o] = sum;
                    }
                }
                x = y;
                width = linear.out();
            } else {
                for (int i = 0; i < x.length; i++) {
                    x[i] = activation(layer, x[i]);
                }
            }
        }
        return x;
    }

    private static double activation(LayerSpec layer, double v) {
        if (layer instanceof LayerSpec.ReLU) {
            return Math.max(0, v);
        } else if (layer instanceof LayerSpec.Tanh) {
            return Math.tanh(v);
        } else if (layer instanceof LayerSpec.Sigmoid) {
            return 1 / (1 + Math.exp(-v));
        } else if (layer instanceof LayerSpec.LeakyReLU leaky) {
            return v >= 0 ? v : leaky.slope() * v;
        } else if (layer instanceof LayerSpec.GELU gelu) {
            if (gelu.tanhApproximation()) {
                return 0.5
                        * v
                        * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            }
            return 0.5 * v * (1 + erf(v / Math.sqrt(2)));
        }
        return v;
    }

    /** erf by Simpson's rule on 2/sqrt(pi) exp(-t^2); ample for a 1e-5 tolerance. */
    static double erf(double x) {
        int steps = 4000;
        double h = x / steps;
        double sum = 1 + Math.exp(-x * x);
        for (int i = 1; i < steps; i++) {
            double t = i * h;
            sum += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return sum * h / 3 * 2 / Math.sqrt(Math.PI);
    }
}
