package dev.tabscore.bundle.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tabscore.bundle.BundleFormatException;
import dev.tabscore.bundle.Reason;
import dev.tabscore.bundle.torch.PickleWriter.TensorDecl;
import dev.tabscore.bundle.zip.ZipLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Pickles an attacker could ship as model_state.pt: each must be refused, by name. */
class HostilePickleTest {

    private static final TensorDecl W = TensorDecl.contiguous("0.weight", DType.FLOAT32, "0", 2);

    @Test
    void refusesOsSystemBeforeBuildingAnything() {
        // A REDUCE with an empty stack comes first: were anything executed before the allow-list
        // check, the error would be a stack underflow at byte 2, not the global at byte 3.
        byte[] pickle =
                new PickleWriter()
                        .proto(2)
                        .op(PickleOp.REDUCE)
                        .global("os", "system")
                        .unicode("touch /tmp/pwned")
                        .op(PickleOp.TUPLE1)
                        .op(PickleOp.REDUCE)
                        .op(PickleOp.STOP)
                        .bytes();

        BundleFormatException e = refuse(pickle, Reason.PICKLE_REFUSED);
        assertTrue(
                e.getMessage()
                        .contains(
                                "at byte 3: GLOBAL 'os system' is not on the "
                                        + "weights-only allow-list"),
                e.getMessage());
    }

    @Test
    void refusesBuiltinsEvalAndGetattrWhereverTheyHide() {
        byte[] viaGlobal =
                new PickleWriter()
                        .proto(2)
                        .orderedDict()
                        .op(PickleOp.MARK)
                        .unicode("0.weight")
                        .global("builtins", "eval")
                        .unicode("1+1")
                        .op(PickleOp.TUPLE1)
                        .op(PickleOp.REDUCE)
                        .op(PickleOp.SETITEMS)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(viaGlobal, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("at byte 43: GLOBAL 'builtins eval'"));

        byte[] viaInst =
                new PickleWriter()
                        .op(PickleOp.MARK)
                        .unicode("x")
                        .op(PickleOp.INST)
                        .text("__builtin__\ngetattr\n")
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(viaInst, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("at byte 7: INST '__builtin__ getattr'"));

        byte[] lookalike =
                new PickleWriter().proto(2).global("torch", "load").op(PickleOp.STOP).bytes();
        assertTrue(
                refuse(lookalike, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("GLOBAL 'torch load'"));
    }

    @Test
    void refusesUnknownOpcodesByByte() {
        byte[] pickle = new PickleWriter().proto(2).raw(0xff).op(PickleOp.STOP).bytes();
        assertTrue(
                refuse(pickle, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("at byte 2: 0xff is not a pickle opcode"));
    }

    @Test
    void refusesProtocolFourAndFiveHeadersAndTheirOpcodes() {
        for (int protocol : new int[] {3, 4, 5}) {
            byte[] pickle =
                    new PickleWriter().proto(protocol).op(PickleOp.NONE).op(PickleOp.STOP).bytes();
            assertTrue(
                    refuse(pickle, Reason.PICKLE_REFUSED)
                            .getMessage()
                            .contains(
                                    "at byte 0: pickle protocol "
                                            + protocol
                                            + " is not supported"));
        }
        byte[] frame =
                new PickleWriter()
                        .proto(2)
                        .op(PickleOp.FRAME)
                        .raw(1, 0, 0, 0, 0, 0, 0, 0)
                        .op(PickleOp.NONE)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(frame, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("opcode FRAME (0x95) belongs to pickle protocol 4"));
        byte[] stackGlobal =
                new PickleWriter()
                        .proto(2)
                        .unicode("os")
                        .unicode("system")
                        .op(PickleOp.STACK_GLOBAL)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(stackGlobal, Reason.PICKLE_REFUSED).getMessage().contains("STACK_GLOBAL"));
    }

    @Test
    void refusesAStorageThatDeclaresMoreElementsThanItsBytes() {
        TensorDecl big =
                new TensorDecl(
                        "0.weight",
                        DType.FLOAT32,
                        "0",
                        1_000_000_000L,
                        0,
                        new long[] {2},
                        new long[] {1});
        byte[] file =
                new TorchZip("archive")
                        .pickle(PickleWriter.stateDict(big))
                        .data("0", new byte[8])
                        .bytes();

        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(file, "model_state.pt"));
        assertEquals(Reason.PICKLE_REFUSED, e.reason());
        assertTrue(
                e.getMessage()
                        .contains(
                                "storage '0' declares 1000000000 float32 elements "
                                        + "(4000000000 bytes) but zip entry archive/data/0 holds 8 bytes"),
                e.getMessage());
    }

