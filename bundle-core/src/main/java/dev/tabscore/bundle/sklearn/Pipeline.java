package dev.tabscore.bundle.sklearn;

import dev.tabscore.bundle.column.ColumnBatch;
import dev.tabscore.bundle.skops.SkopsNode;
import dev.tabscore.bundle.skops.SkopsNode.JsonValue;
import java.util.ArrayList;
import java.util.List;

/**
 * scikit-learn's {@code sklearn.pipeline.Pipeline} used as a transformer: the steps applied in
 * order, each receiving the previous step's columns, with names chained through each step's {@code
 * get_feature_names_out}. A {@code "passthrough"} or None step is skipped, as scikit-learn skips
 * it. A failure inside a step names the step, e.g. {@code steps[1] 'onehot'}. Each step receives
 * the dtype of the array the step before returns ({@link ArrayDtypes}): after a float32 step it
 * computes in float32, as scikit-learn does, or is refused ({@link NarrowFloatSteps}).
 *
 * <p>{@code transform_input} (fit-time metadata routing), {@code memory} (caching of fit) and
 * {@code verbose} do not change transform and are accepted. Not reproduced: a final step that is
 * not a transformer (refused as not supported).
 */
public final class Pipeline implements Transformer {

    private final List<String> labels;
    private final List<Transformer> steps;

    /**
     * Creates a pipeline.
     *
     * @param labels one label per step for messages, e.g. {@code steps[0] 'imputer'}
     * @param steps the fitted steps, in order
     */
    public Pipeline(List<String> labels, List<Transformer> steps) {
        if (labels.size() != steps.size()) {
            throw new IllegalArgumentException(
                    labels.size() + " labels for " + steps.size() + " steps");
        }
        this.labels = List.copyOf(labels);
        this.steps = List.copyOf(steps);
    }

    static Pipeline fromSkops(Attrs a, List<String> in, GraphBuilder g) {
        // transform_input (1.6+) names fit metadata that earlier steps transform: it routes
        // fit parameters only and never changes transform's output.
        if (!a.isNone("transform_input")) {
            for (SkopsNode n : a.items("transform_input")) {
                if (!(a.jsonOf(n, "transform_input") instanceof String)) {
                    throw a.unsupported("transform_input", a.get("transform_input"));
                }
            }
        }
        List<String> labels = new ArrayList<>();
        List<Transformer> steps = new ArrayList<>();
        List<String> names = in;
        List<SkopsNode> items = a.items("steps");
        OutputDtype dtype = a.inputDtype();
        String origin = a.inputOrigin();
        boolean frame = a.inputIsFrame();
        for (int i = 0; i < items.size(); i++) {
            List<SkopsNode> step = a.itemsOf(items.get(i), "steps[" + i + "]");
            if (step.size() != 2 || !(a.jsonOf(step.get(0), "steps") instanceof String name)) {
                throw a.invalid("steps[" + i + "]", "is not a (name, estimator) pair");
            }
            SkopsNode est = step.get(1);
            if (est instanceof JsonValue j
                    && (j.value() == null || "passthrough".equals(j.value()))) {
                continue;
            }
            String label = "steps[" + i + "] '" + name + "'";
            Transformer t =
                    g.build(est, GraphBuilder.child(a.step(), label), names, frame, dtype, origin);
            dtype = g.outputDtype(t);
            origin = g.outputOrigin(t);
            frame = FrameInput.outputIsFrame(est, frame);
            names = t.featureNamesOut(names);
            labels.add(label);
            steps.add(t);
        }
        a.ignore("memory", "verbose");
        return new Pipeline(labels, steps);
    }

    /** {@inheritDoc} */
    @Override
    public ColumnBatch transform(ColumnBatch in, TransformStats stats) {
        ColumnBatch b = in;
        StepTrace trace = stats == null ? null : stats.trace();
        for (int i = 0; i < steps.size(); i++) {
            if (trace != null) {
                trace.enter(labels.get(i));
            }
            try {
                b = steps.get(i).transform(b, stats);
            } catch (ScoringFailure e) {
                throw e.within(labels.get(i));
            } catch (UnsettledImputationException e) {
                throw e.within(labels.get(i));
            }
            if (trace != null) {
                trace.exit(labels.get(i), b);
            }
        }
        return b;
    }

    /** {@inheritDoc} */
    @Override
    public List<String> featureNamesOut(List<String> in) {
        List<String> names = in;
        for (Transformer t : steps) {
            names = t.featureNamesOut(names);
        }
        return List.copyOf(names);
    }

    /**
     * Returns the fitted steps that run, in order (passthrough steps left out).
     *
     * @return the steps
     */
    public List<Transformer> steps() {
        return steps;
    }
}
