"""`wfsim report`: the figures a report prints are those of the file it was
made from (the /totals means over committed replications, the /comparison
differences and ROI, the sweep points' and the sensitivity table's means),
and the page is self-contained."""

import base64
import binascii
import math
import os
import re
import shutil
import subprocess
import tempfile
import unittest
from html.parser import HTMLParser
from pathlib import Path

import h5py
import numpy as np

import support


def wfsim(*arguments, check=True, environment=None):
    return subprocess.run([support.BINARY, *map(str, arguments)], capture_output=True,
                          text=True, check=check, env=environment)


class Page(HTMLParser):
    """The KPI cells (every <td> with data-kpi: attributes and shown text),
    the <img> sources and every attribute value of a report."""

    def __init__(self, text):
        super().__init__()
        self.cells, self.images, self.attribute_values = [], [], []
        self._cell = None
        self.feed(text)

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        self.attribute_values += [v for v in attributes.values() if v]
        if tag == "td" and "data-kpi" in attributes:
            self._cell = {**attributes, "text": ""}
        elif tag == "img":
            self.images.append(attributes.get("src", ""))

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None

    def find(self, **selector):
        found = [c for c in self.cells
                 if all(c.get(f"data-{k}") == v for k, v in selector.items())]
        if len(found) != 1:
            raise AssertionError(f"{len(found)} cells match {selector}")
        return found[0]


def _strip_metric_attributes(node):
    for name in ("label", "unit", "kind", "headline"):
        if name in node.attrs:
            del node.attrs[name]


def committed_mean(group, kpi):
    status = group["replication_status"][()] == 1
    return float(np.mean(group["totals"][kpi][()][status]))


class ReportFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix="wfsim-report-test-"))
        d, scenarios = cls.directory, support.SCENARIOS
        wfsim("run", scenarios / "quickstart_training.yaml", "-r", 6, "-j", 1, "-o",
              d / "run.h5", "--quiet")
        wfsim("compare", scenarios / "quickstart.yaml", scenarios / "quickstart_training.yaml",
              "-r", 6, "-j", 1, "-o", d / "compare.h5", "--quiet")
        wfsim("sweep", scenarios / "quickstart_training.yaml", "--vary",
              "programs.analyst_academy.capacity=30,90", "-r", 4, "-j", 1, "-o", d / "sweep.h5",
              "--quiet")
        wfsim("sensitivity", scenarios / "quickstart_training.yaml", "--path",
              "roles.picker.attrition", "--path", "programs.analyst_academy.capacity", "-r", 4,
              "-j", 1, "-o", d / "sensitivity.h5", "--quiet")
        # A run whose replications 1 and 4 were never committed (as after Ctrl-C).
        shutil.copy(d / "run.h5", d / "interrupted.h5")
        with h5py.File(d / "interrupted.h5", "r+") as f:
            f["replication_status"][1] = 0
            f["replication_status"][4] = 0
        # A comparison interrupted while running the policy: no /comparison.
        shutil.copy(d / "compare.h5", d / "interrupted_compare.h5")
        with h5py.File(d / "interrupted_compare.h5", "r+") as f:
            del f["comparison"]
            del f["scenarios/quickstart_training"]
        # A run whose file labels exits otherwise and makes them the first
        # headline KPI, and one written before metrics carried attributes.
        shutil.copy(d / "run.h5", d / "relabelled.h5")
        with h5py.File(d / "relabelled.h5", "r+") as f:
            totals = f["totals"]
            for kpi in totals.keys():
                if "headline" in totals[kpi].attrs:
                    totals[kpi].attrs["headline"] = str(int(totals[kpi].attrs["headline"]) + 1)
            totals["exits"].attrs.update(
                {"label": "Leavers of every kind", "unit": "departures", "headline": "1"})
        shutil.copy(d / "run.h5", d / "unlabelled.h5")
        with h5py.File(d / "unlabelled.h5", "r+") as f:
            f.visititems(lambda name, node: _strip_metric_attributes(node))
        cls.pages = {}
        for kind in ("run", "compare", "sweep", "sensitivity", "interrupted",
                     "interrupted_compare", "relabelled", "unlabelled"):
            wfsim("report", d / f"{kind}.h5")  # the default output: RESULTS with .html
            cls.pages[kind] = (d / f"{kind}.html").read_text(encoding="utf-8")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory)

    def assert_shows(self, cell, expected):
        """The cell's full value is `expected`, and its rounded text is
        `expected` in the cell's unit to the digits it shows."""
        self.assertTrue(math.isclose(float(cell["data-value"]), expected, rel_tol=1e-12,
                                     abs_tol=1e-9), f"{cell} != {expected}")
        text = cell["text"].strip().split(" [")[0].replace(",", "").lstrip("+")
        scale = float(cell.get("data-scale", "1"))
        decimals = len(text.split(".")[1]) if "." in text else 0
        self.assertLessEqual(abs(float(text) * scale - expected),
                             0.5 * 10 ** -decimals * scale * (1 + 1e-9), f"{cell} shows {text}")

    def test_a_run_report_prints_the_totals_means_of_every_kpi(self):
        page = Page(self.pages["run"])
        with h5py.File(self.directory / "run.h5") as f:
            name = f.attrs["scenario_name"]
            kpis = list(f["totals"].keys())
            self.assertGreater(len(kpis), 20)
            for kpi in kpis:
                mean = committed_mean(f, kpi)
                self.assert_shows(page.find(kpi=kpi, scenario=name, stat="mean"), mean)
                low = float(page.find(kpi=kpi, scenario=name, stat="ci_low")["data-value"])
                high = float(page.find(kpi=kpi, scenario=name, stat="ci_high")["data-value"])
                self.assertTrue(low <= mean <= high, kpi)
                if np.std(f["totals"][kpi][()]) > 0:
                    self.assertLess(low, high, kpi)

    def test_a_report_labels_each_kpi_and_picks_the_headline_ones_as_the_file_says(self):
        text = self.pages["relabelled"]
        self.assertIn('Leavers of every kind <span class="id">exits</span>', text)
        self.assertIn('<td class="unit">departures</td>', text)
        cards = re.findall(r'<div class="card"><div class="label">([^<]*)</div>', text)
        self.assertEqual(cards[:2], ["Leavers of every kind", "Total cost (US$ millions)"])
        self.assertNotIn("Voluntary exits", text)

    def test_a_report_of_a_file_without_metric_attributes_labels_kpis_by_their_names(self):
        page = Page(self.pages["unlabelled"])
        text = self.pages["unlabelled"]
        self.assertIn('Total cost <span class="id">total_cost</span>', text)
        self.assertIn('Final headcount <span class="id">final_headcount</span>', text)
        with h5py.File(self.directory / "unlabelled.h5") as f:
            name = f.attrs["scenario_name"]
            self.assertNotIn("label", f["totals/total_cost"].attrs)
            # Money without a unit is shown in full, not in millions.
            self.assert_shows(page.find(kpi="total_cost", scenario=name, stat="mean"),
                              committed_mean(f, "total_cost"))
        self.assertEqual(page.find(kpi="total_cost", scenario=name, stat="mean")["data-scale"],
                         "1.0")

    def test_an_interrupted_run_is_reported_over_its_committed_replications(self):
        page = Page(self.pages["interrupted"])
        with h5py.File(self.directory / "interrupted.h5") as f:
            name = f.attrs["scenario_name"]
            exits = f["totals"]["exits"][()]
            committed = committed_mean(f, "exits")
            self.assertNotEqual(committed, float(np.mean(exits)))
            self.assert_shows(page.find(kpi="exits", scenario=name, stat="mean"), committed)
        self.assertIn("4 of 6", self.pages["interrupted"])

    def test_a_comparison_report_prints_each_scenarios_means_the_differences_and_roi(self):
        page = Page(self.pages["compare"])
        with h5py.File(self.directory / "compare.h5") as f:
            base = f.attrs["base"]
            policy = "quickstart_training"
            comparison = f["comparison"][policy]
            for kpi in f["scenarios"][base]["totals"].keys():
                for scenario in (base, policy):
                    mean = committed_mean(f["scenarios"][scenario], kpi)
                    cells = [c for c in page.cells if c.get("data-kpi") == kpi
                             and c.get("data-scenario") == scenario
                             and c.get("data-stat") == "mean"]
                    # The comparison table and the scenario's own KPI table.
                    self.assertEqual(len(cells), 2, (kpi, scenario))
                    for cell in cells:
                        self.assert_shows(cell, mean)
                difference = float(np.mean(comparison[kpi][()]))
                self.assert_shows(page.find(kpi=kpi, policy=policy, stat="difference"),
                                  difference)
            roi = comparison["roi"][()]
            for stat, value in zip(("roi", "ci_low", "ci_high"), roi):
                self.assertTrue(math.isclose(
                    float(page.find(kpi="roi", policy=policy, stat=stat)["data-value"]), value,
                    rel_tol=1e-12))
        self.assertIn("Analyst academy", self.pages["compare"], "the programs table")

    def test_an_interrupted_comparison_is_reported_with_the_scenarios_it_ran(self):
        page = Page(self.pages["interrupted_compare"])
        self.assertIn("The comparison was interrupted", self.pages["interrupted_compare"])
        with h5py.File(self.directory / "interrupted_compare.h5") as f:
            self.assert_shows(page.find(kpi="total_cost", scenario="quickstart", stat="mean"),
                              committed_mean(f["scenarios/quickstart"], "total_cost"))
        self.assertFalse([c for c in page.cells if c.get("data-policy")])

    def test_a_sweep_report_prints_each_points_means(self):
        page = Page(self.pages["sweep"])
        with h5py.File(self.directory / "sweep.h5") as f:
            for key in f["points"].keys():
                for kpi in ("total_cost", "completions", "final_headcount"):
                    self.assert_shows(page.find(kpi=kpi, point=key, stat="mean"),
                                      committed_mean(f["points"][key], kpi))
            capacities = [f["points"][k].attrs["programs.analyst_academy.capacity"]
                          for k in f["points"].keys()]
        self.assertEqual(sorted(capacities), [30, 90])

    def test_a_sensitivity_report_prints_the_table_and_the_base_runs_means(self):
        page = Page(self.pages["sensitivity"])
        with h5py.File(self.directory / "sensitivity.h5") as f:
            table = f["sensitivity"]["table"]
            paths = [p.decode() if isinstance(p, bytes) else p for p in table["path"][()]]
            self.assertEqual(len(paths), 2)
            for row, path in enumerate(paths):
                for side in ("minus", "plus"):
                    self.assert_shows(page.find(kpi="total_cost", path=path, stat=side),
                                      float(table[f"total_cost_{side}"][row]))
            base = f["sensitivity"]["runs"]["base"]
            self.assert_shows(page.find(kpi="exits", scenario=f.attrs["scenario_name"],
                                        stat="mean"), committed_mean(base, "exits"))
        self.assertIn("Tornado", self.pages["sensitivity"])

    def test_every_report_is_self_contained(self):
        for kind, text in self.pages.items():
            page = Page(text)
            for reference in ("http://", "https://", 'src="//', "href=\"//", "<link", "<script",
                              "url("):
                self.assertNotIn(reference, text, f"{kind}: {reference}")
            self.assertFalse([v for v in page.attribute_values if v.startswith("//")], kind)
            self.assertGreaterEqual(len(page.images), 5, kind)
            for source in page.images:
                match = re.fullmatch(r"data:image/png;base64,([A-Za-z0-9+/=]+)", source)
                self.assertIsNotNone(match, f"{kind}: {source[:60]}")
                try:
                    data = base64.b64decode(match.group(1), validate=True)
                except binascii.Error as error:
                    self.fail(f"{kind}: an image does not decode: {error}")
                self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"), kind)