    @Test
    void refusesAViewOutsideItsStorage() {
        TensorDecl view =
                new TensorDecl("w", DType.FLOAT32, "0", 4, 2, new long[] {2, 2}, new long[] {2, 1});
        byte[] file =
                new TorchZip("archive")
                        .pickle(PickleWriter.stateDict(view))
                        .data("0", new byte[16])
                        .bytes();
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(file, "model_state.pt"));
        assertEquals(Reason.PICKLE_REFUSED, e.reason());
        assertTrue(
                e.getMessage().contains("reaches element 5 of storage '0', which holds 4"),
                e.getMessage());
    }

    @Test
    void refusesAMissingDataEntry() {
        byte[] file = new TorchZip("archive").pickle(PickleWriter.stateDict(W)).bytes();
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(file, "model_state.pt"));
        assertEquals(Reason.PICKLE_REFUSED, e.reason());
        assertTrue(
                e.getMessage()
                        .contains(
                                "storage '0' of tensor '0.weight' has no zip entry archive/data/0"));
    }

    @Test
    void refusesATruncatedPickleAtEveryCut() {
        byte[] whole = PickleWriter.stateDict(W);
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] pickle = Arrays.copyOf(whole, cut);
            BundleFormatException e = refuse(pickle, Reason.PICKLE_REFUSED);
            assertTrue(e.getMessage().contains("truncated"), cut + ": " + e.getMessage());
        }
    }

    @Test
    void refusesADeepStackANestedTupleAndAnOverfullMemo() {
        PickleWriter marks = new PickleWriter().proto(2);
        for (int i = 0; i < 200_000; i++) {
            marks.op(PickleOp.MARK);
        }
        assertTrue(
                refuse(marks.op(PickleOp.STOP).bytes(), Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("stack depth exceeds the limit of 100000"));

        PickleWriter nested = new PickleWriter().proto(2).op(PickleOp.NONE);
        for (int i = 0; i < 100_000; i++) {
            nested.op(PickleOp.TUPLE1);
        }
        assertTrue(
                refuse(nested.op(PickleOp.STOP).bytes(), Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("tuples nested 65 deep exceed the limit of 64"));

        PickleWriter memo = new PickleWriter().proto(2).op(PickleOp.NONE);
        for (int i = 0; i < 20; i++) {
            memo.put(i);
        }
        TorchLimits small =
                new TorchLimits(ZipLimits.defaults(), 1 << 20, 10, 1000, 1000, 8, 10, 100, 1000);
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                WeightsOnlyUnpickler.unpickle(
                                        memo.op(PickleOp.STOP).bytes(), "memo", small));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason());
        assertTrue(e.getMessage().contains("memo exceeds the limit of 10 entries"));
    }

    @Test
    void refusesAnOverlongStringBeforeAllocatingIt() {
        byte[] pickle =
                new PickleWriter()
                        .proto(2)
                        .op(PickleOp.BINUNICODE)
                        .int4(-1)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(pickle, Reason.LIMIT_EXCEEDED)
                        .getMessage()
                        .contains("a string of 4294967295 bytes exceeds the limit of 1048576"));
    }

    @Test
    void refusesAllowListedGlobalsUsedOutsideTheirRole() {
        byte[] callStorage =
                new PickleWriter()
                        .proto(2)
                        .global("torch", "FloatStorage")
                        .op(PickleOp.EMPTY_TUPLE)
                        .op(PickleOp.REDUCE)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(callStorage, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("torch.FloatStorage is called"));

        byte[] newobj =
                new PickleWriter()
                        .proto(2)
                        .global("torch._utils", "_rebuild_tensor_v2")
                        .op(PickleOp.EMPTY_TUPLE)
                        .op(PickleOp.NEWOBJ)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(newobj, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("NEWOBJ on a global torch._utils._rebuild_tensor_v2"));

        byte[] build =
                new PickleWriter()
                        .proto(2)
                        .op(PickleOp.EMPTY_LIST)
                        .op(PickleOp.EMPTY_DICT)
                        .op(PickleOp.BUILD)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(refuse(build, Reason.PICKLE_REFUSED).getMessage().contains("BUILD on a list"));

        byte[] ext = new PickleWriter().proto(2).op(PickleOp.EXT1).raw(7).op(PickleOp.STOP).bytes();
        assertTrue(
                refuse(ext, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("EXT1 names extension code 7, which is not registered"));

        byte[] textPid =
                new PickleWriter().op(PickleOp.PERSID).text("0\n").op(PickleOp.STOP).bytes();
        assertTrue(refuse(textPid, Reason.PICKLE_REFUSED).getMessage().contains("PERSID"));

        byte[] hooks =
                new PickleWriter()
                        .proto(2)
                        .orderedDict()
                        .put(0)
                        .op(PickleOp.POP)
                        .global("torch._utils", "_rebuild_tensor_v2")
                        .op(PickleOp.MARK)
                        .op(PickleOp.MARK)
                        .unicode("storage")
                        .global("torch", "FloatStorage")
                        .unicode("0")
                        .unicode("cpu")
                        .integer(1)
                        .op(PickleOp.TUPLE)
                        .op(PickleOp.BINPERSID)
                        .integer(0)
                        .longs(1)
                        .longs(1)
                        .op(PickleOp.NEWFALSE)
                        .get(0)
                        .unicode("h")
                        .op(PickleOp.EMPTY_LIST)
                        .op(PickleOp.SETITEM)
                        .op(PickleOp.TUPLE)
                        .op(PickleOp.REDUCE)
                        .op(PickleOp.STOP)
                        .bytes();
        assertTrue(
                refuse(hooks, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("backward_hooks must be an empty OrderedDict"));
    }

    @Test
    void refusesBytesAfterStopAndAPickleThatIsNotAStateDict() {
        byte[] trailing =
                new PickleWriter().proto(2).op(PickleOp.NONE).op(PickleOp.STOP).raw(0x63).bytes();
        assertTrue(
                refuse(trailing, Reason.PICKLE_REFUSED)
                        .getMessage()
                        .contains("1 bytes follow STOP"));

        byte[] list = new PickleWriter().proto(2).op(PickleOp.EMPTY_LIST).op(PickleOp.STOP).bytes();
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () ->
                                StateDictReader.read(
                                        new TorchZip("archive").pickle(list).bytes(), "x.pt"));
        assertTrue(e.getMessage().contains("data.pkl holds a list, not a state_dict"));
    }

    @Test
    void refusesATorchScriptFileNamingItsModuleClass() throws IOException {
        byte[] torchscript =
                Files.readAllBytes(
                        StateDictReaderTest.FIXTURES.resolve(
                                "sklearn-1.9.1/seed-binary/model.torchscript.pt"));
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(torchscript, "model.torchscript.pt"));
        assertEquals(Reason.PICKLE_REFUSED, e.reason());
        assertTrue(
                e.getMessage().contains("GLOBAL '__torch__.torch.nn.modules.container"),
                e.getMessage());
    }

    @Test
    void refusesAFileWithoutDataPkl() {
        byte[] none = new TorchZip("archive").data("0", new byte[4]).bytes();
        assertTrue(
                assertThrows(BundleFormatException.class, () -> StateDictReader.read(none, "x.pt"))
                        .getMessage()
                        .contains("expected one <prefix>/data.pkl entry, found none"));
    }

    /** Runs the pickle through the reader inside a well-formed zip; expects the reason. */
    @Test
    void refusesATupleKeyWhoseSharedElementsWouldTakeExponentialTimeToHash() {
        // t0 = None; t(i+1) = (t(i), t(i)) through DUP: 62 cheap opcodes build a tuple of 2^61
        // leaves. Hashing or comparing it as a dict key would never end; keys are scalars only.
        PickleWriter w = new PickleWriter().proto(2).op(PickleOp.EMPTY_DICT).op(PickleOp.NONE);
        for (int i = 0; i < 60; i++) {
            w.op(PickleOp.DUP).op(PickleOp.TUPLE2);
        }
        byte[] pickle = w.op(PickleOp.NONE).op(PickleOp.SETITEM).op(PickleOp.STOP).bytes();
        BundleFormatException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5), () -> refuse(pickle, Reason.PICKLE_REFUSED));
        assertTrue(
                e.getMessage().contains("a dict key of type tuple of 2 is not allowed"),
                e.getMessage());
    }

    @Test
    void refusesAFloatLiteralOfAMegabyteInLinearTime() {
        // FLOAT's text argument may be as long as maxStringBytes; its pattern must not backtrack
        // quadratically over a long run of digits that fails to match at the end.
        byte[] pickle =
                new PickleWriter()
                        .proto(2)
                        .op(PickleOp.FLOAT)
                        .text("1".repeat(1 << 19) + "x\n")
                        .op(PickleOp.STOP)
                        .bytes();
        BundleFormatException e =
                assertTimeoutPreemptively(
                        Duration.ofSeconds(5), () -> refuse(pickle, Reason.PICKLE_REFUSED));
        assertTrue(e.getMessage().contains("FLOAT: not a float literal"), e.getMessage());
    }

    @Test
    void refusesAViewThatRepeatsOneElementPastTheTotalTensorLimit() {
        // Stride 0 repeats storage element 0: a 4-byte storage may back a tensor of any size, so
        // the total of materialized tensors is checked before each one is allocated.
        TensorDecl repeated =
                new TensorDecl(
                        "0.weight", DType.FLOAT32, "0", 1, 0, new long[] {1_000}, new long[] {0});
        byte[] file =
                new TorchZip("archive")
                        .pickle(PickleWriter.stateDict(repeated))
                        .data("0", new byte[4])
                        .bytes();
        TorchLimits small =
                new TorchLimits(
                        ZipLimits.defaults(), 1 << 20, 1000, 1000, 1000, 8, 10, 1 << 20, 1_000);
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(file, "model_state.pt", small));
        assertEquals(Reason.LIMIT_EXCEEDED, e.reason(), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains(
                                "the tensors up to '0.weight' hold 4000 bytes; the "
                                        + "limit is 1000"),
                e.getMessage());
    }

    private static BundleFormatException refuse(byte[] pickle, Reason reason) {
        byte[] file = new TorchZip("archive").pickle(pickle).data("0", new byte[8]).bytes();
        BundleFormatException e =
                assertThrows(
                        BundleFormatException.class,
                        () -> StateDictReader.read(file, "model_state.pt"));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith("model_state.pt"), e.getMessage());
        return e;
    }
}
