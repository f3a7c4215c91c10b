"""Reading files written by the built `wfsim run`, `sweep` and `sensitivity`."""

import math
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np

import support
import wfsim


def run_binary(*arguments):
    subprocess.run([support.BINARY, "run", *map(str, arguments), "-j", "1", "--quiet"],
                   check=True, capture_output=True, text=True)


class RunFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))
        cls.traced = cls.directory / "traced.h5"
        run_binary(support.SCENARIOS / "quickstart.yaml", "-r", 4, "-s", 3, "--trace", 2,
                   "-o", cls.traced)
        scenario = cls.directory / "uncertain.yaml"
        scenario.write_text(support.UNCERTAIN_SCENARIO)
        cls.uncertain = cls.directory / "uncertain.h5"
        run_binary(scenario, "-o", cls.uncertain)
        cls.interrupted = cls.directory / "interrupted.h5"
        shutil.copy(cls.traced, cls.interrupted)
        with h5py.File(cls.interrupted, "r+") as f:
            f["replication_status"][1] = 0
            f["replication_status"][3] = 0

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory)

    def test_a_run_file_exposes_its_provenance(self):
        results = wfsim.open(self.traced)
        self.assertEqual(results.kind, "run")
        self.assertEqual(results.scenarios(), ["quickstart"])
        self.assertEqual(results.meta["scenario_name"], "quickstart")
        self.assertEqual(results.meta["seed"], 3)
        self.assertEqual(results.meta["replications"], 4)
        self.assertIn("name: quickstart", results.meta["scenario_yaml"])
        self.assertTrue(results.meta["git_sha"])
        self.assertEqual(list(results.replication_status), [1, 1, 1, 1])
        self.assertEqual(results.scenario().roles, ["picker", "analyst", "supervisor"])

    def test_trajectories_are_long_with_one_row_per_replication_time_role_and_metric(self):
        results = wfsim.open(self.traced)
        frame = results.trajectories()
        self.assertEqual(list(frame.columns),
                         ["scenario", "replication", "time", "role", "metric", "value"])
        T = len(results.scenario().time)
        self.assertEqual(len(frame), 4 * T * 3 * 17)
        self.assertEqual(list(frame.metric.unique()[:3]), ["headcount", "positions", "vacancies"])
        with h5py.File(self.traced, "r") as f:
            expected = f["trajectories/headcount"][2, 5, 1]
            time = f["time"][5]
        row = frame[(frame.metric == "headcount") & (frame.replication == 2)
                    & (frame.time == time) & (frame.role == "analyst")]
        self.assertEqual(row.value.tolist(), [expected])

    def test_metric_info_is_what_the_datasets_attributes_say(self):
        metrics = wfsim.open(self.traced).metric_info()
        with h5py.File(self.traced, "r") as f:
            for group in ("trajectories", "program_trajectories", "totals", "program_totals"):
                self.assertEqual(set(metrics.groups[group]), set(f[group].keys()))
                for name, info in metrics.groups[group].items():
                    attributes = f[group][name].attrs
                    self.assertEqual((info.label, info.unit, info.kind),
                                     (attributes["label"], attributes["unit"],
                                      attributes["kind"]), f"{group}/{name}")
        self.assertEqual(list(metrics.groups["trajectories"])[:3],
                         ["headcount", "positions", "vacancies"])
        total_cost = metrics.info("total_cost")
        self.assertEqual((total_cost.unit, total_cost.kind, total_cost.headline),
                         ("money", "total", 1))
        self.assertTrue(metrics.is_money("total_cost"))
        self.assertEqual(metrics.short_label("total_cost"), "Total cost")
        self.assertEqual(metrics.info("final_headcount").kind, "final")
        self.assertEqual(metrics.trajectory_info("in_training").kind, "stock")
        self.assertEqual(metrics.trajectory_info("enrolled").unit, "people")
        self.assertEqual(metrics.info("spend", "program_totals").unit, "money")

    def test_the_headline_kpis_are_those_the_file_names_in_their_order(self):
        metrics = wfsim.open(self.traced).metric_info()
        self.assertEqual(metrics.headline_kpis(), ["total_cost", "final_headcount", "layoffs",
                                                   "external_hires", "completions",
                                                   "program_spend"])
        with h5py.File(self.traced, "r") as f:
            places = {kpi: int(f["totals"][kpi].attrs["headline"])
                      for kpi in f["totals"].keys() if "headline" in f["totals"][kpi].attrs}
        self.assertEqual(sorted(places, key=places.get), metrics.headline_kpis())

    def test_wide_trajectories_have_one_column_per_metric(self):
        wide = wfsim.open(self.traced).trajectories(metrics=["headcount", "exits"], wide=True)
        self.assertEqual(list(wide.columns),
                         ["scenario", "replication", "time", "role", "headcount", "exits"])
        initial = wide[(wide.time == 0) & (wide.replication == 0)]
        self.assertEqual(initial.headcount.tolist(), [1500, 100, 400])

    def test_summaries_agree_with_the_trajectories_they_summarise(self):
        results = wfsim.open(self.traced)
        summary = results.summaries()
        self.assertEqual(list(summary.columns), ["scenario", "kind", "name", "metric", "time",
                                                 "mean", "sd", "p05", "p50", "p95"])
        headcount = summary[(summary.metric == "headcount") & (summary.kind == "role")]
        means = (results.trajectories(metrics=["headcount"], wide=True)
                 .groupby(["time", "role"]).headcount.mean())
        for row in headcount.itertuples():
            self.assertAlmostEqual(row.mean, means[(row.time, row.name)], places=9)

    def test_totals_have_one_row_per_replication_and_kpis_match_the_printed_table(self):
        results = wfsim.open(self.traced)
        totals = results.totals()
        self.assertEqual(list(totals.columns[:4]), ["scenario", "replication", "exits", "layoffs"])
        self.assertEqual(totals.replication.tolist(), [0, 1, 2, 3])
        with h5py.File(self.traced, "r") as f:
            np.testing.assert_array_equal(totals.total_cost, f["totals/total_cost"][()])
        kpis = results.kpis().set_index("kpi")
        self.assertAlmostEqual(kpis.loc["exits", "mean"], totals.exits.mean())
        self.assertLess(kpis.loc["exits", "ci_low"], kpis.loc["exits", "mean"])
        printed = subprocess.run([support.BINARY, "info", str(self.traced)], check=True,
                                 capture_output=True, text=True).stdout
        line = next(l for l in printed.splitlines() if l.startswith("exits "))
        low = float(line.split("[")[1].split(",")[0])
        self.assertAlmostEqual(kpis.loc["exits", "ci_low"], low, delta=0.5)
        summaries = results.total_summaries().set_index("kpi")
        self.assertAlmostEqual(summaries.loc["exits", "mean"], totals.exits.mean())

    def test_the_trace_names_events_roles_and_programs(self):
        events = wfsim.open(self.traced).events()
        self.assertEqual(list(events.columns), ["scenario", "replication", "time", "agent",
                                                "event", "role", "program"])
        self.assertEqual(sorted(events.replication.unique()), [0, 1])
        self.assertIn("exit", set(events.event))
        self.assertTrue(set(events.role.dropna()) <= {"picker", "analyst", "supervisor"})
        self.assertTrue(events.program.isna().all())

    def test_a_file_without_trace_says_so(self):
        with self.assertRaisesRegex(wfsim.FormatError, "--trace"):
            wfsim.open(self.uncertain).events()

    def test_uncertain_parameters_are_one_column_per_path_or_shared_name_in_scenario_order(self):
        results = wfsim.open(self.uncertain)
        parameters = results.parameters()
        self.assertEqual(list(parameters.columns),
                         ["scenario", "replication", "roles.clerk.attrition", "market"])
        self.assertEqual(len(parameters), 5)
        self.assertTrue(parameters["roles.clerk.attrition"].between(0.2, 0.4).all())
        self.assertTrue(parameters["market"].between(0.1, 0.2).all())
        self.assertGreater(parameters["roles.clerk.attrition"].nunique(), 1)
        info = results.parameter_info().set_index("name")
        self.assertEqual(info.loc["market", "paths"], "roles.lead.attrition")

    def test_program_frames_have_one_row_per_program(self):
        results = wfsim.open(self.uncertain)
        trajectories = results.program_trajectories()
        self.assertEqual(list(trajectories.columns),
                         ["scenario", "replication", "time", "program", "metric", "value"])
        self.assertEqual(set(trajectories.program), {"course"})
        totals = results.program_totals()
        self.assertEqual(list(totals.columns[:3]), ["scenario", "replication", "program"])
        self.assertEqual(len(totals), 5)
        enrolled = results.totals().enrollments.to_numpy()
        np.testing.assert_array_equal(totals.enrollments.to_numpy(), enrolled)
        self.assertGreater(enrolled.sum(), 0)

    def test_an_interrupted_file_exposes_only_committed_replications(self):
        results = wfsim.open(self.interrupted)
        self.assertEqual(list(results.replication_status), [1, 0, 1, 0])
        self.assertEqual(results.totals().replication.tolist(), [0, 2])
        self.assertEqual(sorted(results.trajectories().replication.unique()), [0, 2])
        self.assertEqual(sorted(results.events().replication.unique()), [0])
        self.assertEqual(results.kpis().n.max(), 2)
        everything = wfsim.open(self.interrupted, include_uncommitted=True)
        self.assertEqual(everything.totals().replication.tolist(), [0, 1, 2, 3])

    def test_a_file_that_is_not_a_results_file_is_rejected_clearly(self):
        path = self.directory / "empty.h5"
        with h5py.File(path, "w") as f:
            f.create_group("something")
        with self.assertRaisesRegex(wfsim.FormatError, "not a wfsim results file"):
            wfsim.open(path)
        text = self.directory / "text.h5"
        text.write_text("not hdf5")
        with self.assertRaisesRegex(wfsim.FormatError, "cannot open as HDF5"):
            wfsim.open(text)


