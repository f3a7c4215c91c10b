// libFuzzer target over the scenario front end: the loader and validator,
// `extends` resolution and `--set` overrides (tests/fuzz/scenario_input.h
// describes the input). Bad input must end in engine::InputError; any other
// exception escapes and aborts, which libFuzzer reports as a crash, as it does
// sanitizer reports, timeouts and memory beyond -rss_limit_mb.
#include <cstddef>
#include <cstdint>
#include <string>

#include "scenario_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One directory for the whole process: libFuzzer runs inputs one at a time.
  static wfsim::fuzzing::ScenarioWorkspace workspace;
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)wfsim::fuzzing::check_scenario_input(text, workspace);
  return 0;
}