class ReportCommand(unittest.TestCase):
    def setUp(self):
        self.directory = Path(tempfile.mkdtemp(prefix="wfsim-report-test-"))

    def tearDown(self):
        shutil.rmtree(self.directory)

    def test_bad_usage_and_missing_files_exit_with_2(self):
        self.assertEqual(wfsim("report", check=False).returncode, 2)
        missing = wfsim("report", self.directory / "missing.h5", check=False)
        self.assertEqual(missing.returncode, 2)
        self.assertIn("missing.h5: no such file", missing.stderr)
        self.assertEqual(wfsim("report", "--help").returncode, 0)

    def test_a_file_that_is_not_a_results_file_exits_with_1(self):
        path = self.directory / "other.h5"
        with h5py.File(path, "w") as f:
            f["x"] = 1
        failed = wfsim("report", path, "-o", self.directory / "other.html", check=False)
        self.assertEqual(failed.returncode, 1)
        self.assertIn("not a wfsim results file", failed.stderr)
        self.assertFalse((self.directory / "other.html").exists())

    def test_wfsim_python_names_the_interpreter(self):
        environment = {**os.environ, "WFSIM_PYTHON": "/bin/false"}
        failed = wfsim("report", support.SCENARIOS / "quickstart.yaml", check=False,
                       environment=environment)
        self.assertEqual(failed.returncode, 1)
        self.assertIn("WFSIM_PYTHON=/bin/false", failed.stderr)
