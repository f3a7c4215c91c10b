"""Reading compare, sweep and sensitivity files, built here with h5py to
SPEC §4's layout: /scenarios/<name>/ and /comparison/<policy>/<kpi> + roi;
/points/<k>/ and /sweep/table; /sensitivity/table."""

import shutil
import tempfile
import unittest
from pathlib import Path

import h5py
import numpy as np

import support
import wfsim


class Files(unittest.TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="wfsim-python-test-"))

    def tearDown(self):
        shutil.rmtree(self.directory)


def write_compare(path, roi=True, policy_status=None):
    with h5py.File(path, "w") as f:
        f.attrs["wfsim_version"] = "0.1.0"
        support.write_run_group(f.create_group("scenarios/base"), "base")
        support.write_run_group(f.create_group("scenarios/more_training"), "more_training",
                                offset=1.0, status=policy_status)
        for k, kpi in enumerate(support.KPIS):
            f[f"comparison/more_training/{kpi}"] = np.full(4, 1.0) + np.arange(4) * 0.1 * k
        if roi:
            f["comparison/more_training/roi"] = 2.5
            f["comparison/more_training/roi"].attrs["ci_low"] = 1.5
            f["comparison/more_training/roi"].attrs["ci_high"] = 3.5


class FilesWithoutMetricAttributes(Files):
    def test_a_file_written_before_metric_attributes_labels_each_metric_by_its_name(self):
        path = self.directory / "compare.h5"
        write_compare(path)
        results = wfsim.open(path)
        metrics = results.metric_info()
        self.assertEqual(metrics.label("total_cost"), "Total cost")
        self.assertEqual(metrics.unit("total_cost"), "")
        self.assertFalse(metrics.is_money("total_cost"))
        self.assertEqual(metrics.trajectory_info("headcount").label, "Headcount")
        self.assertEqual(metrics.info("enrollments", "program_totals").label, "Enrollments")
        self.assertEqual(metrics.info("not_in_the_file").label, "Not in the file")
        # Without headline places every KPI is one, in the file's order.
        self.assertEqual(metrics.headline_kpis(), support.KPIS)
        self.assertEqual(results.scenario("base").metric_info().headline_kpis(), support.KPIS)


class CompareFiles(Files):
    def test_scenarios_are_listed_and_each_gives_the_run_frames(self):
        path = self.directory / "compare.h5"
        write_compare(path)
        results = wfsim.open(path)
        self.assertEqual(results.kind, "compare")
        self.assertEqual(results.scenarios(), ["base", "more_training"])
        self.assertEqual(results.base_scenario(), "base")
        policy = results.scenario("more_training")
        self.assertEqual(policy.roles, ["a", "b"])
        totals = policy.totals()
        self.assertEqual(totals.scenario.unique().tolist(), ["more_training"])
        self.assertEqual(totals.exits.tolist(), [1.0, 2.0, 3.0, 4.0])
        trajectories = results.trajectories(metrics=["exits"], wide=True)
        self.assertEqual(len(trajectories), 2 * 4 * 3 * 2)
        row = trajectories[(trajectories.scenario == "base") & (trajectories.replication == 2)
                           & (trajectories.time == 1.0) & (trajectories.role == "b")]
        self.assertEqual(row.exits.tolist(), [1000 + 200 + 20 + 1])
        self.assertEqual(set(results.program_totals().program), {"p"})
        self.assertEqual(set(results.summaries().metric), set(support.ROLE_METRICS))
        with self.assertRaises(KeyError):
            results.scenario("missing")

    def test_comparison_gives_means_the_paired_difference_and_its_interval(self):
        path = self.directory / "compare.h5"
        write_compare(path)
        table = wfsim.open(path).comparison()
        self.assertEqual(list(table.columns), ["base", "policy", "kpi", "n", "base_mean",
                                               "policy_mean", "difference", "sd", "ci_low",
                                               "ci_high"])
        exits = table.set_index("kpi").loc["exits"]
        self.assertEqual((exits.base_mean, exits.policy_mean, exits.difference), (1.5, 2.5, 1.0))
        self.assertEqual((exits.ci_low, exits.ci_high), (1.0, 1.0))
        cost = table.set_index("kpi").loc["total_cost"]
        self.assertAlmostEqual(cost.difference, 1.3)
        self.assertAlmostEqual(cost.ci_high - cost.difference, 3.182446305 * cost.sd / 2, 6)
        self.assertNotIn("roi", set(table.kpi))

    def test_roi_reads_the_estimate_and_its_interval(self):
        path = self.directory / "compare.h5"
        write_compare(path)
        roi = wfsim.open(path).roi()
        self.assertEqual(roi.to_dict("records"),
                         [{"policy": "more_training", "roi": 2.5, "ci_low": 1.5, "ci_high": 3.5}])

    def test_roi_as_a_three_value_dataset_is_read_too(self):
        path = self.directory / "compare.h5"
        write_compare(path, roi=False)
        with h5py.File(path, "r+") as f:
            f["comparison/more_training/roi"] = [2.0, 1.0, 3.0]
        self.assertEqual(wfsim.open(path).roi().roi.tolist(), [2.0])

    def test_an_roi_written_as_n_a_is_nan(self):
        path = self.directory / "compare.h5"
        write_compare(path, roi=False)
        with h5py.File(path, "r+") as f:
            f["comparison/more_training/roi"] = 2.0
            f["comparison/more_training/roi"].attrs["ci_low"] = "n/a"
            f["comparison/more_training/roi"].attrs["ci_high"] = "n/a"
        roi = wfsim.open(path).roi().iloc[0]
        self.assertEqual(roi.roi, 2.0)
        self.assertTrue(np.isnan(roi.ci_low) and np.isnan(roi.ci_high))

    def test_uncommitted_replications_of_either_scenario_are_left_out(self):
        path = self.directory / "compare.h5"
        write_compare(path, policy_status=[1, 1, 0, 1])
        results = wfsim.open(path)
        exits = results.comparison().set_index("kpi").loc["exits"]
        self.assertEqual(exits.n, 3)
        self.assertEqual(results.differences().replication.tolist(), [0, 1, 3])
        self.assertEqual(results.scenario("more_training").totals().replication.tolist(),
                         [0, 1, 3])

    def test_missing_groups_are_named(self):
        path = self.directory / "compare.h5"
        write_compare(path, roi=False)
        with self.assertRaisesRegex(wfsim.FormatError, "/comparison/more_training/roi"):
            wfsim.open(path).roi()
        with h5py.File(path, "r+") as f:
            del f["scenarios/base/totals"]
        with self.assertRaisesRegex(wfsim.FormatError, "/scenarios/base/totals is missing"):
            wfsim.open(path).scenario("base").totals()
        with self.assertRaisesRegex(wfsim.FormatError, "/sweep is missing"):
            wfsim.open(path).sweep_table()


