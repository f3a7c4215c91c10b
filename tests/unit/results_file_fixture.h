// What the unit tests of the results file share: a scratch directory, a
// small layout and its replications, and raw HDF5 reads that check the file
// as any other reader would see it.
#pragma once

#include <catch2/catch.hpp>

#include <hdf5.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_schema.h"
#include "wfsim/engine/statistics.h"

namespace wfsim::testing::results_fixture {

using wfsim::engine::OutputLayout;
using wfsim::engine::RunAttributes;
// A fresh directory under TMPDIR, removed with its files at scope exit.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base && *base ? base : "/tmp") + "/wfsim_h5_XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (!mkdtemp(buffer.data())) FAIL("mkdtemp failed");
    path_ = buffer.data();
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline constexpr std::size_t kT = 3;
inline constexpr std::size_t kR = 2;

inline OutputLayout small_layout() {
  OutputLayout layout;
  layout.series = {
      {"trajectories/headcount", {kT, kR}, "summary/headcount"},
      {"program_trajectories/spend", {kT, 0}, "summary/program_spend"},
      {"totals/exits", {}, "summary/totals/exits", {{"paths", "a, b"}, {"unit", "people"}}},
      {"program_totals/spend", {0}, ""},
  };
  layout.float_datasets = {{"time", {0.0, 0.5, 1.0}}};
  layout.string_datasets = {{"roles", {"analyst", "técnico"}}, {"programs", {}}};
  layout.trace_event_names = {"exit", "hire", "layoff"};
  return layout;
}

inline RunAttributes small_attributes(std::uint64_t replications) {
  RunAttributes a;
  a.wfsim_version = "0.1.0";
  a.scenario_name = "small";
  a.scenario_yaml = "name: small\nhorizon: 1\n";
  a.git_sha = "abc123";
  a.created_utc = "2024-01-01T00:00:00Z";
  a.schema_version = 1;
  a.seed = 42;
  a.replications = replications;
  a.threads = 4;
  return a;
}

// Replication i's blocks: distinct, irregular values so that quantiles differ.
inline std::vector<std::vector<double>> blocks_for(std::size_t i) {
  std::vector<double> headcount(kT * kR);
  for (std::size_t k = 0; k < headcount.size(); ++k) {
    headcount[k] = 100.0 * static_cast<double>((i * 7) % 5) + static_cast<double>(k) + 0.25 * i;
  }
  return {headcount, {}, {static_cast<double>(i * i) + 0.5}, {}};
}

struct Read {
  std::vector<hsize_t> dims;
  std::vector<double> values;
};

inline Read read_doubles(hid_t file, const std::string& name) {
  Read out;
  hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t space = H5Dget_space(set);
  const int rank = H5Sget_simple_extent_ndims(space);
  out.dims.resize(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space, out.dims.data(), nullptr);
  out.values.resize(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!out.values.empty()) {
    REQUIRE(H5Dread(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.values.data()) >= 0);
  }
  H5Sclose(space);
  H5Dclose(set);
  return out;
}

inline std::vector<std::uint8_t> read_status(hid_t file) {
  const std::string name = "/" + std::string(wfsim::engine::results_schema::kReplicationStatus);
  hid_t set = H5Dopen2(file, name.c_str(), H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t space = H5Dget_space(set);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!out.empty()) H5Dread(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(set);
  return out;
}

template <typename T>
inline T read_attribute(hid_t file, const char* name, hid_t mem_type) {
  hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  T value{};
  REQUIRE(H5Aread(attr, mem_type, &value) >= 0);
  H5Aclose(attr);
  return value;
}

inline std::string read_string_attribute(hid_t file, const char* name) {
  hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  char* text = nullptr;
  REQUIRE(H5Aread(attr, type, &text) >= 0);
  std::string out = text ? text : "";
  H5free_memory(text);
  H5Tclose(type);
  H5Aclose(attr);
  return out;
}

inline std::vector<std::string> read_strings(hid_t file, const char* name) {
  hid_t set = H5Dopen2(file, name, H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t space = H5Dget_space(set);
  std::vector<char*> texts(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  std::vector<std::string> out;
  if (!texts.empty()) {
    REQUIRE(H5Dread(set, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()) >= 0);
    for (char* t : texts) out.emplace_back(t);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, texts.data());
  }
  H5Tclose(type);
  H5Sclose(space);
  H5Dclose(set);
  return out;
}

inline hid_t open_read_only(const std::string& path) {
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  return file;
}

// Summaries of column `c` of the rows `rows` of a [N, block] read.
inline wfsim::engine::Summary column_summary(const Read& data, std::size_t block,
                                             const std::vector<std::size_t>& rows, std::size_t c) {
  std::vector<double> column;
  for (std::size_t r : rows) column.push_back(data.values[r * block + c]);
  return wfsim::engine::summarize(column.data(), column.size());
}

inline void check_summaries(hid_t file, const std::string& data_name,
                            const std::string& summary_name, std::size_t block,
                            const std::vector<std::size_t>& rows) {
  namespace schema = wfsim::engine::results_schema;
  const Read data = read_doubles(file, data_name);
  std::vector<Read> statistics;  // in the order of kSummaryStatistics
  for (const char* statistic : schema::kSummaryStatistics)
    statistics.push_back(read_doubles(file, summary_name + "/" + statistic));
  REQUIRE(statistics.size() == 5);
  const Read& mean = statistics[0];
  REQUIRE(mean.values.size() == block);
  CHECK(mean.dims == std::vector<hsize_t>(data.dims.begin() + 1, data.dims.end()));
  for (std::size_t c = 0; c < block; ++c) {
    const auto expected = column_summary(data, block, rows, c);
    CHECK(statistics[0].values[c] == expected.mean);
    CHECK(statistics[1].values[c] == expected.sd);
    CHECK(statistics[2].values[c] == expected.p05);
    CHECK(statistics[3].values[c] == expected.p50);
    CHECK(statistics[4].values[c] == expected.p95);
  }
}

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool file_exists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace wfsim::testing::results_fixture
