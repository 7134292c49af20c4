package dev.tabscore.bundle.model.djl;

import dev.tabscore.bundle.model.Device;
import dev.tabscore.bundle.model.ModelPredictor;
import dev.tabscore.bundle.model.ModelRunner;
import dev.tabscore.bundle.model.ModelSpec;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every loaded model artifact shares, whatever runs it (libtorch's TorchScript, libtorch's
 * kernels from a state_dict, ONNX Runtime): its spec, its device, its artifact name, and the
 * close-once life cycle that refuses new predictors after close.
 */
abstract class LoadedRunner implements ModelRunner {
    /** The model's input width and output head, from the manifest. */
    protected final ModelSpec spec;

    /** Where it runs. */
    protected final Device device;

    /** The bundle artifact it was loaded from, for messages. */
    protected final String artifact;

    private final AtomicBoolean closed = new AtomicBoolean();

    LoadedRunner(ModelSpec spec, Device device, String artifact) {
        this.spec = spec;
        this.device = device;
        this.artifact = artifact;
    }

    /**
     * Makes a predictor for one thread; called only while the runner is open.
     *
     * @return the predictor
     */
    protected abstract ModelPredictor openPredictor();

    /** Releases the native model; called once, by the first {@link #close()}. */
    protected abstract void release();

    /** {@inheritDoc} */
    @Override
    public final ModelSpec spec() {
        return spec;
    }

    /** {@inheritDoc} */
    @Override
    public final Device device() {
        return device;
    }

    /** {@inheritDoc} */
    @Override
    public final ModelPredictor newPredictor() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        return openPredictor();
    }

    /** {@inheritDoc} */
    @Override
    public final void close() {
        if (closed.compareAndSet(false, true)) {
            release();
        }
    }
}
