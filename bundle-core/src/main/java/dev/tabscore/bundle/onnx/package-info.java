/**
 * The ONNX allow-list: {@code model.onnx} is read as a protobuf ModelProto (classes generated from
 * the vendored {@code onnx.proto}) and refused unless every node is a standard {@code ai.onnx}
 * operator of {@link dev.tabscore.bundle.onnx.OnnxOps}, every tensor is inside the file and the
 * graph's single input and output have the manifest's widths. No DJL and no ONNX Runtime here: this
 * runs before either sees the bytes.
 */
package dev.tabscore.bundle.onnx;
