#include <catch2/catch.hpp>

#include <hdf5.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "results_file_fixture.h"
#include "wfsim/engine/chunk_encoding.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_schema.h"

using namespace wfsim::testing::results_fixture;
using wfsim::engine::OutputLayout;
using wfsim::engine::ResultsFile;
using wfsim::engine::RunAttributes;
using wfsim::engine::RuntimeError;
namespace schema = wfsim::engine::results_schema;

TEST_CASE("a results file stores replications written out of order at their index",
          "[results_file]") {
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

  CHECK(read_string_attribute(file, schema::kWfsimVersion) == "0.1.0");
  CHECK(read_string_attribute(file, schema::kScenarioName) == "small");
  CHECK(read_string_attribute(file, schema::kScenarioYaml) == "name: small\nhorizon: 1\n");
  CHECK(read_string_attribute(file, schema::kGitSha) == "abc123");
  CHECK(read_string_attribute(file, schema::kCreatedUtc) == "2024-01-01T00:00:00Z");
  CHECK(read_attribute<int>(file, schema::kSchemaVersion, H5T_NATIVE_INT) == 1);
  CHECK(read_attribute<std::uint64_t>(file, schema::kSeed, H5T_NATIVE_UINT64) == 42);
  CHECK(read_attribute<std::uint64_t>(file, schema::kReplications, H5T_NATIVE_UINT64) == 3);
  CHECK(read_attribute<std::uint64_t>(file, schema::kReplicationsCompleted, H5T_NATIVE_UINT64) ==
        3);
  CHECK(read_attribute<int>(file, schema::kThreads, H5T_NATIVE_INT) == 4);
  CHECK(read_attribute<std::uint64_t>(file, schema::kEventsProcessed, H5T_NATIVE_UINT64) == 33);
  CHECK(read_attribute<double>(file, schema::kWallSeconds, H5T_NATIVE_DOUBLE) == 1.5);

  check_summaries(file, "/trajectories/headcount", "/summary/headcount", kT * kR, {0, 1, 2});
  check_summaries(file, "/totals/exits", "/summary/totals/exits", 1, {0, 1, 2});
  CHECK(read_doubles(file, "/summary/totals/exits/mean").dims.empty());  // a scalar
  CHECK(read_doubles(file, "/summary/program_spend/p50").dims == std::vector<hsize_t>{kT, 0});
  CHECK(H5Lexists(file, "/summary/program_totals", H5P_DEFAULT) == 0);
  H5Fclose(file);
}

TEST_CASE("rows written but not committed keep status 0 and stay out of the summaries",
          "[results_file]") {
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
  CHECK(read_attribute<std::uint64_t>(file, schema::kReplicationsCompleted, H5T_NATIVE_UINT64) ==
        2);
  CHECK(read_attribute<std::uint64_t>(file, schema::kEventsProcessed, H5T_NATIVE_UINT64) == 12);
  check_summaries(file, "/trajectories/headcount", "/summary/headcount", kT * kR, {0, 1});
  const Read exits = read_doubles(file, "/totals/exits");
  CHECK(std::isnan(exits.values[3]));  // never written: the NaN fill value
  H5Fclose(file);
}

TEST_CASE("summaries of a file with nothing committed are NaN", "[results_file]") {
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
          "[results_file]") {
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
  CHECK(read_attribute<std::uint64_t>(file, schema::kReplicationsCompleted, H5T_NATIVE_UINT64) ==
        3);
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
  CHECK(read_attribute<std::uint64_t>(resumed, schema::kEventsProcessed, H5T_NATIVE_UINT64) == 5);
  check_summaries(resumed, "/trajectories/headcount", "/summary/headcount", kT * kR,
                  {0, 1, 2, 3, 4});
  H5Fclose(resumed);
}

TEST_CASE("open_existing reads back the layout, the attributes and the status", "[results_file]") {
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
  CHECK(out.root_string_attribute(schema::kScenarioYaml) == "name: small\nhorizon: 1\n");
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

TEST_CASE("create refuses an existing file unless asked to overwrite it", "[results_file]") {
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

TEST_CASE("create names the path when the file cannot be created", "[results_file]") {
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

TEST_CASE("write_replication rejects a bad index or a block of the wrong size", "[results_file]") {
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

TEST_CASE("a results file can be moved and the moved-from object is closed", "[results_file]") {
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

TEST_CASE("two files written with the same data and attributes are byte-identical",
          "[results_file]") {
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

TEST_CASE("h5py reads the attributes and datasets as a user would", "[results_file]") {
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
          "[results_file]") {
  TempDir dir;
  const std::string path = dir.file("big.h5");
  RunAttributes attributes = small_attributes(1);
  attributes.scenario_yaml.clear();
  for (int i = 0; i < 20000; ++i) attributes.scenario_yaml += "# line " + std::to_string(i) + "\n";
  REQUIRE(attributes.scenario_yaml.size() > 200000);
  ResultsFile::create(path, small_layout(), attributes, false).close();
  const hid_t file = open_read_only(path);
  CHECK(read_string_attribute(file, schema::kScenarioYaml) == attributes.scenario_yaml);
  H5Fclose(file);
}

TEST_CASE("blocks encoded by the simulating thread are stored as HDF5's own filters store them",
          "[results_file]") {
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

TEST_CASE("an encoded block is refused for a series stored uncompressed", "[results_file]") {
  TempDir dir;
  auto out = ResultsFile::create(dir.file("a.h5"), small_layout(), small_attributes(2), false);
  std::vector<std::vector<char>> encoded(4);
  encoded[0] = wfsim::engine::encode_chunk(blocks_for(0)[0]);
  CHECK_THROWS_AS(out.write_replication(0, blocks_for(0), 1, encoded), RuntimeError);
}
