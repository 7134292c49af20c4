package dev.tabscore.bundle.torch;

import dev.tabscore.bundle.torch.PickleWriter.TensorDecl;

/** Tensors of dtypes the public factories do not make, read through a hand-built file. */
public final class TestTensors {

    private TestTensors() {}

    /**
     * Returns a float16 tensor of {@code count} ones.
     *
     * @param name the state_dict key
     * @param count the element count
     * @return the tensor
     */
    public static Tensor half(String name, int count) {
        byte[] data = new byte[2 * count];
        for (int i = 0; i < count; i++) {
            data[2 * i + 1] = 0x3c;
        }
        byte[] file =
                new TorchZip("archive")
                        .pickle(
                                PickleWriter.stateDict(
                                        TensorDecl.contiguous(name, DType.FLOAT16, "0", count)))
                        .data("0", data)
                        .bytes();
        return StateDictReader.read(file, "half.pt").get(name);
    }
}
