#include <catch2/catch.hpp>

#include <hdf5.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "wfsim/engine/chunk_encoding.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/h5_writer.h"
#include "wfsim/engine/statistics.h"

using wfsim::engine::OutputLayout;
using wfsim::engine::ResultsFile;
using wfsim::engine::RunAttributes;
using wfsim::engine::RuntimeError;
using wfsim::engine::TraceRow;

namespace {

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

constexpr std::size_t kT = 3;
constexpr std::size_t kR = 2;

OutputLayout small_layout() {
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

RunAttributes small_attributes(std::uint64_t replications) {
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
std::vector<std::vector<double>> blocks_for(std::size_t i) {
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

Read read_doubles(hid_t file, const std::string& name) {
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

std::vector<std::uint8_t> read_status(hid_t file) {
  hid_t set = H5Dopen2(file, "/replication_status", H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t space = H5Dget_space(set);
  std::vector<std::uint8_t> out(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space)));
  if (!out.empty()) H5Dread(set, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data());
  H5Sclose(space);
  H5Dclose(set);
  return out;
}

template <typename T>
T read_attribute(hid_t file, const char* name, hid_t mem_type) {
  hid_t attr = H5Aopen(file, name, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  T value{};
  REQUIRE(H5Aread(attr, mem_type, &value) >= 0);
  H5Aclose(attr);
  return value;
}

std::string read_string_attribute(hid_t file, const char* name) {
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

std::vector<std::string> read_strings(hid_t file, const char* name) {
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

hid_t open_read_only(const std::string& path) {
  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  return file;
}

// Summaries of column `c` of the rows `rows` of a [N, block] read.
wfsim::engine::Summary column_summary(const Read& data, std::size_t block,
                                      const std::vector<std::size_t>& rows, std::size_t c) {
  std::vector<double> column;
  for (std::size_t r : rows) column.push_back(data.values[r * block + c]);
  return wfsim::engine::summarize(column.data(), column.size());
}

void check_summaries(hid_t file, const std::string& data_name, const std::string& summary_name,
                     std::size_t block, const std::vector<std::size_t>& rows) {
  const Read data = read_doubles(file, data_name);
  const Read mean = read_doubles(file, summary_name + "/mean");
  const Read sd = read_doubles(file, summary_name + "/sd");
  const Read p05 = read_doubles(file, summary_name + "/p05");
  const Read p50 = read_doubles(file, summary_name + "/p50");
  const Read p95 = read_doubles(file, summary_name + "/p95");
  REQUIRE(mean.values.size() == block);
  CHECK(mean.dims == std::vector<hsize_t>(data.dims.begin() + 1, data.dims.end()));
  for (std::size_t c = 0; c < block; ++c) {
    const auto expected = column_summary(data, block, rows, c);
    CHECK(mean.values[c] == expected.mean);
    CHECK(sd.values[c] == expected.sd);
    CHECK(p05.values[c] == expected.p05);
    CHECK(p50.values[c] == expected.p50);
    CHECK(p95.values[c] == expected.p95);
  }
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool file_exists(const std::string& path) {
  return access(path.c_str(), F_OK) == 0;
}

}  // namespace

TEST_CASE("a results file stores replications written out of order at their index", "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(3), false);
    for (std::size_t i : {2u, 0u, 1u}) out.write_replication(i, blocks_for(i), 10 + i);
    out.commit();
    out.write_summaries();
    out.set_wall_seconds(1.5);
    out.close();
    out.close();  // idempotent
  }
  const hid_t file = open_read_only(path);

  CHECK(read_status(file) == std::vector<std::uint8_t>{1, 1, 1});
  const Read headcount = read_doubles(file, "/trajectories/headcount");
  CHECK(headcount.dims == std::vector<hsize_t>{3, kT, kR});
  for (std::size_t i = 0; i < 3; ++i) {
    const auto expected = blocks_for(i)[0];
    CHECK(std::vector<double>(headcount.values.begin() + i * kT * kR,
                              headcount.values.begin() + (i + 1) * kT * kR) == expected);
  }
  const Read exits = read_doubles(file, "/totals/exits");
  CHECK(exits.dims == std::vector<hsize_t>{3});
  CHECK(exits.values == std::vector<double>{0.5, 1.5, 4.5});
  CHECK(read_doubles(file, "/program_trajectories/spend").dims == std::vector<hsize_t>{3, kT, 0});
  CHECK(read_doubles(file, "/program_totals/spend").dims == std::vector<hsize_t>{3, 0});
  CHECK(read_doubles(file, "/time").values == std::vector<double>{0.0, 0.5, 1.0});
  CHECK(read_strings(file, "/roles") == std::vector<std::string>{"analyst", "técnico"});
  CHECK(read_strings(file, "/programs").empty());

  CHECK(read_string_attribute(file, "wfsim_version") == "0.1.0");
  CHECK(read_string_attribute(file, "scenario_name") == "small");
  CHECK(read_string_attribute(file, "scenario_yaml") == "name: small\nhorizon: 1\n");
  CHECK(read_string_attribute(file, "git_sha") == "abc123");
  CHECK(read_string_attribute(file, "created_utc") == "2024-01-01T00:00:00Z");
  CHECK(read_attribute<int>(file, "schema_version", H5T_NATIVE_INT) == 1);
  CHECK(read_attribute<std::uint64_t>(file, "seed", H5T_NATIVE_UINT64) == 42);
  CHECK(read_attribute<std::uint64_t>(file, "replications", H5T_NATIVE_UINT64) == 3);
  CHECK(read_attribute<std::uint64_t>(file, "replications_completed", H5T_NATIVE_UINT64) == 3);
  CHECK(read_attribute<int>(file, "threads", H5T_NATIVE_INT) == 4);
  CHECK(read_attribute<std::uint64_t>(file, "events_processed", H5T_NATIVE_UINT64) == 33);
  CHECK(read_attribute<double>(file, "wall_seconds", H5T_NATIVE_DOUBLE) == 1.5);

  check_summaries(file, "/trajectories/headcount", "/summary/headcount", kT * kR, {0, 1, 2});
  check_summaries(file, "/totals/exits", "/summary/totals/exits", 1, {0, 1, 2});
  CHECK(read_doubles(file, "/summary/totals/exits/mean").dims.empty());  // a scalar
  CHECK(read_doubles(file, "/summary/program_spend/p50").dims == std::vector<hsize_t>{kT, 0});
  CHECK(H5Lexists(file, "/summary/program_totals", H5P_DEFAULT) == 0);
  H5Fclose(file);
}

TEST_CASE("rows written but not committed keep status 0 and stay out of the summaries",
          "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(4), false);
    out.write_replication(1, blocks_for(1), 5);
    out.write_replication(0, blocks_for(0), 7);
    out.commit();
    out.write_replication(2, blocks_for(2), 100);
    out.write_summaries();
    CHECK(out.replication_status() == std::vector<std::uint8_t>{1, 1, 0, 0});
    CHECK(out.attributes().replications_completed == 2);
    CHECK(out.attributes().events_processed == 12);
  }  // the destructor closes
  const hid_t file = open_read_only(path);
  CHECK(read_status(file) == std::vector<std::uint8_t>{1, 1, 0, 0});
  CHECK(read_attribute<std::uint64_t>(file, "replications_completed", H5T_NATIVE_UINT64) == 2);
  CHECK(read_attribute<std::uint64_t>(file, "events_processed", H5T_NATIVE_UINT64) == 12);
  check_summaries(file, "/trajectories/headcount", "/summary/headcount", kT * kR, {0, 1});
  const Read exits = read_doubles(file, "/totals/exits");
  CHECK(std::isnan(exits.values[3]));  // never written: the NaN fill value
  H5Fclose(file);
}

TEST_CASE("summaries of a file with nothing committed are NaN", "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(2), false);
    out.write_summaries();
    out.close();
  }
  const hid_t file = open_read_only(path);
  for (double v : read_doubles(file, "/summary/headcount/mean").values) CHECK(std::isnan(v));
  CHECK(std::isnan(read_doubles(file, "/summary/totals/exits/p95").values.at(0)));
  H5Fclose(file);
}

TEST_CASE("a process killed after a commit leaves a file with every committed replication",
          "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("killed.h5");
  std::fflush(nullptr);
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    try {
      auto out = ResultsFile::create(path, small_layout(), small_attributes(5), false);
      for (std::size_t i = 0; i < 3; ++i) out.write_replication(i, blocks_for(i), 1);
      out.commit();
      for (std::size_t i = 3; i < 5; ++i) out.write_replication(i, blocks_for(i), 1);
      raise(SIGKILL);
    } catch (...) {
    }
    _exit(3);
  }
  int wstatus = 0;
  REQUIRE(waitpid(child, &wstatus, 0) == child);
  REQUIRE(WIFSIGNALED(wstatus));
  CHECK(WTERMSIG(wstatus) == SIGKILL);

  const hid_t file = open_read_only(path);
  CHECK(read_status(file) == std::vector<std::uint8_t>{1, 1, 1, 0, 0});
  CHECK(read_attribute<std::uint64_t>(file, "replications_completed", H5T_NATIVE_UINT64) == 3);
  const Read headcount = read_doubles(file, "/trajectories/headcount");
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(std::vector<double>(headcount.values.begin() + i * kT * kR,
                              headcount.values.begin() + (i + 1) * kT * kR) == blocks_for(i)[0]);
  }
  H5Fclose(file);

  // And it can be resumed: the missing replications are added and committed.
  {
    auto out = ResultsFile::open_existing(path);
    CHECK(out.replication_status() == std::vector<std::uint8_t>{1, 1, 1, 0, 0});
    CHECK(out.attributes().replications_completed == 3);
    for (std::size_t i = 3; i < 5; ++i) out.write_replication(i, blocks_for(i), 1);
    out.commit();
    out.write_summaries();
    out.close();
  }
  const hid_t resumed = open_read_only(path);
  CHECK(read_status(resumed) == std::vector<std::uint8_t>{1, 1, 1, 1, 1});
  CHECK(read_attribute<std::uint64_t>(resumed, "events_processed", H5T_NATIVE_UINT64) == 5);
  check_summaries(resumed, "/trajectories/headcount", "/summary/headcount", kT * kR,
                  {0, 1, 2, 3, 4});
  H5Fclose(resumed);
}

TEST_CASE("open_existing reads back the layout, the attributes and the status", "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(3), false);
    out.write_replication(1, blocks_for(1), 9);
    out.commit();
    out.append_trace({{1, 0.5, 7, 2, 0, -1}});
    out.close();
  }
  auto out = ResultsFile::open_existing(path);
  const OutputLayout expected = small_layout();
  REQUIRE(out.layout().series.size() == expected.series.size());
  for (std::size_t i = 0; i < expected.series.size(); ++i) {
    CHECK(out.layout().series[i].path == expected.series[i].path);
    CHECK(out.layout().series[i].dims == expected.series[i].dims);
    CHECK(out.layout().series[i].summary_path == expected.series[i].summary_path);
    CHECK(out.layout().series[i].attributes == expected.series[i].attributes);
  }
  CHECK(out.layout().trace_event_names == expected.trace_event_names);
  CHECK(out.replications() == 3);
  CHECK(out.replication_status() == std::vector<std::uint8_t>{0, 1, 0});
  CHECK(out.attributes().seed == 42);
  CHECK(out.attributes().threads == 4);
  CHECK(out.attributes().events_processed == 9);
  CHECK(out.root_string_attribute("scenario_yaml") == "name: small\nhorizon: 1\n");
  const std::vector<double> exits = out.read_series("totals/exits");
  REQUIRE(exits.size() == 3);
  CHECK(std::isnan(exits[0]));
  CHECK(exits[1] == 1.5);
  CHECK(std::isnan(exits[2]));
  CHECK(out.read_series("/trajectories/headcount").size() == 3 * kT * kR);
  CHECK(out.read_series("program_totals/spend").empty());
  CHECK_THROWS_AS(out.read_series("totals/nothing"), RuntimeError);
  CHECK_THROWS_AS(out.root_string_attribute("no_such_attribute"), RuntimeError);
  CHECK_THROWS_AS(out.write_replication(1, blocks_for(1), 9), RuntimeError);  // committed
}

TEST_CASE("create refuses an existing file unless asked to overwrite it", "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("out.h5");
  { std::ofstream(path) << "precious"; }
  try {
    ResultsFile::create(path, small_layout(), small_attributes(2), false);
    FAIL("create() overwrote an existing file");
  } catch (const RuntimeError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains(path));
  }
  CHECK(slurp(path) == "precious");
  auto out = ResultsFile::create(path, small_layout(), small_attributes(2), true);
  out.close();
  CHECK(slurp(path).substr(1, 3) == "HDF");
}

