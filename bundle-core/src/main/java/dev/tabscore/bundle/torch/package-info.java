/**
 * The weights-only reader of {@code torch.save(state_dict)} files: a zip read through {@link
 * dev.tabscore.bundle.zip.SafeZip}, and a pickle protocol-2 interpreter of our own that knows only
 * the globals a state_dict needs ({@code collections.OrderedDict}, {@code
 * torch._utils._rebuild_tensor_v2}, {@code torch._utils._rebuild_parameter}, {@code
 * torch.<T>Storage}). Nothing from the file is executed and no class is looked up by name: every
 * global is checked against the allow-list before a single object is built.
 *
 * <p>Entry point: {@link dev.tabscore.bundle.torch.StateDictReader#read(byte[], String)}.
 */
package dev.tabscore.bundle.torch;
