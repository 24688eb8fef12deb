#!/usr/bin/env python3
"""Writes the ONNX import fixtures with PyTorch's exporter, and the outputs PyTorch computes for them.

Run once from this folder with Debian's python3-torch: `/usr/bin/python3 make_fixtures.py`.
Each model NAME gives NAME.onnx (opset 17, batch dimension dynamic), NAME-input.npy (the input) and
NAME-output.npy (PyTorch's output for it); the tests import NAME.onnx into Nabla and compare.
"""
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

torch.manual_seed(7)


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 8), nn.Tanh(), nn.Linear(8, 4))

    def forward(self, x):
        return torch.log_softmax(self.net(x), dim=1)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
        self.conv2 = nn.Conv2d(4, 6, 3, stride=2)
        self.fc = nn.Linear(6, 5)

    def forward(self, x):
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.sigmoid(self.conv2(x))
        x = F.avg_pool2d(x, 2)
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class Broadcasting(nn.Module):
    """Gemm with alpha, beta and a transposed operand, and elementwise broadcasting in both directions."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(5, 6))
        self.c = nn.Parameter(torch.randn(5))
        self.scale = nn.Parameter(torch.randn(3, 1))
        self.shift = nn.Parameter(torch.randn(1, 5))

    def forward(self, x):
        y = torch.addmm(self.c, x, self.w.t(), beta=0.5, alpha=2.0)
        z = y.unsqueeze(1) * self.scale + self.shift
        return torch.exp(-z * z).sum(dim=2) - torch.sqrt(torch.abs(y)).max(dim=1, keepdim=True).values


models = {
    "mlp": (Mlp(), torch.rand(3, 12)),
    "cnn": (Cnn(), torch.rand(2, 1, 10, 10)),
    "broadcasting": (Broadcasting(), torch.randn(4, 6)),
}
for name, (model, x) in models.items():
    model.eval()
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, (x,), f"{name}.onnx", input_names=["x"], output_names=["y"], opset_version=17,
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}}, do_constant_folding=True)
    np.save(f"{name}-input.npy", x.numpy())
    np.save(f"{name}-output.npy", y.numpy())
    print(name, tuple(x.shape), "->", tuple(y.shape))
