#!/usr/bin/python3
"""Compares two wfsim results files dataset by dataset and attribute by
attribute, as tools/same-results.sh needs: every dataset (numeric, string
and compound) must have the same type, shape and bits; every attribute the
same value, except those that record when, where and how fast a run went.

    tools/h5-same.py REFERENCE.h5 CURRENT.h5

Prints one line per difference and exits 1 if there is any. Datasets and
attributes that only CURRENT has are listed as additions and do not fail:
a change may add outputs without changing the ones that were there.
"""
import math
import sys

import h5py
import numpy

# Timing and provenance: they differ between any two runs.
IGNORED_ATTRIBUTES = {"created_utc", "git_sha", "wall_seconds", "wfsim_version", "threads", "ranks"}


def same_value(a, b):
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b


def same_array(a, b):
    a, b = numpy.asarray(a), numpy.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        return False
    if a.dtype.hasobject:
        return same_value(a.tolist(), b.tolist())
    return a.tobytes() == b.tobytes()


def describe(value):
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def objects(h5file):
    found = {}

    def collect(name, obj):
        found["/" + name] = obj  # returns None: visititems stops at any other value

    h5file.visititems(collect)
    found["/"] = h5file
    return found


def compare(reference_path, current_path):
    problems, additions = [], []
    with h5py.File(reference_path, "r") as reference, h5py.File(current_path, "r") as current:
        ref_objects, cur_objects = objects(reference), objects(current)
        for name in sorted(ref_objects):
            ref = ref_objects[name]
            if name not in cur_objects:
                problems.append(f"{name}: missing")
                continue
            cur = cur_objects[name]
            if isinstance(ref, h5py.Dataset) != isinstance(cur, h5py.Dataset):
                problems.append(f"{name}: a dataset in one file, a group in the other")
                continue
            if isinstance(ref, h5py.Dataset):
                if ref.dtype != cur.dtype or ref.shape != cur.shape:
                    problems.append(
                        f"{name}: {ref.dtype}{ref.shape} against {cur.dtype}{cur.shape}")
                elif not same_array(ref[()], cur[()]):
                    problems.append(f"{name}: values differ")
            for key in sorted(ref.attrs):
                if key in IGNORED_ATTRIBUTES:
                    continue
                if key not in cur.attrs:
                    problems.append(f"{name} @{key}: missing")
                elif not same_array(ref.attrs[key], cur.attrs[key]):
                    problems.append(f"{name} @{key}: {describe(ref.attrs[key])} against "
                                    f"{describe(cur.attrs[key])}")
            additions += [f"{name} @{key}" for key in sorted(cur.attrs) if key not in ref.attrs]
        additions += [name for name in sorted(cur_objects) if name not in ref_objects]
    return problems, additions


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[4].strip(), file=sys.stderr)
        return 2
    problems, additions = compare(argv[1], argv[2])
    for line in problems:
        print(f"differs: {line}")
    for line in additions:
        print(f"added:   {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
