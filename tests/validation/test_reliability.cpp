// No lost work (SPEC §5 Interruption): runs stopped by SIGINT or SIGKILL,
// by a failing replication or by a full disk keep every committed
// replication in a file that opens, and `run --resume` completes them to
// the datasets of an uninterrupted run. A run that cannot fit in memory is
// refused before it starts.
#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_readers.h"
#include "wfsim/engine/results_schema.h"

namespace fs = std::filesystem;
namespace schema = wfsim::engine::results_schema;
using namespace wfsim::testing::cli;
using wfsim::testing::H5File;
using wfsim::testing::require_same_committed_rows;

namespace {

// Small replications with programs, mentoring and a trace: a few seconds in
// all on two threads, so that signals land midway. ThreadSanitizer slows
// the run some tenfold: a fifth as many replications still take seconds.
#if defined(WFSIM_THREAD_SANITIZER)
constexpr int kReplications = 500;
#else
constexpr int kReplications = 2500;
#endif
// The full-disk test needs a file larger than its limit, whatever the build.
constexpr int kFullDiskReplications = 2500;

std::vector<std::string> run_arguments(int replications, const fs::path& out) {
  std::vector<std::string> arguments = {"run", scenario("quickstart_training.yaml")};
  arguments.insert(arguments.end(), {"-r", std::to_string(replications), "-s", "5"});
  arguments.insert(arguments.end(), {"--trace", "3", "-q", "-j", "2"});
  arguments.insert(arguments.end(), {"-o", out.string(), "--force"});
  return arguments;
}

fs::path reference_run(int replications = kReplications) {
  const fs::path out = scratch_dir() / "reference.h5";
  const Outcome o = run_wfsim(run_arguments(replications, out));
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  return out;
}

pid_t start_run(const fs::path& out, const fs::path& log, std::size_t file_size_bytes = 0,
                int replications = kReplications) {
  return spawn(run_arguments(replications, out), log, 0, file_size_bytes);
}

std::size_t committed_count(const fs::path& file) {
  const auto status = wfsim::engine::ResultsFile::open_existing(file.string()).replication_status();
  return static_cast<std::size_t>(std::count(status.begin(), status.end(), 1));
}

// Resumes `file` with `command` (run, compare, ...) on one thread and
// requires every dataset to equal the reference's (a different thread count
// than the interrupted run's) and the file to be marked complete.
void resume_and_compare(const fs::path& file, const fs::path& reference,
                        const std::string& command = "run") {
  const Outcome resumed = run_wfsim({command, "--resume", file.string(), "-j", "1", "-q"});
  INFO(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  wfsim::testing::require_same_datasets(reference, file);
  CHECK(wfsim::engine::read_float_attribute_of(file.string(), "/", schema::kComplete) == 1.0);
}

}  // namespace

TEST_CASE("run --resume completes a run stopped by SIGINT to the datasets of an uninterrupted run",
          "[reliability][resume]") {
  const fs::path reference = reference_run();
  const fs::path file = scratch_dir() / "interrupted.h5";
  const fs::path log = scratch_dir() / "interrupted.log";
  const pid_t pid = start_run(file, log);
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  REQUIRE(kill(pid, SIGINT) == 0);
  INFO(read_file(log));
  REQUIRE(wait_exit_code(pid) == 130);
  CHECK(read_file(log).find("--resume") != std::string::npos);
  const std::size_t committed = committed_count(file);
  CHECK(committed > 0);
  REQUIRE(committed < kReplications);  // else there is nothing to resume
  CHECK_FALSE(wfsim::engine::ResultsFile::open_existing(file.string()).attributes().complete);
  require_same_committed_rows(file.string(), reference.string());
  resume_and_compare(file, reference);

  // Resuming a complete file runs nothing and changes no dataset.
  resume_and_compare(file, reference);
}

TEST_CASE(
    "a run killed with SIGKILL leaves a file that opens with its committed replications, "
    "and --resume completes it",
    "[reliability][resume][kill]") {
  const fs::path reference = reference_run();
  std::mt19937 random(20261122);
  std::uniform_int_distribution<int> moment_ms(300, 1800);  // within the run
  for (int trial = 0; trial < 3; ++trial) {
    const int at = moment_ms(random);
    INFO("trial " << trial << ", killed after " << at << " ms");
    const fs::path file = scratch_dir() / ("killed_" + std::to_string(trial) + ".h5");
    const pid_t pid = start_run(file, scratch_dir() / "killed.log");
    std::this_thread::sleep_for(std::chrono::milliseconds(at));
    REQUIRE(kill(pid, SIGKILL) == 0);
    REQUIRE(wait_exit_code(pid) == 128 + SIGKILL);
    {
      const H5File opened(file.string());  // read-only, without h5clear
      REQUIRE(opened.id >= 0);
    }
    require_same_committed_rows(file.string(), reference.string());
    resume_and_compare(file, reference);
  }
  // Commits come every two seconds: a kill after five seconds always finds
  // some, even on a loaded machine (a run long enough to be killed midway
  // even on a fast one).
  const fs::path late = scratch_dir() / "killed_late.h5";
  const pid_t pid = spawn({"run", scenario("quickstart.yaml"), "-r", "20000", "-j", "2", "-o",
                           late.string(), "--force", "-q"},
                          scratch_dir() / "killed_late.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(5000));
  REQUIRE(kill(pid, SIGKILL) == 0);
  CHECK(wait_exit_code(pid) == 128 + SIGKILL);
  const std::size_t committed = committed_count(late);
  CHECK(committed > 0);
  CHECK(committed < 20000);
}

TEST_CASE("run --resume refuses another version's file, other options and files it cannot use",
          "[reliability][resume]") {
  const fs::path file = scratch_dir() / "small.h5";
  REQUIRE(run_wfsim(
              {"run", scenario("quickstart.yaml"), "-r", "3", "-o", file.string(), "--force", "-q"})
              .exit_code == 0);

  const Outcome with_scenario =
      run_wfsim({"run", scenario("quickstart.yaml"), "--resume", file.string()});
  CHECK(with_scenario.exit_code == 2);
  CHECK(with_scenario.output.find("SCENARIO.yaml cannot be given") != std::string::npos);
  const Outcome with_replications = run_wfsim({"run", "--resume", file.string(), "-r", "9"});
  CHECK(with_replications.exit_code == 2);
  CHECK(with_replications.output.find("--replications cannot be given") != std::string::npos);
  const Outcome missing = run_wfsim({"run", "--resume", (scratch_dir() / "none.h5").string()});
  CHECK(missing.exit_code == 2);
  const fs::path text = scratch_dir() / "not_hdf5.h5";
  std::ofstream(text) << "not a results file\n";
  const Outcome not_hdf5 = run_wfsim({"run", "--resume", text.string()});
  INFO(not_hdf5.output);
  CHECK(not_hdf5.exit_code == 2);
  CHECK(not_hdf5.output.find("cannot be resumed") != std::string::npos);

  {
    auto results = wfsim::engine::ResultsFile::open_existing(file.string());
    results.close();
    const hid_t h5 = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(h5 >= 0);
    const hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    H5Tset_cset(type, H5T_CSET_UTF8);
    const hid_t space = H5Screate(H5S_SCALAR);
    H5Adelete(h5, schema::kWfsimVersion);
    const hid_t attribute =
        H5Acreate2(h5, schema::kWfsimVersion, type, space, H5P_DEFAULT, H5P_DEFAULT);
    const char* older = "0.0.1";
    REQUIRE(H5Awrite(attribute, type, &older) >= 0);
    H5Aclose(attribute);
    H5Sclose(space);
    H5Tclose(type);
    H5Fclose(h5);
  }
  const Outcome other_version = run_wfsim({"run", "--resume", file.string()});
  INFO(other_version.output);
  CHECK(other_version.exit_code == 2);
  CHECK(other_version.output.find(schema::kWfsimVersion) != std::string::npos);
  CHECK(other_version.output.find("0.0.1") != std::string::npos);
}

TEST_CASE("run --resume, info and merge refuse a file of a newer results format",
          "[reliability][resume]") {
  const fs::path file = scratch_dir() / "newer_format.h5";
  REQUIRE(run_wfsim(
              {"run", scenario("quickstart.yaml"), "-r", "2", "-o", file.string(), "--force", "-q"})
              .exit_code == 0);
  {
    const hid_t h5 = H5Fopen(file.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    REQUIRE(h5 >= 0);
    const hid_t attribute = H5Aopen(h5, schema::kResultsFormatVersion, H5P_DEFAULT);
    REQUIRE(attribute >= 0);
    const std::int32_t newer = schema::kCurrentResultsFormat + 1;
    REQUIRE(H5Awrite(attribute, H5T_NATIVE_INT32, &newer) >= 0);
    H5Aclose(attribute);
    H5Fclose(h5);
  }
  const fs::path merged = scratch_dir() / "newer_format_merged.h5";
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"run", "--resume", file.string()},
        std::vector<std::string>{"info", file.string()},
        std::vector<std::string>{"merge", file.string(), "-o", merged.string()}}) {
    const Outcome o = run_wfsim(arguments);
    INFO(arguments.front() << ": " << o.output);
    CHECK(o.exit_code == 2);
    CHECK(o.output.find(schema::kResultsFormatVersion) != std::string::npos);
    CHECK(o.output.find("results format 2") != std::string::npos);
  }
  CHECK_FALSE(fs::exists(merged));
}

