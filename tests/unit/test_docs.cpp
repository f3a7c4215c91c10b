#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

TEST_CASE("docs/parameters.md is the reference the loader's tables generate", "[docs]") {
  // Refresh with: build/tools/wfsim validate --reference > docs/parameters.md
  std::ifstream in(std::string(WFSIM_SCENARIO_DIR) + "/../docs/parameters.md");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == wfsim::models::parameter_reference_markdown());
}

TEST_CASE("docs/metrics.md is the reference the metric tables generate", "[docs]") {
  // On a difference the generated text is written to metrics.md in the
  // working directory (build/tests under ctest): copy it to docs/metrics.md.
  const std::string generated = wfsim::models::metric_reference_markdown();
  std::ifstream in(std::string(WFSIM_SCENARIO_DIR) + "/../docs/metrics.md");
  std::stringstream text;
  text << in.rdbuf();
  if (text.str() != generated) std::ofstream("metrics.md") << generated;
  CHECK(text.str() == generated);
}
