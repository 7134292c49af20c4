package dev.tabscore.bundle.skops;

import static dev.tabscore.bundle.skops.SkopsWriter.array;
import static dev.tabscore.bundle.skops.SkopsWriter.json;
import static dev.tabscore.bundle.skops.SkopsWriter.node;
import static dev.tabscore.bundle.skops.SkopsWriter.object;
import static dev.tabscore.bundle.skops.SkopsWriter.skops;
import static dev.tabscore.bundle.skops.SkopsWriter.validArrays;
import static dev.tabscore.bundle.skops.SkopsWriter.validSchema;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.sklearn.SklearnRegistry;
import org.junit.jupiter.api.Test;

/**
 * The real trust policy ({@link SklearnRegistry#standard()}): a scikit-learn class tabscore does
 * not build is read as a bare node (no attribute, no array), so the graph builder can refuse it as
 * not supported with its step path; anything that is not scikit-learn's stays untrusted, also when
 * it hides inside a scikit-learn object.
 */
class ScikitLearnTrustTest {

    private static SkopsFile read(String schema) {
        return SkopsReader.read(
                skops(schema, validArrays()),
                "t.skops",
                SklearnRegistry.standard(),
                SkopsLimits.defaults());
    }

    @Test
    void anUnbuiltScikitLearnClassIsReadWithoutItsAttributesOrArrays() {
        // powers_ names an entry that is not in the file: it must not be read.
        SkopsFile f =
                read(
                        validSchema(
                                2,
                                "poly",
                                object(
                                        "sklearn.preprocessing._data",
                                        "KernelCenterer",
                                        "degree",
                                        json("2"),
                                        "powers_",
                                        array("absent.npy"))));
        SkopsNode.ObjectNode poly = (SkopsNode.ObjectNode) f.root().attrs().get("poly");
        assertEquals("sklearn.preprocessing._data.KernelCenterer", poly.qualifiedName());
        assertTrue(poly.attrs().isEmpty(), poly.attrs().toString());
    }

