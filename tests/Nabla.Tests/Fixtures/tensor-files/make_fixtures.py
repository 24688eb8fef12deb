#!/usr/bin/env python3
"""Writes the tensor-file fixtures that the .npy/.npz/safetensors tests read.

Run once from this folder with Debian's python3-numpy: `/usr/bin/python3 make_fixtures.py`.
The values follow simple formulas (i * 0.25 - 1, i * 0.1 - 0.7, ...) that the tests recompute;
the safetensors file is assembled here with struct and json, following the format specification,
so that it does not come from Nabla's own writer.
"""
import json
import struct

import numpy as np

f32 = (np.arange(24, dtype=np.float32) * np.float32(0.25) - np.float32(1)).reshape(2, 3, 4)
f64 = (np.arange(15, dtype=np.float64) * 0.1 - 0.7).reshape(3, 5)

np.save("float32_2x3x4.npy", f32)
np.save("float64_3x5.npy", f64)
np.save("scalar_float64.npy", np.array(2.5))
np.save("fortran_float64_2x3.npy", np.asfortranarray(np.arange(6, dtype=np.float64).reshape(2, 3)))
np.save("bigendian_float32_3x2.npy", np.arange(6, dtype=">f4").reshape(3, 2))
np.save("empty_float32_0x3.npy", np.zeros((0, 3), dtype=np.float32))
np.save("int32_4.npy", np.arange(4, dtype=np.int32))
np.save("bool_3.npy", np.array([True, False, True]))
np.save("uint8_2.npy", np.array([1, 2], dtype=np.uint8))
np.save("float16_2.npy", np.array([1, 2], dtype=np.float16))
np.savez("arrays.npz", weights=f32, bias=f64)
np.savez_compressed("arrays_compressed.npz", weights=f32, bias=f64)


def safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (code, array) in tensors.items():
        data = array.astype(array.dtype.newbyteorder("<")).tobytes(order="C")
        header[name] = {"dtype": code, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


safetensors("model.safetensors", {"dense/kernel": ("F32", f32), "dense/bias": ("F64", f64)}, {"format": "pt"})
safetensors("int64.safetensors", {"ids": ("I64", np.arange(3, dtype=np.int64))}, None)