class SweepFiles(unittest.TestCase):
    """A file written by the built `wfsim sweep`."""

    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))
        cls.path = cls.directory / "sweep.h5"
        subprocess.run([support.BINARY, "sweep", str(support.SCENARIOS / "quickstart.yaml"),
                        "--vary", "roles.picker.attrition=0.8,1.2", "--vary",
                        "roles.analyst.growth=0:0.2:2", "-r", "3", "-j", "1", "-o", str(cls.path),
                        "--quiet"], check=True, capture_output=True, text=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory)

    def test_the_reader_sees_every_point_with_its_values(self):
        results = wfsim.open(self.path)
        self.assertEqual(results.kind, "sweep")
        self.assertEqual(results.points(), ["0", "1", "2", "3"])
        point = results.point(3)
        self.assertEqual(set(point.point_values), {"roles.picker.attrition",
                                                   "roles.analyst.growth"})
        self.assertAlmostEqual(point.point_values["roles.picker.attrition"], 1.2)
        self.assertAlmostEqual(point.point_values["roles.analyst.growth"], 0.2)
        totals = results.totals()
        self.assertEqual(totals.point.tolist(), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
        self.assertEqual(results.metric_info().headline_kpis()[:2],
                         ["total_cost", "final_headcount"])

    def test_the_table_holds_the_point_values_and_the_means_of_the_totals(self):
        results = wfsim.open(self.path)
        table = results.sweep_table()
        self.assertEqual(list(table.columns[:4]), ["point", "roles.picker.attrition",
                                                   "roles.analyst.growth", "replications"])
        self.assertEqual(table.point.tolist(), [0, 1, 2, 3])
        totals = results.totals()
        for k in range(4):
            rows = totals[totals.point == k]
            for kpi in ("exits", "total_cost", "final_headcount"):
                n, mean, sd, low, high = wfsim.mean_interval(rows[kpi].tolist())
                self.assertAlmostEqual(table[f"{kpi}_mean"][k], mean, delta=1e-9 * abs(mean))
                self.assertAlmostEqual(table[f"{kpi}_ci_low"][k], low, delta=1e-9 * abs(mean))
                self.assertAlmostEqual(table[f"{kpi}_ci_high"][k], high, delta=1e-9 * abs(mean))


class SensitivityFiles(unittest.TestCase):
    """A file written by the built `wfsim sensitivity`."""

    def test_the_reader_reads_the_table_of_a_real_file(self):
        directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))
        try:
            path = directory / "sensitivity.h5"
            subprocess.run([support.BINARY, "sensitivity",
                            str(support.SCENARIOS / "quickstart.yaml"), "--path",
                            "roles.picker.attrition", "--path", "roles.analyst.growth", "-r", "2",
                            "-j", "1", "-o", str(path), "--quiet"],
                           check=True, capture_output=True, text=True)
            results = wfsim.open(path)
            self.assertEqual(results.kind, "sensitivity")
            table = results.sensitivity_table()
            self.assertEqual(table.path.tolist(), ["roles.picker.attrition",
                                                   "roles.analyst.growth"])
            self.assertEqual(list(table.columns[:7]), ["path", "base_value", "minus_value",
                                                       "plus_value", "exits_base", "exits_minus",
                                                       "exits_plus"])
            self.assertAlmostEqual(table.minus_value[0], 0.9)
            self.assertEqual(results.metric_info().label("exits"), "Voluntary exits")
            self.assertLess(table.exits_minus[0], table.exits_plus[0])
        finally:
            shutil.rmtree(directory)


class StudentT(unittest.TestCase):
    def test_quantiles_match_tables(self):
        from wfsim.stats import t_quantile
        for df, expected in [(1, 12.706204736), (3, 3.182446305), (10, 2.228138852),
                             (199, 1.971956544)]:
            self.assertAlmostEqual(t_quantile(0.975, df), expected, places=6)

    def test_an_interval_needs_two_values(self):
        n, mean, sd, low, high = wfsim.mean_interval([5.0, math.nan])
        self.assertEqual((n, mean), (1, 5.0))
        self.assertTrue(math.isnan(low))


if __name__ == "__main__":
    unittest.main()
