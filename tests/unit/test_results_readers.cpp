#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "results_file_fixture.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"

using namespace wfsim::testing::results_fixture;
using wfsim::engine::RuntimeError;
namespace engine = wfsim::engine;

namespace {

// What a command adds to a results file: datasets, attributes of the root
// and of the objects it made.
engine::FileAdditions sample_additions() {
  engine::FileAdditions additions;
  additions.datasets = {{"table/cost", {2, 3}, {1, 2, 3, 4, 5, 6}, {{"unit", "money"}}},
                        {"table/scalar", {}, {7.5}}};
  additions.string_datasets = {{"table/names", {"a", "b\u00e9"}}, {"table/none", {}}};
  additions.object_floats = {{"table", "weight", 0.25}};
  additions.object_string_lists = {{"table/cost", "columns", {"x", "y", "z"}}};
  additions.root_strings = {{"command", "sample"}};
  additions.root_string_lists = {{"paths", {"p", "q"}}};
  additions.root_counts = {{"points", 3}};
  return additions;
}

}  // namespace

TEST_CASE("the readers return the datasets and attributes a command added, by name",
          "[results_readers]") {
  TempDir dir;
  const std::string path = dir.file("sample.h5");
  engine::create_results_file(path, sample_additions(), false);

  CHECK(engine::read_float_dataset(path, "table/cost") == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(engine::read_float_dataset(path, "/table/scalar") == std::vector<double>{7.5});
  CHECK(engine::read_string_dataset(path, "table/names") ==
        std::vector<std::string>{"a", "b\u00e9"});
  CHECK(engine::read_string_dataset(path, "table/none").empty());
  CHECK(engine::read_string_attribute_of(path, "/", "command") == "sample");
  CHECK(engine::read_string_attribute_of(path, "table/cost", "unit") == "money");
  CHECK(engine::read_float_attribute_of(path, "/", "points") == 3.0);
  CHECK(engine::read_float_attribute_of(path, "table", "weight") == 0.25);
  CHECK(engine::read_string_list_attribute_of(path, "/", "paths") ==
        std::vector<std::string>{"p", "q"});
  CHECK(engine::read_string_list_attribute_of(path, "table/cost", "columns") ==
        std::vector<std::string>{"x", "y", "z"});
  CHECK(engine::read_string_list_attribute_of(path, "/", "no_such_attribute").empty());
  CHECK(engine::list_groups(path, "/") == std::vector<std::string>{"table"});
  CHECK(engine::list_groups(path, "table").empty());  // datasets only
  CHECK(engine::list_groups(path, "no/such/group").empty());
  CHECK(engine::results_object_exists(path, "table/cost"));
  CHECK_FALSE(engine::results_object_exists(path, "table/nothing"));
  CHECK_FALSE(engine::results_object_exists(path, "nothing/at/all"));

  // A resumed command removes what it computes again before adding it.
  engine::FileAdditions again;
  again.removals = {"table/scalar", "never/made"};
  engine::add_to_results_file(path, again);
  CHECK_FALSE(engine::results_object_exists(path, "table/scalar"));
  CHECK(engine::results_object_exists(path, "table/cost"));
}

TEST_CASE("a reader names the file when a dataset, an object or an attribute is missing",
          "[results_readers]") {
  TempDir dir;
  const std::string path = dir.file("sample.h5");
  engine::create_results_file(path, sample_additions(), false);
  const auto names_the_file = Catch::Matchers::Contains(path);
  CHECK_THROWS_WITH(engine::read_float_dataset(path, "table/nothing"), names_the_file);
  CHECK_THROWS_WITH(engine::read_string_dataset(path, "nothing"), names_the_file);
  CHECK_THROWS_WITH(engine::read_string_attribute_of(path, "nothing", "unit"), names_the_file);
  CHECK_THROWS_WITH(engine::read_string_attribute_of(path, "/", "nothing"), names_the_file);
  CHECK_THROWS_WITH(engine::read_float_attribute_of(path, "/", "nothing"), names_the_file);
  CHECK_THROWS_AS(engine::read_float_attribute_of(path, "/", "nothing"), RuntimeError);
  CHECK_THROWS_AS(engine::read_string_dataset(dir.file("absent.h5"), "x"), RuntimeError);
}
