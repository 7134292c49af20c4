#!/usr/bin/env python3
"""Make the PyPI (CUDA) build of torch importable on a CPU-only machine without the nvidia-* wheels.

The Linux x86_64 torch wheels on PyPI are CUDA builds: ``libtorch_cpu.so``, ``libtorch_cuda.so`` and
``torch/_C`` list ``libcudart.so.13``, ``libcublas.so.13``, ``libcudnn.so.9``, ... as NEEDED libraries, which
normally come from about 3 GB of ``nvidia-*`` wheels. tabscore only needs torch on the CPU (training tiny MLPs,
``torch.jit.trace``, ``torch.save``), so instead of those wheels this script builds small *stub* shared libraries
with the same sonames, symbol versions and symbol names, whose functions all fail with a CUDA error code
(``cudaErrorNoDevice``), and puts them in ``torch/lib`` (the ``$ORIGIN`` entry that ends torch's RPATH, so real
nvidia libraries, if ever installed, still take precedence). ``torch.cuda.is_available()`` is then ``False`` and
every CPU code path works as usual.

The symbol lists are read from torch's own ELF files with ``readelf``; the stubs are compiled with ``cc``.
Usage: ``python scripts/cuda_stubs.py [--check]`` (``--check`` only reports whether stubs are needed).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

MARKER = "TABSCORE_CUDA_STUBS.txt"
"""File written next to the stubs, listing them (so a human can tell they are not real CUDA libraries)."""

SYSTEM_SONAME = re.compile(
    r"^(libc\.so|libm\.so|libdl\.so|librt\.so|libpthread\.so|libstdc\+\+\.so|libgcc_s\.so|ld-linux|libutil\.so)"
)
"""System libraries whose exported symbols are resolved by the system, never by a stub."""

UNVERSIONED_OWNER = [
    (re.compile(r"^cudnn"), "libcudnn.so"),
    (re.compile(r"^nccl|^pnccl"), "libnccl.so"),
    (re.compile(r"^cuFile"), "libcufile.so"),
    (re.compile(r"^cusparseLt"), "libcusparseLt.so"),
    (re.compile(r"^curand"), "libcurand.so"),
    (re.compile(r"^nvshmem"), "libnvshmem_host.so"),
    (re.compile(r"^cu[A-Z]"), "libcuda.so"),
]
"""Which stub (by soname prefix) gets a symbol that torch references without a version tag."""

STRING_RETURNING = re.compile(r"(Error|Status)(String|Name)$|GetErrorString|GetLastErrorString", re.IGNORECASE)
"""Functions that return a C string (e.g. ``cudaGetErrorString``): their stubs return a message, not a code."""

ERROR_CODE = 100
"""``cudaErrorNoDevice``: what every other stub function returns."""


def torch_dir() -> Path:
    """Return the installed torch package directory without importing torch."""
    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        raise SystemExit("torch is not installed in this Python; install it first (scripts/install-python-deps.sh)")
    return Path(spec.origin).parent


def elf_files(tdir: Path) -> list[Path]:
    """The shared objects of torch whose dependencies must resolve: ``torch/lib/*.so*`` and ``torch/_C*.so``."""
    files = sorted(p for p in (tdir / "lib").glob("*.so*") if p.is_file())
    files += sorted(tdir.glob("_C*.so"))
    return files


def run(cmd: list[str]) -> str:
    """Run a command and return its stdout, with a clear error when the tool is missing."""
    if shutil.which(cmd[0]) is None:
        raise SystemExit(f"'{cmd[0]}' is needed to build the CUDA stubs (install binutils and a C compiler)")
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def dynamic_symbols(path: Path) -> tuple[set[str], list[tuple[str, str, str]]]:
    """Return (defined symbol names, [(name, version tag or '', type)] of non-weak undefined symbols) of an ELF file."""
    defined: set[str] = set()
    undefined: list[tuple[str, str, str]] = []
    for line in run(["readelf", "--dyn-syms", "-W", str(path)]).splitlines():
        parts = line.split()
        if len(parts) < 8 or not parts[0].endswith(":"):
            continue
        sym_type, bind, ndx, full = parts[3], parts[4], parts[6], parts[7]
        name, _, version = full.partition("@")
        version = version.lstrip("@")
        if ndx == "UND":
            if bind != "WEAK" and name:
                undefined.append((name, version, sym_type))
        elif name:
            defined.add(name)
    return defined, undefined


def missing_libraries(files: list[Path]) -> tuple[set[str], set[Path]]:
    """Return (sonames that ``ldd`` cannot find, paths of the system libraries it did find) for the given files."""
    missing: set[str] = set()
    system: set[Path] = set()
    for path in files:
        for line in run(["ldd", str(path)]).splitlines():
            line = line.strip()
            if "=>" not in line:
                continue
            soname, _, target = (s.strip() for s in line.partition("=>"))
            if target.startswith("not found"):
                missing.add(soname)
            elif SYSTEM_SONAME.match(soname):
                system.add(Path(target.split()[0]))
    return missing, system


def owner_of(name: str, version: str, stub_sonames: set[str]) -> str:
    """The stub soname that must define ``name`` (by its version tag, else by its name prefix, else libcudart)."""
    if version:
        if version in stub_sonames:
            return version
        for soname in stub_sonames:
            if soname.lower().startswith(f"lib{version.lower()}"):
                return soname
    for pattern, prefix in UNVERSIONED_OWNER:
        if pattern.search(name):
            for soname in stub_sonames:
                if soname.startswith(prefix):
                    return soname
    for soname in stub_sonames:
        if soname.startswith("libcudart.so"):
            return soname
    raise SystemExit(f"no stub library can own the symbol {name!r} (version {version!r})")


def plan_stubs(tdir: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Work out every stub library: {soname: {version node: {symbol: ELF type}}}."""
    files = elf_files(tdir)
    missing, system_libs = missing_libraries(files)
    if not missing:
        return {}
    defined: set[str] = set()
    undefined: list[tuple[str, str, str]] = []
    for path in files:
        d, u = dynamic_symbols(path)
        defined |= d
        undefined += u
    for lib in system_libs:
        defined |= dynamic_symbols(lib)[0]
    plan: dict[str, dict[str, dict[str, str]]] = {soname: defaultdict(dict) for soname in missing}
    for name, version, sym_type in undefined:
        if name in defined or name.startswith(("Py", "_Py")) or version.startswith(("GLIBC", "GCC_", "CXXABI", "OMP")):
            continue
        soname = owner_of(name, version, set(missing))
        node = version if version else soname
        plan[soname][node][name] = sym_type
    return plan


def c_source(symbols: dict[str, str]) -> str:
    """C source defining every symbol: functions return ERROR_CODE (or a message), objects are zeroed buffers."""
    lines = [
        "/* Generated by tabscore scripts/cuda_stubs.py: CUDA is not available in this stub. */",
        'static const char tabscore_msg[] = "CUDA is not available (tabscore CPU-only stub library)";',
    ]
    for i, (name, sym_type) in enumerate(sorted(symbols.items())):
        if sym_type == "OBJECT":
            lines.append(f'char tabscore_obj_{i}[256] __asm__("{name}");')
            lines.append(f"char tabscore_obj_{i}[256];")
        elif STRING_RETURNING.search(name):
            lines.append(f'const char *tabscore_fn_{i}(void) __asm__("{name}");')
            lines.append(f"const char *tabscore_fn_{i}(void) {{ return tabscore_msg; }}")
        else:
            lines.append(f'long tabscore_fn_{i}(void) __asm__("{name}");')
            lines.append(f"long tabscore_fn_{i}(void) {{ return {ERROR_CODE}; }}")
    return "\n".join(lines) + "\n"


