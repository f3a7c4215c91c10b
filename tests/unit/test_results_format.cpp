#include <catch2/catch.hpp>

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "results_file_fixture.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"

using namespace wfsim::testing::results_fixture;
using wfsim::engine::InputError;
using wfsim::engine::ResultsFile;
namespace engine = wfsim::engine;
namespace schema = wfsim::engine::results_schema;

namespace {

// Rewrites (or, with no version, removes) the format version on the root.
void set_format_version(const std::string& path, std::optional<std::int32_t> version) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  REQUIRE(file >= 0);
  if (H5Aexists(file, schema::kResultsFormatVersion) > 0)
    REQUIRE(H5Adelete(file, schema::kResultsFormatVersion) >= 0);
  if (version) {
    const hid_t space = H5Screate(H5S_SCALAR);
    const hid_t attribute = H5Acreate2(file, schema::kResultsFormatVersion, H5T_STD_I32LE, space,
                                       H5P_DEFAULT, H5P_DEFAULT);
    REQUIRE(attribute >= 0);
    REQUIRE(H5Awrite(attribute, H5T_NATIVE_INT32, &*version) >= 0);
    H5Aclose(attribute);
    H5Sclose(space);
  }
  H5Fclose(file);
}

bool has_attribute(const std::string& path, const std::string& object, const char* name) {
  const hid_t file = open_read_only(path);
  const hid_t owner = H5Oopen(file, object.c_str(), H5P_DEFAULT);
  REQUIRE(owner >= 0);
  const bool exists = H5Aexists(owner, name) > 0;
  H5Oclose(owner);
  H5Fclose(file);
  return exists;
}

// A `run` file of two replications, the first committed.
std::string run_with_one_committed(const TempDir& dir) {
  const std::string path = dir.file("run.h5");
  auto out = ResultsFile::create(path, small_layout(), small_attributes(2), false);
  out.write_replication(0, blocks_for(0), 1);
  out.commit();
  return path;
}

// A file of one results group under /scenarios/base, as `compare` makes.
std::string grouped_file(const TempDir& dir) {
  const std::string path = dir.file("grouped.h5");
  engine::FileAdditions additions;
  additions.root_strings = {{"command", "compare"}};
  engine::create_results_file(path, additions, false);
  ResultsFile::create_in_group(path, "scenarios/base", small_layout(), small_attributes(2)).close();
  return path;
}

}  // namespace

TEST_CASE("every results file carries the results format version on its root", "[results_format]") {
  TempDir dir;
  const std::string run = dir.file("run.h5");
  ResultsFile::create(run, small_layout(), small_attributes(2), false).close();
  {
    const hid_t file = open_read_only(run);
    CHECK(read_attribute<std::int32_t>(file, schema::kResultsFormatVersion, H5T_NATIVE_INT32) ==
          schema::kCurrentResultsFormat);
    H5Fclose(file);
  }
  CHECK(schema::kCurrentResultsFormat == 1);
  CHECK(engine::read_float_attribute_of(run, "/", schema::kResultsFormatVersion) == 1.0);

  // A file of results groups: on its root, not on each group (whose
  // attributes are those of a run).
  const std::string grouped = grouped_file(dir);
  CHECK(engine::read_float_attribute_of(grouped, "/", schema::kResultsFormatVersion) == 1.0);
  CHECK_FALSE(has_attribute(grouped, "/scenarios/base", schema::kResultsFormatVersion));
}

TEST_CASE("a results file of a newer format is refused by every reader with an input error",
          "[results_format]") {
  TempDir dir;
  const std::string run = run_with_one_committed(dir);
  set_format_version(run, schema::kCurrentResultsFormat + 1);
  try {
    ResultsFile::open_existing(run);
    FAIL("a newer format was resumed");
  } catch (const InputError& e) {
    CHECK(e.key_path() == schema::kResultsFormatVersion);
    CHECK(e.mark().file == run);
    CHECK_THAT(e.what(), Catch::Matchers::Contains("results format 2"));
  }
  CHECK_THROWS_AS(ResultsFile::open_read_only(run), InputError);
  CHECK_THROWS_AS(engine::read_string_attribute_of(run, "/", schema::kScenarioName), InputError);
  CHECK_THROWS_AS(engine::read_float_attribute_of(run, "/", schema::kSeed), InputError);
  CHECK_THROWS_AS(engine::read_string_list_attribute_of(run, "/", schema::kSeriesPaths),
                  InputError);
  CHECK_THROWS_AS(engine::read_float_dataset(run, "time"), InputError);
  CHECK_THROWS_AS(engine::read_string_dataset(run, "roles"), InputError);
  CHECK_THROWS_AS(engine::list_groups(run, "/"), InputError);
  CHECK_THROWS_AS(engine::results_object_exists(run, schema::kReplicationStatus), InputError);
  CHECK_THROWS_AS(engine::add_to_results_file(run, engine::FileAdditions{}), InputError);

  const std::string grouped = grouped_file(dir);
  set_format_version(grouped, schema::kCurrentResultsFormat + 1);
  CHECK_THROWS_AS(ResultsFile::open_existing(grouped, "scenarios/base"), InputError);
  CHECK_THROWS_AS(ResultsFile::create_in_group(grouped, "scenarios/policy", small_layout(),
                                               small_attributes(2)),
                  InputError);
}

TEST_CASE("a results file written before the format version existed reads as version 1",
          "[results_format]") {
  TempDir dir;
  const std::string run = run_with_one_committed(dir);
  set_format_version(run, std::nullopt);
  REQUIRE_FALSE(has_attribute(run, "/", schema::kResultsFormatVersion));
  {
    auto out = ResultsFile::open_existing(run);
    CHECK(out.replication_status() == std::vector<std::uint8_t>{1, 0});
    out.write_replication(1, blocks_for(1), 1);
    out.commit();
  }
  CHECK(engine::read_float_dataset(run, "totals/exits") == std::vector<double>{0.5, 1.5});
  // Resuming does not stamp a version the file's rows were not written under.
  CHECK_FALSE(has_attribute(run, "/", schema::kResultsFormatVersion));
}