TEST_CASE("a replication that throws is recorded with its index and seed, the others are written",
          "[reliability][failure]") {
  const fs::path reference = reference_run();
  const fs::path file = scratch_dir() / "one_failed.h5";
  setenv("WFSIM_FAIL_REPLICATION", "17", 1);
  const Outcome o = run_wfsim(run_arguments(kReplications, file));
  unsetenv("WFSIM_FAIL_REPLICATION");
  INFO(o.output);
  CHECK(o.exit_code == 1);
  CHECK(o.output.find("replication 17 (seed 5) failed") != std::string::npos);

  {
    const auto results = wfsim::engine::ResultsFile::open_existing(file.string());
    const auto status = results.replication_status();
    for (std::size_t r = 0; r < status.size(); ++r) CHECK(status[r] == (r == 17 ? 0 : 1));
    CHECK_FALSE(results.attributes().complete);
  }
  const auto failures =
      wfsim::engine::read_string_list_attribute_of(file.string(), "/", schema::kFailedReplications);
  REQUIRE(failures.size() == 1);
  CHECK(failures[0].find("replication 17, seed 5:") == 0);
  require_same_committed_rows(file.string(), reference.string());

  // Once the cause is gone, resuming runs the failed replication alone.
  resume_and_compare(file, reference);
  CHECK(
      wfsim::engine::read_string_list_attribute_of(file.string(), "/", schema::kFailedReplications)
          .empty());
}

