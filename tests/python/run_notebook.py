"""Executes a notebook top to bottom with nbconvert, its kernel being this
interpreter (the one CMake chose), and fails on the first cell that raises.

    python3 run_notebook.py NOTEBOOK.ipynb OUTPUT_DIR

The executed copy goes to OUTPUT_DIR; the notebook's own results go to a
temporary directory (WFSIM_NOTEBOOK_OUTPUT) removed afterwards.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def check_figures(executed):
    """Every cell that returned a figure shows it as an image (a Figure
    without a display formatter would show only its repr)."""
    cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    images = 0
    for number, cell in enumerate(cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            text = "".join(data.get("text/plain", ""))
            if text.startswith("<Figure") and "image/png" not in data:
                print(f"{executed}: cell {number} shows {text!r} instead of the figure",
                      file=sys.stderr)
                return 1
            images += "image/png" in data
    if images == 0:
        print(f"{executed}: no figure was drawn", file=sys.stderr)
        return 1
    print(f"{executed}: {images} figures")
    return 0


def main(notebook, output_dir):
    work = Path(tempfile.mkdtemp(prefix="wfsim-notebook-test-"))
    try:
        # A kernelspec named python3 (the notebooks' kernel) running this
        # interpreter, found first on JUPYTER_PATH.
        spec = work / "jupyter" / "kernels" / "python3"
        spec.mkdir(parents=True)
        (spec / "kernel.json").write_text(json.dumps({
            "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python 3 (wfsim tests)", "language": "python"}))
        environment = {**os.environ, "JUPYTER_PATH": str(work / "jupyter"),
                       "WFSIM_NOTEBOOK_OUTPUT": str(work / "results"), "MPLBACKEND": "Agg",
                       # ipykernel's debugger warns about frozen modules otherwise.
                       "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
        completed = subprocess.run(
            [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
             "--output-dir", output_dir, "--ExecutePreprocessor.timeout=300",
             "--ExecutePreprocessor.kernel_name=python3", notebook],
            env=environment, check=False)
        if completed.returncode != 0:
            return completed.returncode
        return check_figures(Path(output_dir) / Path(notebook).name)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
