package dev.tabscore.bundle.torch;

/**
 * A tensor view built by {@code _rebuild_tensor_v2}: element {@code (i, j, ...)} is storage element
 * {@code offset + i*stride[0] + j*stride[1] + ...}. Checked against the storage later.
 *
 * @param storage the storage
 * @param offset the storage offset in elements
 * @param shape the sizes, empty for a 0-d tensor
 * @param stride the strides in elements, one per dimension
 */
record TensorRef(StorageRef storage, long offset, long[] shape, long[] stride) {}