TEST_CASE("a full disk stops the run with a clear error and a file marked incomplete that resumes",
          "[reliability][disk]") {
  const fs::path reference = reference_run(kFullDiskReplications);
  const fs::path file = scratch_dir() / "full_disk.h5";
  const fs::path log = scratch_dir() / "full_disk.log";
  // Files cannot grow past 7 MB: the run stops with some 2.6 MB written.
  const pid_t pid = start_run(file, log, 7'000'000, kFullDiskReplications);
  const int code = wait_exit_code(pid);
  const std::string output = read_file(log);
  INFO(output);
  CHECK(code == 1);
  CHECK(output.find("room left to write") != std::string::npos);
  CHECK(output.find("marked incomplete") != std::string::npos);
  {
    const H5File opened(file.string());
    REQUIRE(opened.id >= 0);
  }
  const std::size_t committed = committed_count(file);
  CHECK(committed > 0);
  REQUIRE(committed < kFullDiskReplications);
  CHECK_FALSE(wfsim::engine::ResultsFile::open_existing(file.string()).attributes().complete);
  require_same_committed_rows(file.string(), reference.string());
  resume_and_compare(file, reference);
}

TEST_CASE("a run that cannot fit in memory is refused before it starts", "[reliability][memory]") {
  const fs::path dir = scratch_dir();
  const fs::path yaml = dir / "too_big.yaml";
  {
    std::ofstream out(yaml);
    // 45 million positions (within the loader's limit) on 16 threads: some
    // 9 GB a replication, far more than the machine holds 16 times over.
    out << "wfsim: 1\nname: too_big\nhorizon_years: 1\nroles:\n  - id: clerk\n"
           "    headcount: 45000000\n    salary: 40000\n";
  }
  const fs::path out = dir / "too_big.h5";
  fs::remove(out);
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = run_wfsim({"run", yaml.string(), "-j", "16", "-o", out.string()});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  INFO(o.output);
  CHECK(o.exit_code == 1);
  CHECK(o.output.find("the run needs about") != std::string::npos);
  CHECK(o.output.find("is available") != std::string::npos);
  CHECK(o.output.find("16 threads") != std::string::npos);
  CHECK(seconds < 5.0);
  CHECK_FALSE(fs::exists(out));
}

