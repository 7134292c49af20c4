package dev.tabscore.bundle.torch;

/**
 * The callables a weights-only state_dict pickle may name, the whole allow-list apart from the
 * storage classes {@code torch.<T>Storage}, which resolve to a {@link DType}.
 */
enum TorchGlobal {
    /** {@code collections.OrderedDict}: the state_dict itself and empty backward-hook dicts. */
    ORDERED_DICT("collections", "OrderedDict"),
    /** {@code torch._utils._rebuild_tensor_v2}: a tensor view of a storage. */
    REBUILD_TENSOR_V2("torch._utils", "_rebuild_tensor_v2"),
    /** {@code torch._utils._rebuild_parameter}: an {@code nn.Parameter} around a tensor. */
    REBUILD_PARAMETER("torch._utils", "_rebuild_parameter");

    /** The allow-list in words, for error messages. */
    static final String ALLOW_LIST =
            "collections.OrderedDict, torch._utils._rebuild_tensor_v2, "
                    + "torch._utils._rebuild_parameter, torch.<T>Storage for T in Float, Double, Half, "
                    + "BFloat16, Long, Int, Short, Char, Byte, Bool";

    private final String module;
    private final String name;

    TorchGlobal(String module, String name) {
        this.module = module;
        this.name = name;
    }

    /**
     * Resolves a GLOBAL against the allow-list.
     *
     * @return a {@link TorchGlobal}, a {@link DType} for a storage class, or null if not allowed
     */
    static Object resolve(String module, String name) {
        for (TorchGlobal global : values()) {
            if (global.module.equals(module) && global.name.equals(name)) {
                return global;
            }
        }
        if (module.equals("torch")) {
            return DType.ofStorageClass(name).orElse(null);
        }
        return null;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return module + "." + name;
    }
}
