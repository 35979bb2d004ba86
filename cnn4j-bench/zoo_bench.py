#!/usr/bin/python3
"""PyTorch's side of org.cnn4j.bench.ZooBench, same protocol, one JSON line per model:
inference images/s at batch 1 and 32 (eval mode, no_grad, forward only) and training images/s (train mode,
cross-entropy, Adam 1e-3; batch 32 for inputs up to 32x32, 8 for 224x224) on random input at the model's
native size. Each measurement: warm-up calls for one second (at least 2), then timed calls until SECONDS have passed (at least 2).

usage: /usr/bin/python3 cnn4j-bench/zoo_bench.py [--threads N] [--seconds S] MODEL...
"""
import json
import os
import sys
import time

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "fixtures"))
import zoo_keys  # noqa: E402  (the seed models as PyTorch code)

SPECS = {"fashion-dnn": (1, 28), "fashion-cnn": (1, 28), "cifar-cnn": (3, 32), "keras-cnn": (1, 28),
         "mnist-encoder": (1, 28), "lenet5": (1, 28), "alexnet": (3, 224), "resnet18": (3, 224),
         "resnet34": (3, 224), "resnet50": (3, 224), "resnet18-cifar": (3, 32), "googlenet": (3, 224),
         "mobilenet-v2": (3, 224)}
for d in (11, 13, 16, 19):
    SPECS[f"vgg{d}"] = SPECS[f"vgg{d}-bn"] = (3, 224)


def build(name):
    factories = dict(zoo_keys.MODELS)
    factories["keras-cnn"] = zoo_keys.KerasCNN
    return factories[name]()


def timed(fn, seconds):
    w0, i = time.perf_counter(), 0
    while i < 2 or time.perf_counter() - w0 < 1.0:
        fn()
        i += 1
    n, t0 = 0, time.perf_counter()
    while True:
        fn()
        n += 1
        el = time.perf_counter() - t0
        if n >= 2 and el >= seconds:
            return n, el


def main():
    args = sys.argv[1:]
    threads, seconds = 2, 3.0
    if "--threads" in args:
        i = args.index("--threads"); threads = int(args[i + 1]); del args[i:i + 2]
    if "--seconds" in args:
        i = args.index("--seconds"); seconds = float(args[i + 1]); del args[i:i + 2]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    for name in args:
        c, s = SPECS[name]
        model = build(name)
        classes = 1000 if s == 224 else 10
        row = {"lib": f"pytorch {torch.__version__}", "model": name, "params": sum(p.numel() for p in model.parameters()),
               "input": [c, s, s], "threads": threads}
        model.eval()
        with torch.no_grad():
            for b in (1, 32):
                x = torch.rand(b, c, s, s)
                n, el = timed(lambda: model(x).argmax(1), seconds)
                row[f"infer_b{b}_images_per_s"] = round(n * b / el, 2)
        tb = 8 if s == 224 else 32
        x = torch.rand(tb, c, s, s)
        y = torch.randint(0, classes, (tb,))
        model.train()
        opt = torch.optim.Adam(model.parameters(), 1e-3)
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
        n, el = timed(step, seconds)
        row["train_batch"] = tb
        row["train_images_per_s"] = round(n * tb / el, 2)
        print(json.dumps(row), flush=True)
        del model, opt


if __name__ == "__main__":
    main()
