"""Runs the `wfsim` program from Python and loads what it writes.

The binary is the first of: the `binary` argument, the WFSIM_BINARY
environment variable, `build/tools/wfsim` of the source tree this package
sits in, `wfsim` on PATH.

`*_command()` build the argument lists (SPEC §3) without running anything;
`run()`, `compare()`, `sweep()` and `sensitivity()` run them and return the
loaded `ResultsFile`. Without `output`, results go to a new temporary
directory (the file's path is `results.path`); it is not deleted.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .reader import open as open_results

SOURCE_ROOT = Path(__file__).resolve().parents[3]


class CommandError(Exception):
    """`wfsim` exited with a non-zero code: `returncode`, `message` (the
    error it printed on stderr), `command`, `stdout`, `stderr`."""

    def __init__(self, command, returncode, stdout, stderr):
        self.command = list(command)
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        lines = [line for line in stderr.strip().splitlines() if line.strip()]
        self.message = "\n".join(lines) if lines else f"exit code {returncode}"
        super().__init__(f"wfsim exited with code {returncode}: {self.message}")


class BinaryNotFound(Exception):
    pass


def find_binary(binary=None):
    """The wfsim program to run (see the module's documentation)."""
    if binary is not None:
        candidate = Path(binary)
        if not (candidate.is_file() and os.access(candidate, os.X_OK)):
            raise BinaryNotFound(f"{binary}: not an executable file")
        return str(candidate)
    from_environment = os.environ.get("WFSIM_BINARY")
    if from_environment:
        if not (Path(from_environment).is_file() and os.access(from_environment, os.X_OK)):
            raise BinaryNotFound(f"WFSIM_BINARY={from_environment}: not an executable file")
        return from_environment
    built = SOURCE_ROOT / "build" / "tools" / "wfsim"
    if built.is_file() and os.access(built, os.X_OK):
        return str(built)
    on_path = shutil.which("wfsim")
    if on_path:
        return on_path
    raise BinaryNotFound(
        "cannot find the wfsim program: pass binary=..., set WFSIM_BINARY, "
        f"build it in {SOURCE_ROOT / 'build'} or put it on PATH"
    )


def yaml_value(value):
    """A Python value as the YAML text `--set PATH=VALUE` parses back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        value = list(value)
    return json.dumps(value)  # JSON is YAML flow style


def _set_arguments(settings):
    arguments = []
    for path, value in (settings or {}).items():
        arguments += ["--set", f"{path}={yaml_value(value)}"]
    return arguments


def _common(replications=None, seed=None, threads=None, output=None):
    arguments = []
    if replications is not None:
        arguments += ["-r", str(int(replications))]
    if seed is not None:
        arguments += ["-s", str(int(seed))]
    if threads is not None:
        arguments += ["-j", str(int(threads))]
    if output is not None:
        arguments += ["-o", os.fspath(output)]
    return arguments


def run_command(scenario, replications=None, seed=None, threads=None, output=None, set=None,
                trace=None, force=False, quiet=True, binary="wfsim"):
    command = [binary, "run", os.fspath(scenario)]
    command += _common(replications, seed, threads, output)
    if force:
        command.append("--force")
    command += _set_arguments(set)
    if trace is not None:
        command += ["--trace", str(int(trace))]
    if quiet:
        command.append("--quiet")
    return command


def compare_command(base, *policies, replications=None, seed=None, threads=None, output=None,
                    csv=None, binary="wfsim"):
    if not policies:
        raise ValueError("compare needs at least one policy scenario")
    command = [binary, "compare", os.fspath(base), *(os.fspath(p) for p in policies)]
    command += _common(replications, seed, threads, output)
    if csv is not None:
        command += ["--csv", os.fspath(csv)]
    return command


def vary_text(spec):
    """A sweep dimension as `--vary` expects it: a list of values ->
    "v1,v2,v3"; a (lo, hi, n) tuple -> "lo:hi:n"; a (lo, hi) tuple (Latin
    hypercube) -> "lo:hi"; a string as given."""
    if isinstance(spec, str):
        return spec
    if isinstance(spec, tuple):
        if len(spec) not in (2, 3):
            raise ValueError(f"a range is (lo, hi) or (lo, hi, n), got {spec!r}")
        parts = [yaml_value(spec[0]), yaml_value(spec[1])]
        if len(spec) == 3:
            parts.append(str(int(spec[2])))
        return ":".join(parts)
    values = list(spec)
    if not values:
        raise ValueError("a sweep dimension needs at least one value")
    return ",".join(yaml_value(v) for v in values)


def sweep_command(scenario, vary, lhs=None, replications=None, seed=None, threads=None,
                  output=None, csv=None, binary="wfsim"):
    if not vary:
        raise ValueError("sweep needs at least one --vary dimension")
    command = [binary, "sweep", os.fspath(scenario)]
    if lhs is not None:
        command += ["--lhs", str(int(lhs))]
    for path, spec in vary.items():
        command += ["--vary", f"{path}={vary_text(spec)}"]
    command += _common(replications, seed, threads, output)
    if csv is not None:
        command += ["--csv", os.fspath(csv)]
    return command


def sensitivity_command(scenario, paths, delta=None, replications=None, seed=None, threads=None,
                        output=None, binary="wfsim"):
    if isinstance(paths, str):
        paths = [paths]
    if not paths:
        raise ValueError("sensitivity needs at least one --path")
    command = [binary, "sensitivity", os.fspath(scenario)]
    for path in paths:
        command += ["--path", path]
    if delta is not None:
        command += ["--delta", repr(float(delta))]
    command += _common(replications, seed, threads, output)
    return command


def execute(command):
    """Runs a command line; raises CommandError on a non-zero exit."""
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise CommandError(command, completed.returncode, completed.stdout, completed.stderr)
    return completed


def _output_path(output, name):
    if output is not None:
        return os.fspath(output)
    return os.path.join(tempfile.mkdtemp(prefix="wfsim-"), f"{name}.h5")


def _load(command, output):
    completed = execute(command)
    results = open_results(output)
    results.cli_output = completed.stdout
    return results


def run(scenario, replications=None, seed=None, threads=None, output=None, set=None, trace=None,
        force=False, binary=None):
    """`wfsim run`; returns the loaded ResultsFile (its `cli_output` holds
    the KPI table the program printed)."""
    output = _output_path(output, "run")
    command = run_command(scenario, replications, seed, threads, output, set, trace, force,
                          quiet=False, binary=find_binary(binary))
    return _load(command, output)


def compare(base, *policies, replications=None, seed=None, threads=None, output=None, csv=None,
            binary=None):
    """`wfsim compare BASE POLICY...`; returns the loaded ResultsFile."""
    output = _output_path(output, "compare")
    command = compare_command(base, *policies, replications=replications, seed=seed,
                              threads=threads, output=output, csv=csv,
                              binary=find_binary(binary))
    return _load(command, output)


def sweep(scenario, vary, lhs=None, replications=None, seed=None, threads=None, output=None,
          csv=None, binary=None):
    """`wfsim sweep` over `vary` ({PATH: values or range}); returns the
    loaded ResultsFile (`sweep_table()`, `point(k)`)."""
    output = _output_path(output, "sweep")
    command = sweep_command(scenario, vary, lhs, replications, seed, threads, output, csv,
                            binary=find_binary(binary))
    return _load(command, output)


def sensitivity(scenario, paths, delta=None, replications=None, seed=None, threads=None,
                output=None, binary=None):
    """`wfsim sensitivity`; returns the loaded ResultsFile
    (`sensitivity_table()`)."""
    output = _output_path(output, "sensitivity")
    command = sensitivity_command(scenario, paths, delta, replications, seed, threads, output,
                                  binary=find_binary(binary))
    return _load(command, output)