TEST_CASE("create names the path when the file cannot be created", "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("no/such/directory/out.h5");
  try {
    ResultsFile::create(path, small_layout(), small_attributes(2), false);
    FAIL("create() did not throw");
  } catch (const RuntimeError& e) {
    CHECK_THAT(e.what(), Catch::Matchers::Contains(path));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("No such file or directory"));
  }
}

TEST_CASE("write_replication rejects a bad index or a block of the wrong size", "[h5_writer]") {
  TempDir dir;
  auto out = ResultsFile::create(dir.file("out.h5"), small_layout(), small_attributes(2), false);
  CHECK_THROWS_AS(out.write_replication(2, blocks_for(0), 0), RuntimeError);
  auto short_block = blocks_for(0);
  short_block[0].pop_back();
  CHECK_THROWS_AS(out.write_replication(0, short_block, 0), RuntimeError);
  CHECK_THROWS_AS(out.write_replication(0, {}, 0), RuntimeError);
  CHECK_THROWS_AS(out.append_trace({{0, 0.0, 1, 3, 0, 0}}), RuntimeError);  // no event 3
  out.close();
  CHECK_THROWS_AS(out.commit(), RuntimeError);
}

TEST_CASE("a results file can be moved and the moved-from object is closed", "[h5_writer]") {
  TempDir dir;
  auto first = ResultsFile::create(dir.file("a.h5"), small_layout(), small_attributes(1), false);
  ResultsFile second = std::move(first);
  CHECK_FALSE(first.is_open());
  CHECK(second.is_open());
  second = ResultsFile::create(dir.file("b.h5"), small_layout(), small_attributes(1), false);
  second.write_replication(0, blocks_for(0), 1);
  second.commit();
  second.close();
  const hid_t a = open_read_only(dir.file("a.h5"));  // closed cleanly by the assignment
  CHECK(read_status(a) == std::vector<std::uint8_t>{0});
  H5Fclose(a);
}

