/**
 * The model runners on DJL's PyTorch engine (libtorch), offline: {@link
 * dev.tabscore.bundle.model.djl.TorchScriptRunner} runs {@code model.torchscript.pt}, {@link
 * dev.tabscore.bundle.model.djl.StateDictRunner} rebuilds the {@code nn.Sequential} from the
 * bundle's layers and the weights of {@code model_state.pt}. Both run libtorch's own kernels
 * ({@code torch.linear}, {@code torch.relu}, {@code torch.sigmoid}, {@code torch.softmax}), so
 * their outputs match PyTorch's within float32 noise. {@link
 * dev.tabscore.bundle.model.djl.DjlEngine} resolves devices and sets the thread counts. This is the
 * only package of bundle-core that imports DJL.
 */
package dev.tabscore.bundle.model.djl;