    @Test
    void untrustedTypesInsideAScikitLearnObjectAreStillRefused() {
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                read(
                                        validSchema(
                                                2,
                                                "ft",
                                                object(
                                                        "sklearn.preprocessing._data",
                                                        "PolynomialFeatures",
                                                        "f",
                                                        node("FunctionNode", "os", "system", ""),
                                                        "o",
                                                        object("builtins", "eval")))));
        assertEquals(Reason.UNTRUSTED_TYPE, e.reason());
        assertTrue(
                e.getMessage().contains("FunctionNode os.system at /content/ft/content/f"),
                e.getMessage());
        assertTrue(e.getMessage().contains("ObjectNode class builtins.eval"), e.getMessage());
    }

    @Test
    void onlyScikitLearnModulesAreTrusted() {
        for (String[] c :
                new String[][] {
                    {"sklearnx", "A"},
                    {"sklearn_evil.mod", "A"},
                    {"os", "system"},
                    {"sklearn.compose", "A;B"},
                    {"sklearn..x", "A"},
                    {"numpy", "ndarray"},
                    {"__main__", "MySelector"}
                }) {
            BundleFormatException e =
                    assertThrows(
                            BundleFormatException.class,
                            () -> read(validSchema(2, "x", object(c[0], c[1]))),
                            c[0] + "." + c[1]);
            assertEquals(Reason.UNTRUSTED_TYPE, e.reason(), e.getMessage());
        }
    }

    private static String tree(String module, String cls, String hidden) {
        return node(
                "TreeNode",
                module,
                cls,
                "\"__reduce__\": {\"args\": "
                        + SkopsWriter.tuple(json("8"), array("absent-args.npy"), json("1"))
                        + "}, \"content\": "
                        + SkopsWriter.dict(
                                "max_depth",
                                json("2"),
                                "nodes",
                                array("absent-nodes.npy"),
                                "hidden",
                                hidden));
    }

    /**
     * skops' TreeNode of {@code sklearn.tree._tree.Tree} inside an estimator whose content tabscore
     * does not read (an IsolationForest): walked for untrusted types, its arrays (absent here)
     * never loaded; an untrusted type inside it, or a TreeNode of another class, is refused (exit
     * 16).
     */
    @Test
    void aTreeNodeIsWalkedForUntrustedTypesAndNeverDecoded() {
        SkopsFile f =
                read(
                        validSchema(
                                2,
                                "forest",
                                object(
                                        "sklearn.ensemble._iforest",
                                        "IsolationForest",
                                        "t",
                                        tree("sklearn.tree._tree", "Tree", json("1")))));
        assertTrue(((SkopsNode.ObjectNode) f.root().attrs().get("forest")).attrs().isEmpty());
        BundleFormatException hidden =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                read(
                                        validSchema(
                                                2,
                                                "t",
                                                tree(
                                                        "sklearn.tree._tree",
                                                        "Tree",
                                                        node(
                                                                "FunctionNode",
                                                                "os",
                                                                "system",
                                                                "")))));
        assertEquals(Reason.UNTRUSTED_TYPE, hidden.reason(), hidden.getMessage());
        assertTrue(hidden.getMessage().contains("FunctionNode os.system"), hidden.getMessage());
        BundleFormatException other =
                assertThrows(
                        BundleFormatException.class,
                        () -> read(validSchema(2, "t", tree("os", "system", json("1")))));
        assertEquals(Reason.UNTRUSTED_TYPE, other.reason(), other.getMessage());
        assertTrue(other.getMessage().contains("TreeNode os.system"), other.getMessage());
    }

    private static String loss(String loader, String module, String cls, String arg) {
        return node(
                loader,
                module,
                cls,
                "\"__reduce__\": {\"args\": "
                        + SkopsWriter.tuple(arg)
                        + "}, \"content\": "
                        + SkopsWriter.dict());
    }

    /**
     * skops' LossNode / SGDNode: a class on the closed list of scikit-learn's Cython losses is read
     * as data (its numeric constructor arguments); another class is untrusted (exit 16), and an
     * argument that is not a number is refused.
     */
    @Test
    void lossNodesAreTrustedOnlyOnTheClosedList() {
        SkopsFile f =
                read(
                        validSchema(
                                2,
                                "l",
                                loss(
                                        "LossNode",
                                        "sklearn.linear_model._sgd_fast",
                                        "Hinge",
                                        json("1.0"))));
        SkopsNode.ObjectNode hinge = (SkopsNode.ObjectNode) f.root().attrs().get("l");
        assertEquals("sklearn.linear_model._sgd_fast.Hinge", hinge.qualifiedName());
        assertEquals(
                1.0,
                ((SkopsNode.JsonValue)
                                ((SkopsNode.ListNode) hinge.attrs().get("args")).items().get(0))
                        .value());
        read(
                validSchema(
                        2,
                        "l",
                        loss("SGDNode", "sklearn._loss._loss", "CyPinballLoss", json("0.5"))));
        for (String[] c :
                new String[][] {
                    {"LossNode", "os", "system"},
                    {"LossNode", "sklearn.linear_model._sgd_fast", "Evil"},
                    {"SGDNode", "builtins", "eval"}
                }) {
            BundleFormatException e =
                    assertThrows(
                            BundleFormatException.class,
                            () -> read(validSchema(2, "l", loss(c[0], c[1], c[2], json("1.0")))));
            assertEquals(Reason.UNTRUSTED_TYPE, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains(c[0] + " " + c[1] + "." + c[2]), e.getMessage());
        }
        BundleFormatException text =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                read(
                                        validSchema(
                                                2,
                                                "l",
                                                loss(
                                                        "LossNode",
                                                        "sklearn.linear_model._sgd_fast",
                                                        "Hinge",
                                                        json("\"x\"")))));
        assertEquals(Reason.SCHEMA_INVALID, text.reason(), text.getMessage());
        BundleFormatException rs =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                read(
                                        validSchema(
                                                2,
                                                "r",
                                                node(
                                                        "RandomStateNode",
                                                        "numpy.random._generator",
                                                        "Generator",
                                                        "\"content\": " + SkopsWriter.dict()))));
        assertEquals(Reason.UNTRUSTED_TYPE, rs.reason(), rs.getMessage());
    }
}
