"""Writes torch_fixture.safetensors with the real Python safetensors writer (safetensors 0.8.0, torch 1.13).

Run from this directory: PYTHONPATH=<dir with safetensors> python3 make_torch_fixture.py
SafeTensorsTest.readsFileWrittenByPythonSafetensors checks the values below, which are generated from
arange so the test can recompute them.
"""
import torch
from safetensors.torch import save_file

t = {
    # a small conv layer and BatchNorm state as a PyTorch state_dict has them
    "conv.weight": (torch.arange(18, dtype=torch.float32) / 8 - 1).reshape(2, 1, 3, 3),
    "conv.bias": torch.tensor([0.5, -0.25], dtype=torch.float32),
    "bn.running_mean": torch.tensor([0.1, 0.2], dtype=torch.float32),
    "bn.num_batches_tracked": torch.tensor(600, dtype=torch.int64),  # a 0-d I64 scalar
    "f64": torch.tensor([1.5, -2.25, 1e-3], dtype=torch.float64),
    "f16": torch.tensor([0.5, -3.0, 65504.0], dtype=torch.float16),
    "bf16": torch.tensor([1.0, -0.375, 3.0e38], dtype=torch.bfloat16),
    "i32": torch.tensor([-7, 123456], dtype=torch.int32),
    "i16": torch.tensor([-300, 300], dtype=torch.int16),
    "i8": torch.tensor([-128, 127], dtype=torch.int8),
    "u8": torch.tensor([0, 255], dtype=torch.uint8),
    "bool": torch.tensor([True, False, True]),
    "empty": torch.zeros(0, 3, dtype=torch.float32),
}
save_file(t, "torch_fixture.safetensors", metadata={"format": "pt", "note": "cnn4j fixture"})
