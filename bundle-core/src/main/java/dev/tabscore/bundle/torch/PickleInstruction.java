package dev.tabscore.bundle.torch;

/**
 * One decoded opcode.
 *
 * @param offset the byte offset of the opcode in the pickle
 * @param op the opcode
 * @param arg the decoded inline argument: a Long, BigInteger, Double, Boolean (protocol-0 INT
 *     01/00), String, a resolved global ({@link TorchGlobal} or {@link DType}), or null
 */
record PickleInstruction(int offset, PickleOp op, Object arg) {}
