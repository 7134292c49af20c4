"""Generates str32-numpy<version>.txt (PyReprFloat32Test): numpy's str() of float32 scalars, which names a one-hot
column of a float32 category. One line per value: the float32 bits in hex, a space, str(np.float32(x)). Values: random
bits over every exponent, decimals of few digits near the positional / scientific thresholds (1e-4, 1e6, 1e16), powers
of two and ten, subnormals, -0.0, inf, nan. Written by numpy 2.2 and 2.3, the two sides of the change of threshold
(numpy 1.26 writes the same file as 2.2, numpy 2.4 the same as 2.3, checked):

  /work/venvs-difffuzz/sk-1.6.1/bin/python make_str32.py   # numpy 2.2
  /work/venvs-difffuzz/sk-1.8.0/bin/python make_str32.py   # numpy 2.3
"""

import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def values():
    rng = np.random.default_rng(32)
    bits = rng.integers(0, 2**32, 3000, dtype=np.uint64).astype(np.uint32)
    v = [bits.view(np.float32)]
    for e in range(-8, 20):
        digits = rng.integers(1, 10**4, 40)
        v.append((digits * 10.0 ** (e - 4)).astype(np.float32))
        v.append(np.float32(10.0**e) * np.array([1, -1], dtype=np.float32))
        v.append(np.nextafter(np.float32(10.0**e), np.float32([0, np.inf])))
    v.append(np.float32(2.0) ** np.arange(-149, 128, 3, dtype=np.float32))
    v.append(np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 0.1, 1e-7, 16777217.0], dtype=np.float32))
    return np.concatenate(v).astype(np.float32)


def main():
    x = values()
    out = os.path.join(HERE, "str32-numpy" + ".".join(np.__version__.split(".")[:2]) + ".txt")
    with open(out, "w") as f:
        for b, v in zip(x.view(np.uint32), x):
            f.write(f"{int(b):08x} {str(v)}\n")
    print(out, len(x))


if __name__ == "__main__":
    main()
