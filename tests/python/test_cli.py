"""Running the wfsim program from Python."""

import os
import shutil
import stat
import tempfile
import unittest
from pathlib import Path
from unittest import mock

import support
import wfsim
from wfsim import cli


class CommandLines(unittest.TestCase):
    def test_run_passes_every_option(self):
        command = wfsim.run_command(
            "s.yaml", replications=10, seed=5, threads=2, output="o.h5",
            set={"roles.a.attrition": 1.2, "roles.a.hiring.enabled": False,
                 "roles.a.growth": {"piecewise": [[0, 0.2], [1, 0.05]]}},
            trace=3, force=True, binary="wfsim")
        self.assertEqual(command, [
            "wfsim", "run", "s.yaml", "-r", "10", "-s", "5", "-j", "2", "-o", "o.h5", "--force",
            "--set", "roles.a.attrition=1.2", "--set", "roles.a.hiring.enabled=false",
            "--set", 'roles.a.growth={"piecewise": [[0, 0.2], [1, 0.05]]}',
            "--trace", "3", "--quiet"])

    def test_compare_lists_the_base_then_the_policies(self):
        self.assertEqual(
            wfsim.compare_command("base.yaml", "p1.yaml", "p2.yaml", replications=50, seed=9,
                                  output="c.h5", csv="c.csv"),
            ["wfsim", "compare", "base.yaml", "p1.yaml", "p2.yaml", "-r", "50", "-s", "9",
             "-o", "c.h5", "--csv", "c.csv"])
        with self.assertRaises(ValueError):
            wfsim.compare_command("base.yaml")

    def test_sweep_takes_value_lists_ranges_and_latin_hypercubes(self):
        self.assertEqual(
            wfsim.sweep_command("s.yaml", {"programs.x.capacity": [1000, 2000, 3000],
                                           "budget.total": (1e8, 7e8, 4)},
                                replications=20, output="w.h5", csv="w.csv"),
            ["wfsim", "sweep", "s.yaml", "--vary", "programs.x.capacity=1000,2000,3000",
             "--vary", "budget.total=100000000.0:700000000.0:4", "-r", "20", "-o", "w.h5",
             "--csv", "w.csv"])
        self.assertEqual(
            wfsim.sweep_command("s.yaml", {"roles.a.attrition": (0.8, 1.2),
                                           "roles.b.growth": "0:0.3"}, lhs=16),
            ["wfsim", "sweep", "s.yaml", "--lhs", "16", "--vary", "roles.a.attrition=0.8:1.2",
             "--vary", "roles.b.growth=0:0.3"])
        with self.assertRaises(ValueError):
            wfsim.sweep_command("s.yaml", {})

    def test_sensitivity_lists_each_path(self):
        self.assertEqual(
            wfsim.sensitivity_command("s.yaml", ["roles.a.attrition", "budget.total"],
                                      delta=0.2, replications=30, output="x.h5"),
            ["wfsim", "sensitivity", "s.yaml", "--path", "roles.a.attrition", "--path",
             "budget.total", "--delta", "0.2", "-r", "30", "-o", "x.h5"])


class FindingTheBinary(unittest.TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))
        self.fake = self.directory / "wfsim"
        self.fake.write_text("#!/bin/sh\n")
        self.fake.chmod(self.fake.stat().st_mode | stat.S_IXUSR)

    def tearDown(self):
        shutil.rmtree(self.directory)

    def test_the_argument_comes_first_then_the_environment(self):
        with mock.patch.dict(os.environ, {"WFSIM_BINARY": support.BINARY}):
            self.assertEqual(wfsim.find_binary(str(self.fake)), str(self.fake))
            self.assertEqual(wfsim.find_binary(), support.BINARY)

    def test_then_the_build_tree_then_path(self):
        environment = {k: v for k, v in os.environ.items() if k != "WFSIM_BINARY"}
        environment["PATH"] = str(self.directory)
        with mock.patch.dict(os.environ, environment, clear=True):
            with mock.patch.object(cli, "SOURCE_ROOT", self.directory / "elsewhere"):
                self.assertEqual(wfsim.find_binary(), str(self.fake))
            tree = self.directory / "tree"
            (tree / "build" / "tools").mkdir(parents=True)
            built = tree / "build" / "tools" / "wfsim"
            shutil.copy(self.fake, built)
            with mock.patch.object(cli, "SOURCE_ROOT", tree):
                self.assertEqual(wfsim.find_binary(), str(built))

    def test_a_missing_binary_is_an_error(self):
        with self.assertRaises(wfsim.BinaryNotFound):
            wfsim.find_binary(str(self.directory / "missing"))
        with mock.patch.dict(os.environ, {"WFSIM_BINARY": str(self.directory / "missing")}):
            with self.assertRaisesRegex(wfsim.BinaryNotFound, "WFSIM_BINARY"):
                wfsim.find_binary()


class Running(unittest.TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))

    def tearDown(self):
        shutil.rmtree(self.directory)

    def test_run_returns_the_loaded_results(self):
        output = self.directory / "quick.h5"
        results = wfsim.run(support.SCENARIOS / "quickstart.yaml", replications=3, seed=11,
                            threads=1, output=output, set={"roles.picker.attrition": 0.5},
                            trace=1, binary=support.BINARY)
        self.assertEqual(results.path, str(output))
        self.assertEqual(results.meta["seed"], 11)
        self.assertIn("attrition: 0.5", results.meta["scenario_yaml"])
        self.assertEqual(len(results.totals()), 3)
        self.assertEqual(set(results.events().replication), {0})
        self.assertIn("exits", results.cli_output)

    def test_without_output_the_file_goes_to_a_temporary_directory(self):
        with mock.patch.dict(os.environ, {"WFSIM_BINARY": support.BINARY}):
            results = wfsim.run(support.SCENARIOS / "quickstart.yaml", replications=2, threads=1)
        try:
            self.assertTrue(Path(results.path).is_file())
            self.assertEqual(results.replication_status.tolist(), [1, 1])
        finally:
            shutil.rmtree(Path(results.path).parent)

    def test_a_failing_run_raises_with_the_message_and_exit_code(self):
        bad = self.directory / "bad.yaml"
        bad.write_text("wfsim: 1\nname: bad\nhorizon_years: 1\nroles:\n"
                       "  - id: a\n    headcount: 10\n    attrition: high\n")
        with self.assertRaises(wfsim.CommandError) as caught:
            wfsim.run(bad, output=self.directory / "bad.h5", binary=support.BINARY)
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("attrition", caught.exception.message)
        self.assertIn("bad.yaml:7", caught.exception.message)
        self.assertIn("exited with code 2", str(caught.exception))

    def test_an_existing_output_is_kept_unless_forced(self):
        output = self.directory / "quick.h5"
        arguments = dict(replications=1, threads=1, output=output, binary=support.BINARY)
        wfsim.run(support.SCENARIOS / "quickstart.yaml", **arguments)
        with self.assertRaises(wfsim.CommandError) as caught:
            wfsim.run(support.SCENARIOS / "quickstart.yaml", **arguments)
        self.assertEqual(caught.exception.returncode, 2)
        self.assertIn("--force", caught.exception.message)
        wfsim.run(support.SCENARIOS / "quickstart.yaml", force=True, **arguments)


if __name__ == "__main__":
    unittest.main()