TEST_CASE("the event trace is an extendible compound table with an enum of event names",
          "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("trace.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(2), false);
    out.append_trace({{0, 0.25, 11, 1, 0, -1}, {0, 0.5, 12, 0, 1, 2}});
    out.append_trace({});
    out.append_trace({{1, 0.75, 13, 2, -1, 0}});
    out.commit();
    out.close();
  }
  const hid_t file = open_read_only(path);
  hid_t set = H5Dopen2(file, "/events", H5P_DEFAULT);
  REQUIRE(set >= 0);
  hid_t file_type = H5Dget_type(set);
  CHECK(H5Tget_nmembers(file_type) == 6);
  hid_t event_type = H5Tget_member_type(file_type, 3);
  CHECK(H5Tget_class(event_type) == H5T_ENUM);
  char name[16] = {0};
  const std::uint8_t layoff = 2;
  REQUIRE(H5Tenum_nameof(event_type, &layoff, name, sizeof name) >= 0);
  CHECK(std::string(name) == "layoff");

  hid_t mem_type = H5Tcreate(H5T_COMPOUND, sizeof(TraceRow));
  H5Tinsert(mem_type, "replication", HOFFSET(TraceRow, replication), H5T_NATIVE_UINT32);
  H5Tinsert(mem_type, "time", HOFFSET(TraceRow, time), H5T_NATIVE_DOUBLE);
  H5Tinsert(mem_type, "agent", HOFFSET(TraceRow, agent), H5T_NATIVE_UINT64);
  H5Tinsert(mem_type, "event", HOFFSET(TraceRow, event), event_type);
  H5Tinsert(mem_type, "role", HOFFSET(TraceRow, role), H5T_NATIVE_INT16);
  H5Tinsert(mem_type, "program", HOFFSET(TraceRow, program), H5T_NATIVE_INT16);
  std::vector<TraceRow> rows(3);
  REQUIRE(H5Dread(set, mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) >= 0);
  CHECK(rows[0].time == 0.25);
  CHECK(rows[0].agent == 11);
  CHECK(rows[0].event == 1);
  CHECK(rows[0].program == -1);
  CHECK(rows[1].role == 1);
  CHECK(rows[1].program == 2);
  CHECK(rows[2].replication == 1);
  CHECK(rows[2].event == 2);
  CHECK(rows[2].role == -1);
  H5Tclose(mem_type);
  H5Tclose(event_type);
  H5Tclose(file_type);
  H5Dclose(set);
  H5Fclose(file);
}