namespace {

// Interrupts `arguments` (writing `out`) with SIGINT after each delay in
// turn, resuming in between, and requires the file to end equal to
// `reference`. Returns how many signals found the command running.
int interrupt_and_resume(const std::vector<std::string>& arguments, const std::string& command,
                         const fs::path& out, const fs::path& reference,
                         const std::vector<int>& delays_ms) {
  int interrupted = 0;
  for (std::size_t trial = 0; trial < delays_ms.size(); ++trial) {
    INFO(command << " interrupted after " << delays_ms[trial] << " ms");
    std::vector<std::string> all = arguments;
    all.insert(all.end(), {"-j", "2", "-o", out.string(), "--force", "-q"});
    const fs::path log = scratch_dir() / (command + "_interrupted.log");
    const pid_t pid = spawn(all, log);
    std::this_thread::sleep_for(std::chrono::milliseconds(delays_ms[trial]));
    kill(pid, SIGINT);
    const int code = wait_exit_code(pid);
    INFO(read_file(log));
    REQUIRE((code == 130 || code == 0));
    if (code == 130) ++interrupted;
    resume_and_compare(out, reference, command);
  }
  return interrupted;
}

}  // namespace

TEST_CASE("compare, sweep and sensitivity --resume finish interrupted files, finished runs kept",
          "[reliability][resume]") {
  struct Case {
    std::string command;
    std::vector<std::string> arguments;
  };
  const std::vector<Case> cases = {
      {"compare",
       {"compare", scenario("quickstart.yaml"), scenario("quickstart_training.yaml"), "-r", "800"}},
      {"sweep",
       {"sweep", scenario("quickstart.yaml"), "--vary", "roles.picker.attrition=0.8,1.2", "-r",
        "800"}},
      {"sensitivity",
       {"sensitivity", scenario("quickstart.yaml"), "--path", "roles.picker.attrition", "-r",
        "400"}}};
  for (const Case& c : cases) {
    const fs::path reference = scratch_dir() / (c.command + "_reference.h5");
    std::vector<std::string> all = c.arguments;
    all.insert(all.end(), {"-j", "2", "-o", reference.string(), "--force", "-q"});
    const Outcome full = run_wfsim(all);
    INFO(full.output);
    REQUIRE(full.exit_code == 0);
    // One signal during the first run, one later, when the first is done.
    CHECK(interrupt_and_resume(c.arguments, c.command, scratch_dir() / (c.command + ".h5"),
                               reference, {400, 1300}) >= 1);
  }
  // A file of another command is refused with a pointer to the right one.
  const Outcome wrong = run_wfsim({"sweep", "--resume", (scratch_dir() / "compare.h5").string()});
  CHECK(wrong.exit_code == 2);
  CHECK(wrong.output.find("written by wfsim compare") != std::string::npos);
}
