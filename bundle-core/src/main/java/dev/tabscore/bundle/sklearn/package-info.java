/**
 * The fitted scikit-learn graph in Java: one class per scikit-learn transformer, named exactly like
 * it ({@link dev.tabscore.bundle.sklearn.StandardScaler}, {@link
 * dev.tabscore.bundle.sklearn.OneHotEncoder}, ...), each holding its fitted parameters in final
 * fields and reproducing the float64 output of {@code transform} bit for bit; the {@link
 * dev.tabscore.bundle.sklearn.GraphBuilder} that turns skops nodes into that graph, refusing at
 * load time any class or option it does not reproduce; the {@link
 * dev.tabscore.bundle.sklearn.SklearnRegistry} allow-list; and the {@link
 * dev.tabscore.bundle.sklearn.Preprocessor} facade.
 *
 * <p>Attributes whose form changed between scikit-learn versions are read in one place, {@code
 * FittedAttributes}, one method per attribute.
 */
package dev.tabscore.bundle.sklearn;