TEST_CASE("two files written with the same data and attributes are byte-identical", "[h5_writer]") {
  TempDir dir;
  auto write = [&](const std::string& path) {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(3), false);
    for (std::size_t i : {1u, 2u}) out.write_replication(i, blocks_for(i), i);
    out.commit();
    out.append_trace({{1, 0.25, 11, 1, 0, -1}});
    out.write_replication(0, blocks_for(0), 0);
    out.commit();
    out.write_summaries();
    out.set_wall_seconds(2.0);
    out.close();
  };
  write(dir.file("a.h5"));
  // Object timestamps have a resolution of one second: make sure they would differ.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  write(dir.file("b.h5"));
  const std::string a = slurp(dir.file("a.h5"));
  CHECK(!a.empty());
  CHECK(a == slurp(dir.file("b.h5")));
}

TEST_CASE("h5py reads the attributes and datasets as a user would", "[h5_writer]") {
  const char* python = "/usr/bin/python3";
  if (!file_exists(python) ||
      std::system("/usr/bin/python3 -c 'import h5py' >/dev/null 2>&1") != 0) {
    WARN("skipped: /usr/bin/python3 with h5py is not available");
    return;
  }
  TempDir dir;
  const std::string path = dir.file("out.h5");
  {
    auto out = ResultsFile::create(path, small_layout(), small_attributes(3), false);
    for (std::size_t i = 0; i < 3; ++i) out.write_replication(i, blocks_for(i), 1);
    out.commit();
    out.write_summaries();
    out.close();
  }
  const std::string script =
      "import h5py, sys\n"
      "f = h5py.File(sys.argv[1], 'r')\n"
      "a = f.attrs\n"
      "assert isinstance(a['scenario_name'], str), type(a['scenario_name'])\n"
      "assert a['scenario_name'] == 'small'\n"
      "assert a['scenario_yaml'] == 'name: small\\nhorizon: 1\\n'\n"
      "assert int(a['seed']) == 42 and int(a['replications_completed']) == 3\n"
      "assert f['trajectories/headcount'].shape == (3, 3, 2)\n"
      "assert list(f['totals/exits'][:]) == [0.5, 1.5, 4.5]\n"
      "assert [r.decode() for r in f['roles'][:]] == ['analyst', 't\\u00e9cnico']\n"
      "assert f['programs'].shape == (0,)\n"
      "assert list(f['replication_status'][:]) == [1, 1, 1]\n"
      "assert abs(f['summary/totals/exits/mean'][()] - 6.5 / 3) < 1e-12\n";
  const std::string script_path = dir.file("check.py");
  { std::ofstream(script_path) << script; }
  const int rc = std::system(("/usr/bin/python3 '" + script_path + "' '" + path + "'").c_str());
  CHECK(rc == 0);
}

