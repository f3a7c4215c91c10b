// Hostile input through the program (SPEC §1 Validation): every file of the
// bad-scenario corpus, and inputs too big or too special to keep in the
// repository (generated here), is rejected by `wfsim validate` and `wfsim run`
// with exit code 2 and a message naming the file (and line:col for content),
// in under a second and under 300 MB.
#include <sys/stat.h>
#include <sys/types.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "child_process.h"

namespace fs = std::filesystem;
using wfsim::testing::ChildOutcome;
using wfsim::testing::run_child;

namespace {

#if defined(WFSIM_ADDRESS_SANITIZER) || defined(WFSIM_THREAD_SANITIZER)
// Instrumented builds are slower and reserve terabytes of shadow memory: the
// time and memory bounds are checked by the optimised build; these runs look
// for memory and undefined-behaviour errors on the same inputs.
constexpr bool kResourceBounds = false;
#else
constexpr bool kResourceBounds = true;
#endif
constexpr double kMaxSeconds = 1.0;
constexpr long kMaxResidentKb = 300 * 1024;
// A guard, not the measure: a runaway allocation fails at once instead of
// swapping the machine (the peak resident size is what is checked).
constexpr std::size_t kAddressSpaceCap = kResourceBounds ? std::size_t{2} << 30 : 0;

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

std::string first_line(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// `wfsim COMMAND path` is rejected within the limits; returns its first line,
// which names the file (`named_file`, by default the path given) with
// line:col when `with_position`.
std::string require_rejected(const std::string& command, const fs::path& path, const fs::path& log,
                             bool with_position, const std::string& named_file = std::string()) {
  std::vector<std::string> arguments = {command, path.string()};
  if (command == "run") arguments.insert(arguments.end(), {"-o", (log.string() + ".h5"), "-q"});
  const ChildOutcome o = run_child(arguments, log, kAddressSpaceCap, 10.0);
  const std::string line = first_line(o.output);
  INFO("wfsim " << command << " " << path.filename().string() << ": exit " << o.exit_code << " in "
                << o.seconds << " s, peak " << o.max_rss_kb / 1024 << " MB\n"
                << o.output.substr(0, 400));
  CHECK_FALSE(o.timed_out);
  CHECK(o.exit_code == 2);
  if (kResourceBounds) {
    CHECK(o.seconds < kMaxSeconds);
    CHECK(o.max_rss_kb < kMaxResidentKb);
  }
  const std::string file = named_file.empty() ? path.string() : named_file;
  const std::string prefix = file + (with_position ? ":" : ": error: ");
  CHECK(line.rfind(prefix, 0) == 0);
  if (with_position) {
    static const std::regex position(R"(^:[0-9]+:[0-9]+: error: .+)");
    CHECK(std::regex_match(line.substr(std::min(file.size(), line.size())), position));
  }
  CHECK_FALSE(fs::exists(log.string() + ".h5"));
  return line;
}

void write_file(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

}  // namespace

TEST_CASE("every bad scenario of the corpus exits with code 2 in under a second and 300 MB",
          "[cli][hostile]") {
  const fs::path dir = fs::path(WFSIM_TEST_DATA_DIR) / "bad_scenarios";
  const fs::path scratch = wfsim::testing::child_scratch_dir("corpus");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 80);
  for (const fs::path& file : files) {
    fs::path expected_path = file;
    expected_path.replace_extension(".expected");
    const std::string expected = trimmed(wfsim::testing::slurp(expected_path));
    REQUIRE_FALSE(expected.empty());
    // Every error in the corpus is in the content, so it names line:col; in
    // the file given, or, for an extends cycle, where the cycle closes.
    std::string named = file.string();
    if (file.stem() == "extends_cycle_a") named = (dir / "extends_cycle_b.yaml").string();
    if (file.stem() == "extends_cycle_b") named = (dir / "extends_cycle_a.yaml").string();
    const std::string line =
        require_rejected("validate", file, scratch / (file.stem().string() + ".log"), true, named);
    INFO(line);
    CHECK(line.find(expected) != std::string::npos);
  }
  fs::remove_all(scratch);
}

TEST_CASE(
    "generated hostile inputs and special files exit with code 2 in under a second and 300 MB",
    "[cli][hostile]") {
  const fs::path dir = wfsim::testing::child_scratch_dir("hostile");
  const std::string header =
      "wfsim: 1\nname: bad\nhorizon_years: 2\nroles:\n  - id: a\n    headcount: 10\n";
  struct Case {
    std::string name;
    std::string content;
    std::string expected;
    bool with_position;
  };
  const std::size_t limit = 1 << 20;  // LoaderLimits::max_file_bytes
  std::vector<Case> cases;
  cases.push_back(
      {"oversized_file", header + std::string(limit, '#'), "larger than the limit", false});
  cases.push_back({"oversized_20mb", std::string(20 << 20, '['), "larger than the limit", false});
  cases.push_back({"oversized_string", header + "    description: " + std::string(70000, 'x'),
                   "roles[a].description: a scalar of 70000 bytes is longer than the limit", true});
  cases.push_back({"oversized_quoted_string",
                   header + "    description: \"" + std::string(100000, 'x') + "\"\n",
                   "a scalar of 100000 bytes", true});
  cases.push_back({"brackets_1mb", std::string(limit - 1, '['), "nesting deeper than 64", true});
  cases.push_back({"braces_1mb", std::string(limit - 1, '{'), "nesting deeper than 64", true});
  {
    std::string dashes;
    while (dashes.size() + 2 < limit) dashes += "- ";
    cases.push_back({"dashes_1mb", dashes, "nesting deeper than 64", true});
    std::string maps;
    while (maps.size() + 4 < limit) maps += "{a: ";
    cases.push_back({"maps_1mb", maps, "nesting deeper than 64", true});
    std::string nodes = header + "    description: [";
    while (nodes.size() + 3 < limit) nodes += "1,";
    cases.push_back({"many_nodes", nodes + "1]\n", "more than 200000 YAML nodes", true});
    std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
    std::string previous = "a";
    for (char name = 'b'; name <= 'z'; ++name) {
      bomb += std::string(1, name) + ": &" + name + " [";
      for (int k = 0; k < 9; ++k) bomb += (k ? ",*" : "*") + previous;
      bomb += "]\n";
      previous = std::string(1, name);
    }
    cases.push_back({"alias_bomb", bomb, "a: anchors (&a) are not supported", true});
  }
  cases.push_back({"zeros_1mb", std::string(limit, '\0'), "NUL byte", true});
  {
    std::mt19937 rng(20240611);
    std::string junk(limit, '\0');
    for (char& c : junk) c = static_cast<char>(rng() & 0xFF);
    cases.push_back({"random_bytes", junk, "error:", true});
    std::string ascii(limit - 1, ' ');
    for (char& c : ascii) c = static_cast<char>(32 + rng() % 95);
    cases.push_back({"random_ascii", ascii, "error:", true});
  }
  cases.push_back({"latin1", header + "    name: caf\xe9\n", "invalid UTF-8", true});
  for (const Case& c : cases) {
    const fs::path path = dir / (c.name + ".yaml");
    write_file(path, c.content);
    for (const std::string command : {"validate", "run"}) {
      const std::string line =
          require_rejected(command, path, dir / (c.name + ".log"), c.with_position);
      INFO(c.name << ": " << line);
      CHECK(line.find(c.expected) != std::string::npos);
    }
    fs::remove(path);
  }

  // Files that are not regular files are rejected before anything is read.
  const fs::path fifo = dir / "fifo.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const fs::path subdir = dir / "directory.yaml";
  fs::create_directories(subdir);
  const fs::path zero_link = dir / "zero.yaml";
  fs::create_symlink("/dev/zero", zero_link);
  const std::vector<std::pair<fs::path, std::string>> special = {
      {fifo, "is a FIFO, not a regular file"},
      {subdir, "is a directory"},
      {zero_link, "is a device, not a regular file"},
      {"/dev/zero", "is a device, not a regular file"},
      {"/dev/urandom", "is a device, not a regular file"},
      {dir / "missing.yaml", "cannot read scenario: No such file"}};
  for (const auto& [path, expected] : special) {
    for (const std::string command : {"validate", "run"}) {
      const std::string line =
          require_rejected(command, path, dir / (path.filename().string() + ".log"), false);
      INFO(line);
      CHECK(line.find(expected) != std::string::npos);
    }
  }
  fs::remove_all(dir);
}
