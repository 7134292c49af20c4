package dev.tabscore.bundle.onnx;

import java.util.SortedSet;

/**
 * What {@link OnnxGraphCheck} found in an allowed {@code model.onnx}, for {@code bundle inspect}
 * and the runner.
 *
 * @param input the graph's one feature input, [batch x inputWidth] float32
 * @param output the graph's one output, [batch x outputDim] float32
 * @param opset the {@code ai.onnx} opset version the graph imports
 * @param operators the operator types its nodes use, sorted
 * @param producer who wrote it, e.g. {@code pytorch 2.13.0}
 */
public record OnnxGraph(
        String input, String output, long opset, SortedSet<String> operators, String producer) {}