class SweepFiles(Files):
    def write(self, path, table_as_group=False):
        with h5py.File(path, "w") as f:
            f.attrs["scenario_name"] = "grid"
            for k in range(11):
                group = support.write_run_group(f.create_group(f"points/{k}"), "grid",
                                                replications=2, offset=100.0 * k)
                group.attrs["roles.a.attrition"] = 0.1 * k
            columns = {
                "point": np.arange(11),
                "roles.a.attrition": 0.1 * np.arange(11),
                "exits_mean": 100.0 * np.arange(11) + 0.5,
                "exits_ci_low": 100.0 * np.arange(11),
                "exits_ci_high": 100.0 * np.arange(11) + 1,
            }
            if table_as_group:
                for name, values in columns.items():
                    f[f"sweep/table/{name}"] = values
                f["sweep/table"].attrs["columns"] = list(columns)
            else:
                dtype = [(name, np.asarray(v).dtype) for name, v in columns.items()]
                table = np.zeros(11, dtype=dtype)
                for name, values in columns.items():
                    table[name] = values
                f["sweep/table"] = table

    def test_the_sweep_table_is_a_frame_of_point_values_and_kpi_means(self):
        for as_group in (False, True):
            path = self.directory / f"sweep{as_group}.h5"
            self.write(path, as_group)
            results = wfsim.open(path)
            self.assertEqual(results.kind, "sweep")
            table = results.sweep_table()
            self.assertEqual(list(table.columns), ["point", "roles.a.attrition", "exits_mean",
                                                   "exits_ci_low", "exits_ci_high"])
            self.assertEqual(table.exits_mean.tolist()[:2], [0.5, 100.5])

    def test_points_are_in_numeric_order_with_their_values(self):
        path = self.directory / "sweep.h5"
        self.write(path)
        results = wfsim.open(path)
        self.assertEqual(results.points(), [str(k) for k in range(11)])
        point = results.point(10)
        self.assertAlmostEqual(point.point_values["roles.a.attrition"], 1.0)
        self.assertEqual(point.totals().exits.tolist(), [1000.0, 1001.0])
        totals = results.totals()
        self.assertEqual(list(totals.columns[:3]), ["scenario", "point", "replication"])
        self.assertEqual(totals.point.tolist()[:4], [0, 0, 1, 1])

    def test_a_sweep_without_its_table_says_so(self):
        path = self.directory / "sweep.h5"
        self.write(path)
        with h5py.File(path, "r+") as f:
            del f["sweep/table"]
        with self.assertRaisesRegex(wfsim.FormatError, "/sweep/table is missing"):
            wfsim.open(path).sweep_table()
        with self.assertRaisesRegex(wfsim.FormatError, "/comparison is missing"):
            wfsim.open(path).comparison()


class SensitivityFiles(Files):
    def test_the_sensitivity_table_has_paths_and_both_deltas(self):
        path = self.directory / "sensitivity.h5"
        rows = np.array([("roles.a.attrition", 90.0, 110.0), ("budget.total", 99.0, 101.0)],
                        dtype=[("path", h5py.string_dtype("utf-8")), ("exits_minus", "f8"),
                               ("exits_plus", "f8")])
        with h5py.File(path, "w") as f:
            f["sensitivity/table"] = rows
        results = wfsim.open(path)
        self.assertEqual(results.kind, "sensitivity")
        table = results.sensitivity_table()
        self.assertEqual(table.path.tolist(), ["roles.a.attrition", "budget.total"])
        self.assertEqual(table.exits_plus.tolist(), [110.0, 101.0])
        with self.assertRaisesRegex(wfsim.FormatError, "without run groups"):
            results.totals()

    def test_a_sensitivity_file_without_its_table_says_so(self):
        path = self.directory / "sensitivity.h5"
        with h5py.File(path, "w") as f:
            f.create_group("sensitivity")
        with self.assertRaisesRegex(wfsim.FormatError, "/sensitivity/table is missing"):
            wfsim.open(path).sensitivity_table()


if __name__ == "__main__":
    unittest.main()
