#!/usr/bin/python3
"""OpenBLAS (through torch.mm, PyTorch 1.13) on the GEMM shapes in gemm_shapes.txt; one JSON line per shape.

usage: /usr/bin/python3 cnn4j-bench/gemm_shapes.py SHAPES_FILE [REPS=5] [MIN_TIME=0.3]

Timed like KernelReport's shapes mode: warm-up of >= 0.5 s, then REPS rounds of >= MIN_TIME s each, and the
median round's GFLOP/s (2 m n k per call). A transposed operand is a transposed view of a contiguous tensor,
so torch passes OpenBLAS the same 'T' flag cnn4j gets. OpenBLAS's thread count is set per shape through
openblas_set_num_threads (torch.set_num_threads does not reach it).
"""
import ctypes
import json
import os
import statistics
import sys
import time

import torch


def openblas():
    for line in open(f"/proc/{os.getpid()}/maps"):
        if "openblas" in line:
            return ctypes.CDLL(os.path.realpath(line.split()[-1]))
    raise SystemExit("gemm_shapes.py: torch.mm is not backed by OpenBLAS here (libblas.so.3 alternative)")


def rate(fn, flops, reps, min_time):
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < 0.5:
        fn()
    rounds = []
    for _ in range(reps):
        calls, t0 = 0, time.perf_counter()
        while True:
            fn()
            calls += 1
            t = time.perf_counter() - t0
            if t >= min_time:
                break
        rounds.append(calls * flops / t / 1e9)
    return statistics.median(rounds)


def main():
    path = sys.argv[1]
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    min_time = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
    torch.manual_seed(0)
    torch.mm(torch.randn(8, 8), torch.randn(8, 8))  # loads the BLAS library
    blas = openblas()
    for line in open(path):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        model, layer, op, m, n, k, threads = f[0], f[1], f[2], int(f[3]), int(f[4]), int(f[5]), int(f[6])
        a = torch.rand(k, m).t() if op[0] == "T" else torch.rand(m, k)  # op(A) is m x k either way
        b = torch.rand(n, k).t() if op[1] == "T" else torch.rand(k, n)
        c = torch.empty(m, n)
        # "2" rows use the whole pool in cnn4j (CNN4J_THREADS, else the cores): the same count for OpenBLAS
        threads = 1 if threads == 1 else int(os.environ.get("CNN4J_THREADS") or os.cpu_count())
        blas.openblas_set_num_threads(threads)
        g = rate(lambda: torch.mm(a, b, out=c), 2.0 * m * n * k, reps, min_time)
        print(json.dumps({"lib": "openblas", "model": model, "layer": layer, "op": op, "m": m, "n": n, "k": k,
                          "threads": threads, "gflops": round(g, 2)}), flush=True)


if __name__ == "__main__":
    main()
