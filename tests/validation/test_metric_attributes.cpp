// Every dataset of a metric in a results file says what it is: the unit,
// label and kind of its row in the metric tables (and a headline KPI's
// place), for the series and each of its summaries.
#include <hdf5.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/models/metrics.h"

namespace fs = std::filesystem;
using namespace wfsim::testing::cli;
using wfsim::models::MetricInfo;
using wfsim::testing::H5File;

namespace {

using Attributes = std::map<std::string, std::string>;

herr_t collect_string_attribute(hid_t object, const char* name, const H5A_info_t*, void* data) {
  const hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  const hid_t type = H5Aget_type(attribute);
  std::string value = "(not a variable-length string)";
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
    const hid_t memory_type = H5Tcopy(H5T_C_S1);
    H5Tset_size(memory_type, H5T_VARIABLE);
    H5Tset_cset(memory_type, H5Tget_cset(type));
    char* text = nullptr;
    if (H5Aread(attribute, memory_type, &text) >= 0 && text != nullptr) {
      value = text;
      H5free_memory(text);
    }
    H5Tclose(memory_type);
  }
  H5Tclose(type);
  H5Aclose(attribute);
  (*static_cast<Attributes*>(data))[name] = value;
  return 0;
}

Attributes attributes_of(const H5File& file, const std::string& path) {
  Attributes attributes;
  const hid_t dataset = H5Dopen2(file.id, path.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  H5Aiterate2(dataset, H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_string_attribute, &attributes);
  H5Dclose(dataset);
  return attributes;
}

// What the table says a metric's datasets carry, from the row's fields.
Attributes expected_attributes(const MetricInfo& metric) {
  Attributes expected = {{"unit", wfsim::models::unit_name(metric.unit)},
                         {"label", metric.label},
                         {"kind", wfsim::models::kind_name(metric.kind)}};
  if (metric.headline > 0) expected["headline"] = std::to_string(metric.headline);
  return expected;
}

template <std::size_t N>
const MetricInfo* find(const std::array<MetricInfo, N>& table, const std::string& name) {
  for (const MetricInfo& metric : table)
    if (name == metric.name) return &metric;
  return nullptr;
}

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

struct Seen {
  // group ("trajectories", "totals", ...) -> name -> datasets found
  std::map<std::string, std::map<std::string, int>> datasets;
};

// Checks every metric dataset of the run group at `prefix` ("" or
// "scenarios/<name>/") against the tables; returns how many it found of each.
Seen check_run_group(const H5File& file, const std::string& prefix) {
  Seen seen;
  const std::set<std::string> statistics = {"mean", "sd", "p05", "p50", "p95"};
  for (const std::string& path : wfsim::testing::dataset_paths(file)) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    const std::vector<std::string> parts = split(path.substr(prefix.size()));
    std::string group;
    std::string name;
    if (parts.size() == 2 && (parts[0] == "trajectories" || parts[0] == "program_trajectories" ||
                              parts[0] == "totals" || parts[0] == "program_totals")) {
      group = parts[0];
      name = parts[1];
    } else if (parts.size() == 4 && parts[0] == "summary" &&
               (parts[1] == "totals" || parts[1] == "program_totals")) {
      REQUIRE(statistics.count(parts[3]) == 1);
      group = parts[1];
      name = parts[2];
    } else if (parts.size() == 3 && parts[0] == "summary") {
      REQUIRE(statistics.count(parts[2]) == 1);
      name = parts[1];
      group = find(wfsim::models::kRoleMetrics, name) ? "trajectories" : "program_trajectories";
    } else {
      continue;
    }
    INFO(path);
    const MetricInfo* metric = group == "trajectories" ? find(wfsim::models::kRoleMetrics, name)
                               : group == "program_trajectories"
                                   ? find(wfsim::models::kProgramMetrics, name)
                               : group == "totals" ? find(wfsim::models::kKpis, name)
                                                   : find(wfsim::models::kProgramKpis, name);
    REQUIRE(metric != nullptr);
    CHECK(attributes_of(file, path) == expected_attributes(*metric));
    ++seen.datasets[group][name];
  }
  return seen;
}

// Every row of `table` was found as its series and its five summaries.
template <std::size_t N>
void require_every_row(const Seen& seen, const std::string& group,
                       const std::array<MetricInfo, N>& table) {
  INFO(group);
  const auto found = seen.datasets.find(group);
  REQUIRE(found != seen.datasets.end());
  CHECK(found->second.size() == N);
  for (const MetricInfo& metric : table) {
    INFO(metric.name);
    const auto count = found->second.find(metric.name);
    REQUIRE(count != found->second.end());
    CHECK(count->second == 6);
  }
}

void require_described(const H5File& file, const std::string& prefix) {
  const Seen seen = check_run_group(file, prefix);
  require_every_row(seen, "trajectories", wfsim::models::kRoleMetrics);
  require_every_row(seen, "program_trajectories", wfsim::models::kProgramMetrics);
  require_every_row(seen, "totals", wfsim::models::kKpis);
  require_every_row(seen, "program_totals", wfsim::models::kProgramKpis);
}

}  // namespace

TEST_CASE("every metric dataset of a run carries the unit, label and kind of its table row",
          "[cli][metrics]") {
  const fs::path out = scratch_dir() / "metric_attributes.h5";
  const Outcome o = run_wfsim({"run", scenario("quickstart_training.yaml"), "-r", "2", "-q", "-o",
                               out.string(), "--force"});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  const H5File file(out.string());
  REQUIRE(file.id >= 0);
  require_described(file, "");
}

TEST_CASE(
    "every metric dataset of each scenario of a comparison carries its table row's attributes",
    "[cli][metrics]") {
  const fs::path out = scratch_dir() / "metric_attributes_compare.h5";
  const Outcome o =
      run_wfsim({"compare", scenario("quickstart.yaml"), scenario("quickstart_training.yaml"), "-r",
                 "2", "-q", "-o", out.string(), "--force"});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  const H5File file(out.string());
  REQUIRE(file.id >= 0);
  require_described(file, "scenarios/quickstart/");
  require_described(file, "scenarios/quickstart_training/");
}
