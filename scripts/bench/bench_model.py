"""The Python side of the benchmark: load a bundle's preprocessor and network the way a Python user would, and
score a pandas frame with them. Shared by the single-process reference (python_ref.py) and the PySpark
pandas-UDF run (pyspark_udf.py), whose Python workers import this module and keep one loaded bundle each.

Loading: ``skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path))`` for the preprocessor;
``torch.jit.load`` of model.torchscript.pt, or ``nn.Sequential`` rebuilt from the manifest's layers plus
``model_state.pt`` (``torch.load(weights_only=True)``). Scoring: None -> NaN in object columns (what sklearn
treats as missing), ``preprocessor.transform``, float32 forward in batches under ``torch.inference_mode``, the
bundle's output head in float32, widened to float64.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import tabscore_export as tx

_LOADED: dict[str, "Loaded"] = {}


class Loaded:
    """A bundle loaded for scoring in Python."""

    def __init__(self, bundle: str, model: str = "auto") -> None:
        import skops.io as sio
        import torch

        root = Path(bundle)
        self.manifest = tx.read_manifest(root / tx.MANIFEST)
        m = self.manifest
        self.digest = tx.manifest_digest(m)
        self.inputs = [c["name"] for c in m["input"]["columns"]]
        self.string_inputs = [c["name"] for c in m["input"]["columns"] if c["dtype"] == "string"]
        self.task, self.classes = m["task"], m.get("classes")
        self.outputs = tx.output_columns(self.task, self.classes)
        pre_path = str(root / m["preprocessor"]["path"])
        self.preprocessor = sio.load(pre_path, trusted=sio.get_untrusted_types(file=pre_path))
        ts = m["model"].get("torchscript")
        if ts and model in ("auto", "torchscript"):
            self.model = torch.jit.load(str(root / ts), map_location="cpu")
        else:
            net = tx.build_sequential(m["model"]["layers"])
            net.load_state_dict(torch.load(str(root / m["model"]["state_dict"]), map_location="cpu", weights_only=True))
            self.model = net
        self.model.eval()

    def features(self, frame: pd.DataFrame) -> np.ndarray:
        """``preprocessor.transform`` of the input columns (None -> NaN first in string columns)."""
        df = frame[self.inputs]
        if self.string_inputs:
            df = df.copy()
            for c in self.string_inputs:
                s = df[c].astype(object)
                df[c] = s.where(s.notna(), np.nan)
        return tx.transform_features(self.preprocessor, df)

    def forward(self, features: np.ndarray, batch: int = 8192) -> np.ndarray:
        """float32 logits, ``batch`` rows per forward call."""
        import torch

        x = np.ascontiguousarray(features, dtype=np.float32)
        out = np.empty((len(x), self.manifest["model"]["output_dim"]), dtype=np.float32)
        with torch.inference_mode():
            for s in range(0, len(x), batch):
                y = self.model(torch.from_numpy(x[s : s + batch]))
                out[s : s + batch] = y.reshape(len(y), -1).numpy()
        return out

    def score(self, frame: pd.DataFrame, batch: int = 8192) -> dict[str, np.ndarray]:
        """The output columns (prob / prob_<c> + label / prediction) of a frame."""
        cols = tx.model_columns(self.forward(self.features(frame), batch), self.task, self.classes)
        return {name: cols[name] for name in self.outputs}


def loaded(bundle: str, model: str = "auto") -> Loaded:
    """This process's loaded bundle (loaded on first use; a PySpark worker keeps it across tasks)."""
    key = f"{bundle}|{model}"
    got = _LOADED.get(key)
    if got is None:
        got = _LOADED[key] = Loaded(bundle, model)
    return got