def version_script(nodes: dict[str, dict[str, str]], soname: str) -> str:
    """A linker version script with one node per version tag torch asks for."""
    if not nodes:
        nodes = {soname: {}}
    parts = []
    for node, symbols in sorted(nodes.items()):
        names = "".join(f"    {n};\n" for n in sorted(symbols))
        parts.append(f"{node} {{\n  global:\n{names}  local: *;\n}};\n" if names else f"{node} {{\n  local: *;\n}};\n")
    return "".join(parts)


def build(plan: dict[str, dict[str, dict[str, str]]], target: Path) -> list[str]:
    """Compile each stub into ``target`` and return the sonames written."""
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for soname, nodes in sorted(plan.items()):
            symbols: dict[str, str] = {}
            for node_symbols in nodes.values():
                symbols.update(node_symbols)
            src = Path(tmp) / f"{soname}.c"
            ver = Path(tmp) / f"{soname}.map"
            src.write_text(c_source(symbols))
            ver.write_text(version_script(nodes, soname))
            out = target / soname
            run(
                [
                    "cc",
                    "-shared",
                    "-fPIC",
                    "-O0",
                    "-o",
                    str(out),
                    str(src),
                    f"-Wl,-soname,{soname}",
                    f"-Wl,--version-script={ver}",
                ]
            )
            written.append(f"{soname}: {len(symbols)} symbols")
    return written


def main(argv: list[str] | None = None) -> int:
    """Entry point: build the stubs if torch's CUDA libraries are missing."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only say whether stubs are needed")
    args = parser.parse_args(argv)
    tdir = torch_dir()
    plan = plan_stubs(tdir)
    if not plan:
        print(f"cuda_stubs: every library torch needs is present ({tdir}); nothing to do")
        return 0
    if args.check:
        print("cuda_stubs: missing: " + ", ".join(sorted(plan)))
        return 1
    target = tdir / "lib"
    written = build(plan, target)
    (target / MARKER).write_text(
        "These CUDA libraries are stubs made by tabscore scripts/cuda_stubs.py so that the PyPI torch wheel\n"
        "imports on a CPU-only machine without the nvidia-* wheels. Every function fails with CUDA error 100.\n"
        + "".join(f"{line}\n" for line in written)
    )
    print("cuda_stubs: built " + "; ".join(written) + f" in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
