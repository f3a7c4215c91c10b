#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "wfsim/models/scenario_loader.h"

TEST_CASE("docs/parameters.md is the reference the loader's tables generate", "[docs]") {
  // Refresh with: build/tools/wfsim validate --reference > docs/parameters.md
  std::ifstream in(std::string(WFSIM_SCENARIO_DIR) + "/../docs/parameters.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == wfsim::models::parameter_reference_markdown());
}
