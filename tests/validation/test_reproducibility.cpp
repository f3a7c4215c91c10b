// Numerical reproducibility (SPEC §2 Reproducibility, §5 Determinism): every
// dataset is identical whatever the thread count, and a fixed seed reproduces
// stored summary values bit for bit (tests/data/golden; the references change
// only through tools/update-golden.sh).
#include <hdf5.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "child_process.h"
#include "h5_compare.h"

namespace fs = std::filesystem;
using wfsim::testing::dataset_paths;
using wfsim::testing::different_datasets;
using wfsim::testing::H5File;
using wfsim::testing::run_child;

namespace {

std::vector<double> dataset_doubles(const H5File& file, const std::string& path) {
  const hid_t dataset = H5Dopen2(file.id, path.c_str(), H5P_DEFAULT);
  INFO(path);
  REQUIRE(dataset >= 0);
  const hid_t space = H5Dget_space(dataset);
  std::vector<double> values(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  REQUIRE(H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  H5Sclose(space);
  H5Dclose(dataset);
  return values;
}

// The datasets in which two files differ (a dataset present in only one of
// them included).
std::string golden_dir() {
  return std::string(WFSIM_TEST_DATA_DIR) + "/golden";
}

fs::path run_case(const std::string& scenario, const std::vector<std::string>& extra,
                  const fs::path& out) {
  std::vector<std::string> arguments = {"run", scenario, "-o", out.string(), "--force", "-q"};
  arguments.insert(arguments.end(), extra.begin(), extra.end());
  const auto outcome = run_child(arguments, out.string() + ".log");
  INFO(outcome.output);
  REQUIRE(outcome.exit_code == 0);
  return out;
}

// The summary datasets a golden case pins: every statistic of every total,
// and the mean trajectories of a few role and program metrics.
std::vector<std::string> golden_datasets(const H5File& file, bool programs) {
  std::vector<std::string> chosen;
  std::vector<std::string> wanted = {"summary/headcount/mean", "summary/exits/mean",
                                     "summary/payroll/mean", "summary/vacancies/p95"};
  if (programs) {
    for (const char* metric : {"summary/enrolled/mean", "summary/spend/mean",
                               "summary/completions/mean", "summary/mentees/mean"})
      wanted.push_back(metric);
  }
  for (const std::string& path : dataset_paths(file)) {
    const bool total = path.rfind("summary/totals/", 0) == 0;
    if (total || std::find(wanted.begin(), wanted.end(), path) != wanted.end())
      chosen.push_back(path);
  }
  return chosen;
}

std::string hex(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%a", value);
  return text;
}

std::string decimal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

struct GoldenCase {
  std::string name;      // tests/data/golden/<name>.golden
  std::string scenario;  // the scenario file
  std::vector<std::string> arguments;
  bool programs;
};

// Runs the case; with WFSIM_UPDATE_GOLDEN=1 (tools/update-golden.sh) writes
// its reference file, otherwise compares with it exactly.
void check_golden(const GoldenCase& c) {
  const fs::path dir = wfsim::testing::child_scratch_dir("golden");
  const fs::path out = run_case(c.scenario, c.arguments, dir / (c.name + ".h5"));
  const H5File file(out.string());
  REQUIRE(file.id >= 0);
  std::map<std::pair<std::string, std::size_t>, double> values;  // (dataset, index) -> value
  for (const std::string& path : golden_datasets(file, c.programs)) {
    const std::vector<double> data = dataset_doubles(file, path);
    for (std::size_t i = 0; i < data.size(); ++i) values[{path, i}] = data[i];
  }
  REQUIRE(values.size() > 50);
  const fs::path reference = fs::path(golden_dir()) / (c.name + ".golden");
  const char* update = std::getenv("WFSIM_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream text(reference);
    text << "# Golden summaries of " << fs::path(c.scenario).filename().string();
    for (const std::string& a : c.arguments) text << " " << a;
    text << "\n# dataset index value(hexfloat) value(%.17g). Written by tools/update-golden.sh;\n"
            "# edit only through it.\n";
    for (const auto& [key, value] : values)
      text << key.first << " " << key.second << " " << hex(value) << " " << decimal(value) << "\n";
    WARN("wrote " << reference.string());
    fs::remove_all(dir);
    return;
  }
  std::ifstream text(reference);
  if (!text.good())
    FAIL("missing reference " << reference.string() << ": run tools/update-golden.sh");
  std::map<std::pair<std::string, std::size_t>, double> stored;
  std::string line;
  while (std::getline(text, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string path, hex_text;
    std::size_t index = 0;
    fields >> path >> index >> hex_text;
    stored[{path, index}] = std::strtod(hex_text.c_str(), nullptr);
  }
  std::vector<std::string> differences;
  const auto name = [](const std::pair<std::string, std::size_t>& key) {
    return key.first + "[" + std::to_string(key.second) + "]";
  };
  for (const auto& [key, value] : values) {
    const auto it = stored.find(key);
    if (it == stored.end()) {
      differences.push_back(name(key) + ": not in the reference");
    } else if (std::memcmp(&it->second, &value, sizeof value) != 0) {
      differences.push_back(name(key) + ": reference " + decimal(it->second) + " (" +
                            hex(it->second) + "), now " + decimal(value) + " (" + hex(value) + ")");
    }
  }
  for (const auto& [key, value] : stored)
    if (values.find(key) == values.end()) differences.push_back(name(key) + ": no longer written");
  std::string report;
  for (std::size_t i = 0; i < differences.size() && i < 10; ++i) report += differences[i] + "\n";
  INFO(differences.size() << " of " << values.size() << " golden values of " << c.name
                          << " differ; if the change is intended, run tools/update-golden.sh "
                             "and commit the new references\n"
                          << report);
  CHECK(differences.empty());
  fs::remove_all(dir);
}

const GoldenCase kQuickstart{"quickstart",
                             std::string(WFSIM_SCENARIO_DIR) + "/quickstart.yaml",
                             {"-r", "16", "-s", "42", "-j", "2"},
                             false};
const GoldenCase kPrograms{
    "programs", golden_dir() + "/programs.yaml", {"-r", "24", "-s", "7", "-j", "2"}, true};

}  // namespace

TEST_CASE("1, 2, 4 and 16 threads give identical datasets", "[cli][determinism]") {
  const fs::path dir = wfsim::testing::child_scratch_dir("threads");
  for (const GoldenCase& c : {kQuickstart, kPrograms}) {
    INFO(c.name);
    const std::vector<std::string> arguments = {"-r", "32", "-s", "11", "--trace", "2"};
    const auto run_with = [&](const std::string& threads, const std::string& seed) {
      std::vector<std::string> all = arguments;
      all[3] = seed;
      all.insert(all.end(), {"-j", threads});
      return run_case(c.scenario, all, dir / (c.name + "_" + threads + "_" + seed + ".h5"))
          .string();
    };
    const std::string one = run_with("1", "11");
    for (const char* threads : {"2", "4", "16"}) {
      const std::vector<std::string> different = different_datasets(one, run_with(threads, "11"));
      INFO(threads << " threads: " << different.size()
                   << " datasets differ from 1 thread, the first: "
                   << (different.empty() ? "" : different.front()));
      CHECK(different.empty());
    }
    // The comparison sees a difference where there is one.
    CHECK(different_datasets(one, run_with("1", "12")).size() > 10);
  }
  fs::remove_all(dir);
}

TEST_CASE("a fixed seed reproduces the stored golden summaries of quickstart bit for bit",
          "[golden]") {
  check_golden(kQuickstart);
}

TEST_CASE("a fixed seed reproduces the stored golden summaries of a program scenario bit for bit",
          "[golden]") {
  check_golden(kPrograms);
}
