"""A report opened in a real browser: headless Chromium loads the page of a
comparison, every image loads, the console shows no error, no request leaves
the page, the screenshot is not blank and the page prints to PDF.

Exits with code 77 (ctest: skipped) only when no chromium is installed;
`bash tools/install-deps.sh` installs Debian's.
"""

import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from matplotlib import image

import devtools
import support

SKIPPED = 77

IMAGES_STATE = """JSON.stringify({
  count: document.images.length,
  loaded: Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length,
  kpiCells: document.querySelectorAll('td[data-kpi]').length,
  height: document.documentElement.scrollHeight
})"""


def screenshot(browser, session, path):
    data = browser.send("Page.captureScreenshot", {"format": "png"}, session=session)["data"]
    path.write_bytes(base64.b64decode(data))
    return image.imread(str(path))


class ReportInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.directory = Path(tempfile.mkdtemp(prefix="wfsim-browser-test-"))
        results = cls.directory / "compare.h5"
        subprocess.run([support.BINARY, "compare", support.SCENARIOS / "quickstart.yaml",
                        support.SCENARIOS / "quickstart_training.yaml", "-r", "6", "-j", "1",
                        "-o", results, "--quiet"], check=True, capture_output=True)
        cls.report = cls.directory / "compare.html"
        subprocess.run([support.BINARY, "report", results, "-o", cls.report], check=True,
                       capture_output=True)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.directory)

    def test_the_report_renders_with_every_image_and_no_console_error(self):
        with devtools.Browser(CHROMIUM, self.directory / "chromium.log") as browser:
            session = browser.open_page()
            browser.send("Page.navigate", {"url": self.report.as_uri()}, session=session)
            browser.wait_for("Page.loadEventFired", session)
            state = browser.send("Runtime.evaluate", {"expression": IMAGES_STATE,
                                                      "returnByValue": True}, session=session)
            state = json.loads(state["result"]["value"])
            self.assertGreaterEqual(state["count"], 8, "the report has its charts")
            self.assertEqual(state["loaded"], state["count"], "every image loaded")
            self.assertGreater(state["kpiCells"], 24)

            top = screenshot(browser, session, self.directory / "top.png")
            browser.send("Runtime.evaluate",
                         {"expression": "document.images[0].scrollIntoView()"}, session=session)
            chart = screenshot(browser, session, self.directory / "chart.png")
            pdf = browser.send("Page.printToPDF", {"printBackground": True}, session=session)
            pdf = base64.b64decode(pdf["data"])

            errors = []
            requests = []
            for _, method, params in browser.events:
                if method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                   "assert"):
                    errors.append(params)
                elif method == "Runtime.exceptionThrown":
                    errors.append(params)
                elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                    errors.append(params["entry"])
                elif method == "Network.requestWillBeSent":
                    requests.append(params["request"]["url"])
            self.assertEqual(errors, [], "the console shows no error")
            outside = [u for u in requests if not u.startswith(("file:", "data:"))]
            self.assertEqual(outside, [], "no request leaves the page")

        for name, pixels in (("top", top), ("chart", chart)):
            rgb = pixels[..., :3]
            not_white = (rgb.min(axis=2) < 0.9).mean()
            self.assertGreater(not_white, 0.02, f"the {name} screenshot is not blank")
            self.assertGreater(float(rgb.std()), 0.05, f"the {name} screenshot has contrast")
        # Chart lines and bands are coloured; text and tables are grey.
        saturation = chart[..., :3].max(axis=2) - chart[..., :3].min(axis=2)
        self.assertGreater((saturation > 0.3).mean(), 0.001, "a chart is on screen")
        self.assertTrue(pdf.startswith(b"%PDF"))
        pages = re.findall(rb"/Type\s*/Page(?![a-z])", pdf)
        self.assertGreater(len(pages), 1, "the report prints to several PDF pages")


CHROMIUM = devtools.find_chromium()

if __name__ == "__main__":
    if CHROMIUM is None:
        print("skipped: no chromium (bash tools/install-deps.sh installs Debian's)")
        sys.exit(SKIPPED)
    unittest.main(verbosity=2)