TEST_CASE("a scenario text larger than HDF5's 64 KB attribute limit is stored whole",
          "[h5_writer]") {
  TempDir dir;
  const std::string path = dir.file("big.h5");
  RunAttributes attributes = small_attributes(1);
  attributes.scenario_yaml.clear();
  for (int i = 0; i < 20000; ++i) attributes.scenario_yaml += "# line " + std::to_string(i) + "\n";
  REQUIRE(attributes.scenario_yaml.size() > 200000);
  ResultsFile::create(path, small_layout(), attributes, false).close();
  const hid_t file = open_read_only(path);
  CHECK(read_string_attribute(file, "scenario_yaml") == attributes.scenario_yaml);
  H5Fclose(file);
}

TEST_CASE("blocks encoded by the simulating thread are stored as HDF5's own filters store them",
          "[h5_writer]") {
  TempDir dir;
  OutputLayout layout;
  layout.series = {{"trajectories/big", {10, 8}, "summary/big"},
                   {"totals/x", {}, "summary/totals/x"}};
  const std::vector<bool> compressed = wfsim::engine::compressed_series(layout);
  REQUIRE(compressed == std::vector<bool>{true, false});
  auto blocks = [](std::size_t i) {
    std::vector<double> big(80);
    for (std::size_t k = 0; k < big.size(); ++k)
      big[k] =
          k % 7 == 0 ? -0.0 : std::ldexp(static_cast<double>(k * 31 + i), -static_cast<int>(k));
    big[3] = std::numeric_limits<double>::quiet_NaN();
    big[5] = std::numeric_limits<double>::denorm_min();
    return std::vector<std::vector<double>>{big, {static_cast<double>(i) + 0.5}};
  };
  auto write = [&](const std::string& path, bool encode) {
    auto out = ResultsFile::create(path, layout, small_attributes(3), false);
    for (std::size_t i : {2u, 0u, 1u}) {
      wfsim::engine::ReplicationResult result;
      result.series = blocks(i);
      if (encode) {
        wfsim::engine::encode_compressed_blocks(compressed, result);
        CHECK(result.series[0].empty());
        CHECK(!result.encoded[0].empty());
        CHECK(result.encoded[1].empty());
        CHECK(result.series[1].size() == 1);
      }
      out.write_replication(i, result.series, i, result.encoded);
    }
    out.commit();
    out.write_summaries();
    out.close();
  };
  write(dir.file("filtered.h5"), false);
  write(dir.file("encoded.h5"), true);
  // Each replication's stored chunk has the same bytes either way (the files
  // differ only in where HDF5 put them).
  auto stored_chunk = [](const std::string& path, hsize_t row) {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    REQUIRE(file >= 0);
    const hid_t set = H5Dopen2(file, "/trajectories/big", H5P_DEFAULT);
    REQUIRE(set >= 0);
    const hsize_t offset[3] = {row, 0, 0};
    hsize_t size = 0;
    REQUIRE(H5Dget_chunk_storage_size(set, offset, &size) >= 0);
    std::vector<char> bytes(size);
    std::uint32_t filters_skipped = 1;
    REQUIRE(H5Dread_chunk(set, H5P_DEFAULT, offset, &filters_skipped, bytes.data()) >= 0);
    CHECK(filters_skipped == 0);
    H5Dclose(set);
    H5Fclose(file);
    return bytes;
  };
  for (hsize_t row = 0; row < 3; ++row) {
    INFO("replication " << row);
    const std::vector<char> filtered = stored_chunk(dir.file("filtered.h5"), row);
    CHECK(!filtered.empty());
    CHECK(filtered == stored_chunk(dir.file("encoded.h5"), row));
  }
  const auto read =
      ResultsFile::open_read_only(dir.file("encoded.h5")).read_series("trajectories/big");
  REQUIRE(read.size() == 240);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::vector<double> expected = blocks(i)[0];
    CHECK(std::memcmp(read.data() + i * 80, expected.data(), 80 * sizeof(double)) == 0);
  }
}

TEST_CASE("an encoded block is refused for a series stored uncompressed", "[h5_writer]") {
  TempDir dir;
  auto out = ResultsFile::create(dir.file("a.h5"), small_layout(), small_attributes(2), false);
  std::vector<std::vector<char>> encoded(4);
  encoded[0] = wfsim::engine::encode_chunk(blocks_for(0)[0]);
  CHECK_THROWS_AS(out.write_replication(0, blocks_for(0), 1, encoded), RuntimeError);
}
