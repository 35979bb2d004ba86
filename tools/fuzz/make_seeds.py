"""Writes the seed inputs of cnn4j's parser fuzzing under cnn4j-core/src/test/resources/fuzz/<target>/.

Run once (any Python 3 with Pillow, e.g. /usr/bin/python3):  /usr/bin/python3 tools/fuzz/make_seeds.py
The seeds are small valid files of each format; the fuzzers (org.cnn4j.reliability.fuzz) mutate them.
Crash inputs found later are committed beside them as crash-<name> and replayed by every test run.
"""
import gzip
import io
import json
import os
import struct
import tarfile

from PIL import Image

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "cnn4j-core", "src", "test", "resources", "fuzz")


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0) as g:
        g.write(data)
    return out.getvalue()


def idx():
    images = bytes([0, 0, 8, 3]) + struct.pack(">III", 3, 4, 5) + bytes(range(60))
    labels = bytes([0, 0, 8, 1]) + struct.pack(">I", 3) + bytes([1, 7, 9])
    put("idx-images", "seed-images", images)
    put("idx-images", "seed-images.gz", gz(images))
    put("idx-labels", "seed-labels", labels)
    put("idx-labels", "seed-labels.gz", gz(labels))


def safetensors(tensors, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    js = json.dumps(header, separators=(",", ":")).encode()
    js += b" " * ((8 - len(js) % 8) % 8)
    return struct.pack("<Q", len(js)) + js + b"".join(blobs)


def st():
    put("safetensors", "seed-f32", safetensors({
        "conv.weight": ("F32", [2, 1, 2, 2], struct.pack("<8f", *[0.5 * i for i in range(8)])),
        "conv.bias": ("F32", [2], struct.pack("<2f", 1.0, -1.0)),
        "bn.num_batches_tracked": ("I64", [], struct.pack("<q", 3)),
    }, {"format": "pt", "model": "fashion-cnn"}))
    put("safetensors", "seed-mixed", safetensors({
        "a": ("F16", [3], struct.pack("<3e", 1.0, 2.5, -0.5)),
        "b": ("U8", [2, 2], bytes([1, 2, 3, 255])),
        "c": ("BF16", [1], bytes([0x80, 0x3f])),
        "d": ("F64", [1], struct.pack("<d", 3.25)),
        "e": ("BOOL", [0], b""),
    }))


def js():
    docs = {
        "seed-metrics.json": {"model": "fashion-cnn", "epochs": 5, "test_accuracy": 0.9123, "lr": 1e-3, "ok": True,
                              "none": None, "history": [0.5, 0.25, 1.5e-7], "names": ["T-shirt/top", "Trouser"]},
        "seed-nested.json": [[[1, -2, {"k": "v\u00e9\u2603", "e": "\\n\\t\\u0041"}]], [], {}],
        "seed-numbers.json": [0, -0, 1.5, -2.5e10, 123456789012345678901234567890, 9.999e-300, 1E+2],
    }
    for name, doc in docs.items():
        put("json", name, json.dumps(doc, ensure_ascii=name != "seed-nested.json", indent=1).encode("utf-8"))


def tar():
    for fmt, name in ((tarfile.USTAR_FORMAT, "seed-ustar.tar"), (tarfile.GNU_FORMAT, "seed-gnu.tar"), (tarfile.PAX_FORMAT, "seed-pax.tar")):
        out = io.BytesIO()
        with tarfile.open(fileobj=out, mode="w", format=fmt) as t:
            d = tarfile.TarInfo("cifar-10-batches-bin")
            d.type = tarfile.DIRTYPE
            d.mtime = 0
            t.addfile(d)
            for fname, content in (("cifar-10-batches-bin/batches.meta.txt", b"airplane\nautomobile\n"),
                                   ("cifar-10-batches-bin/" + "x" * (120 if fmt != tarfile.USTAR_FORMAT else 10) + ".bin", bytes(range(256)) * 3)):
                info = tarfile.TarInfo(fname)
                info.size = len(content)
                info.mtime = 0
                t.addfile(info, io.BytesIO(content))
        put("tar", name, out.getvalue())


def cifar():
    recs = b""
    for r in range(3):
        recs += bytes([r * 3]) + bytes((r * 7 + i) % 256 for i in range(3072))
    put("cifar10", "seed-test_batch.bin", recs)


def images():
    def save(img, fmt, name, **kw):
        out = io.BytesIO()
        img.save(out, fmt, **kw)
        put("image", name, out.getvalue())
    gray = Image.frombytes("L", (4, 3), bytes(range(0, 240, 20)))
    rgb = Image.frombytes("RGB", (3, 2), bytes(range(0, 180, 10)))
    save(gray, "PNG", "seed-gray.png")
    save(rgb, "PNG", "seed-rgb.png")
    save(rgb.convert("P"), "PNG", "seed-palette.png")
    save(rgb.convert("RGBA"), "PNG", "seed-rgba.png")
    save(Image.frombytes("RGB", (8, 8), bytes(range(192))), "JPEG", "seed.jpg", quality=90)
    save(rgb, "BMP", "seed.bmp")
    save(rgb.convert("P"), "GIF", "seed.gif")


if __name__ == "__main__":
    idx()
    st()
    js()
    tar()
    cifar()
    images()
    for t in sorted(os.listdir(ROOT)):
        print(t, sorted(os.listdir(os.path.join(ROOT, t))))
