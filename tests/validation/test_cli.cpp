// The `wfsim` program as a user runs it: exit codes, files, signals.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "cli_harness.h"
#include "h5_compare.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/metrics.h"

namespace fs = std::filesystem;
using namespace wfsim::testing::cli;
using wfsim::testing::require_same_committed_rows;

TEST_CASE("every command answers --help with exit code 0", "[cli]") {
  for (const std::string command : {"run", "compare", "validate", "info"}) {
    const Outcome o = run_wfsim({command, "--help"});
    INFO(o.output);
    CHECK(o.exit_code == 0);
    CHECK(o.output.find("Usage: wfsim " + command) != std::string::npos);
  }
  CHECK(run_wfsim({"--help"}).exit_code == 0);
}

TEST_CASE("bad usage exits with code 2 and says why", "[cli]") {
  CHECK(run_wfsim({"frobnicate"}).exit_code == 2);
  CHECK(run_wfsim({"run"}).exit_code == 2);
  CHECK(run_wfsim({"run", scenario("quickstart.yaml"), "--replications", "zero"}).exit_code == 2);
  const Outcome o =
      run_wfsim({"run", scenario("quickstart.yaml"), "--set", "roles.picker.attritio=1"});
  INFO(o.output);
  CHECK(o.exit_code == 2);
  CHECK(o.output.find("attritio") != std::string::npos);
}

TEST_CASE("a bad scenario exits with code 2 naming file:line:col and the key", "[cli]") {
  const fs::path bad = scratch_dir() / "bad.yaml";
  std::ofstream(bad) << "wfsim: 1\nname: bad\nhorizon_years: 1\nroles:\n"
                        "  - id: a\n    headcount: 10\n    attrition: high\n";
  for (const std::string command : {"run", "validate"}) {
    const Outcome o = run_wfsim({command, bad.string()});
    INFO(o.output);
    CHECK(o.exit_code == 2);
    CHECK(o.output.find("bad.yaml:7:16: error: roles[a].attrition") != std::string::npos);
  }
}

TEST_CASE("every shipped scenario validates and runs", "[cli][scenarios]") {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(WFSIM_SCENARIO_DIR))
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  {
    std::vector<std::string> validate = {"validate"};
    for (const fs::path& file : files) validate.push_back(file.string());
    const Outcome validated = run_wfsim(validate);
    INFO(validated.output);
    CHECK(validated.exit_code == 0);
  }

  // One replication each, two runs at a time on one thread each: the
  // six-year, 300,000-employee scenarios take one to two seconds a
  // replication, and most of the shipped files are such.
  const fs::path dir = scratch_dir();
  const auto log_of = [&](const fs::path& file) { return dir / (file.stem().string() + ".log"); };
  const auto out_of = [&](const fs::path& file) { return dir / (file.stem().string() + ".h5"); };
  std::vector<std::pair<pid_t, std::size_t>> running;
  std::vector<int> exit_codes(files.size(), -1);
  for (std::size_t next = 0; next < files.size() || !running.empty();) {
    if (next < files.size() && running.size() < 2) {
      running.emplace_back(spawn({"run", files[next].string(), "-r", "1", "-j", "1", "-o",
                                  out_of(files[next]).string(), "--force"},
                                 log_of(files[next])),
                           next);
      ++next;
      continue;
    }
    exit_codes[running.front().second] = wait_exit_code(running.front().first);
    running.erase(running.begin());
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::string output = read_file(log_of(files[i]));
    INFO(files[i] << "\n" << output);
    CHECK(exit_codes[i] == 0);
    CHECK(output.find("events processed") != std::string::npos);
    CHECK(run_wfsim({"info", out_of(files[i]).string()}).exit_code == 0);
  }
}

TEST_CASE("an existing results file is kept unless --force is given", "[cli]") {
  const fs::path out = scratch_dir() / "keep.h5";
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "2", "-o", out.string(), "--force"})
              .exit_code == 0);
  const auto before = fs::last_write_time(out);
  const Outcome o = run_wfsim({"run", scenario("quickstart.yaml"), "-r", "2", "-o", out.string()});
  CHECK(o.exit_code == 2);
  CHECK(fs::last_write_time(out) == before);
}

TEST_CASE("one and two threads give identical datasets", "[cli][determinism]") {
  const fs::path one = scratch_dir() / "one.h5", two = scratch_dir() / "two.h5";
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "24", "-j", "1", "-o", one.string(),
                     "--force", "-q"})
              .exit_code == 0);
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "24", "-j", "2", "-o", two.string(),
                     "--force", "-q"})
              .exit_code == 0);
  const auto status = wfsim::engine::ResultsFile::open_existing(one.string()).replication_status();
  REQUIRE(std::count(status.begin(), status.end(), 1) == 24);
  require_same_committed_rows(one.string(), two.string());
}

TEST_CASE(
    "a run with uncertain parameters stores its draws, at any thread count, and info lists them",
    "[cli][uncertain]") {
  const fs::path file = scratch_dir() / "uncertain.yaml";
  std::ofstream(file) << "wfsim: 1\nname: uncertain\nhorizon_years: 1\nroles:\n"
                         "  - id: a\n    headcount: 200\n"
                         "    attrition: {uncertain: {dist: uniform, min: 0.1, max: 0.5}}\n"
                         "    salary: {uncertain: {dist: lognormal, mean: 40000, sd: 5000}, "
                         "shared: pay}\n";
  const Outcome valid = run_wfsim({"validate", file.string()});
  INFO(valid.output);
  CHECK(valid.exit_code == 0);
  CHECK(valid.output.find("2 uncertain parameters at their medians") != std::string::npos);
  const fs::path one = scratch_dir() / "uncertain1.h5", two = scratch_dir() / "uncertain2.h5";
  REQUIRE(
      run_wfsim({"run", file.string(), "-r", "16", "-j", "1", "-o", one.string(), "--force", "-q"})
          .exit_code == 0);
  REQUIRE(
      run_wfsim({"run", file.string(), "-r", "16", "-j", "2", "-o", two.string(), "--force", "-q"})
          .exit_code == 0);
  require_same_committed_rows(one.string(), two.string());
  std::vector<double> attrition, pay;
  {
    const auto results = wfsim::engine::ResultsFile::open_existing(one.string());
    attrition = results.read_series("parameters/roles.a.attrition");
    pay = results.read_series("parameters/pay");
  }
  REQUIRE(attrition.size() == 16);
  for (std::size_t r = 0; r < 16; ++r) {
    CHECK(attrition[r] > 0.1);
    CHECK(attrition[r] < 0.5);
    CHECK(pay[r] > 0.0);
  }
  CHECK(std::set<double>(attrition.begin(), attrition.end()).size() == 16);
  const Outcome info = run_wfsim({"info", one.string()});
  INFO(info.output);
  CHECK(info.exit_code == 0);
  CHECK(info.output.find("uncertain parameter") != std::string::npos);
  CHECK(info.output.find("roles.a.attrition") != std::string::npos);
  CHECK(info.output.find("pay") != std::string::npos);

  const fs::path bad = scratch_dir() / "bad_uncertain.yaml";
  std::ofstream(bad) << "wfsim: 1\nname: bad\nhorizon_years: 1\nroles:\n"
                        "  - id: a\n    headcount: 10\n"
                        "    attrition: {uncertain: {dist: uniform, min: -0.1, max: 0.3}}\n";
  for (const std::string command : {"run", "validate"}) {
    const Outcome o = run_wfsim({command, bad.string()});
    INFO(o.output);
    CHECK(o.exit_code == 2);
    CHECK(o.output.find("bad_uncertain.yaml:7:28: error: roles[a].attrition.uncertain: the uniform "
                        "distribution's support (-0.1, 0.3) leaves the legal range") !=
          std::string::npos);
  }
}

TEST_CASE("an override with --set changes a parameter of the run", "[cli]") {
  const fs::path base = scratch_dir() / "base.h5", set = scratch_dir() / "set.h5";
  REQUIRE(run_wfsim(
              {"run", scenario("quickstart.yaml"), "-r", "4", "-o", base.string(), "--force", "-q"})
              .exit_code == 0);
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "4", "-o", set.string(), "--force",
                     "-q", "--set", "roles.picker.attrition=0", "--set",
                     "roles.picker.tenure_multipliers=[[0, 1]]"})
              .exit_code == 0);
  const auto a = wfsim::engine::ResultsFile::open_existing(base.string());
  const auto b = wfsim::engine::ResultsFile::open_existing(set.string());
  const auto exits_base = a.read_series("totals/exits");
  const auto exits_set = b.read_series("totals/exits");
  for (std::size_t r = 0; r < 4; ++r) CHECK(exits_set[r] < exits_base[r] / 2);
  CHECK(b.attributes().scenario_yaml.find("attrition: 0") != std::string::npos);
}

TEST_CASE(
    "SIGTERM during a run leaves a valid file whose committed replications match an "
    "uninterrupted run",
    "[cli][signals]") {
  const fs::path interrupted = scratch_dir() / "interrupted.h5";
  const fs::path complete = scratch_dir() / "complete.h5";
  const fs::path log = scratch_dir() / "interrupted.log";
  fs::remove(interrupted);
  // Many small replications: some are committed within the wait even in a
  // sanitizer build, and far from all.
  const pid_t pid = spawn({"run", scenario("quickstart.yaml"), "-r", "20000", "-j", "2", "-o",
                           interrupted.string(), "-q"},
                          log);
  std::this_thread::sleep_for(std::chrono::milliseconds(3000));
  const auto signalled = std::chrono::steady_clock::now();
  REQUIRE(kill(pid, SIGTERM) == 0);
  const int code = wait_exit_code(pid);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  INFO(read_file(log));
  CHECK(code == 143);
  CHECK(seconds < 5.0);

  const auto file = wfsim::engine::ResultsFile::open_existing(interrupted.string());
  const auto status = file.replication_status();
  const auto committed = static_cast<std::size_t>(std::count(status.begin(), status.end(), 1));
  CHECK(committed > 0);
  CHECK(committed < 20000);
  CHECK(file.attributes().replications_completed == committed);

  // The same seed, uninterrupted, over the replications that were committed.
  std::size_t last = 0;
  for (std::size_t r = 0; r < status.size(); ++r)
    if (status[r] == 1) last = r;
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", std::to_string(last + 1), "-o",
                     complete.string(), "--force", "-q"})
              .exit_code == 0);
  const auto full = wfsim::engine::ResultsFile::open_existing(complete.string());
  for (const std::string path : {"totals/exits", "totals/total_cost", "totals/final_headcount"}) {
    const std::vector<double> kept = file.read_series(path), reference = full.read_series(path);
    for (std::size_t r = 0; r <= last; ++r)
      if (status[r] == 1) CHECK(kept[r] == reference[r]);
  }
  require_same_committed_rows(interrupted.string(), complete.string());
}

TEST_CASE("a run with programs, budget and mentoring fills their datasets and trace rows",
          "[cli][programs]") {
  const fs::path file = scratch_dir() / "with_program.yaml";
  std::ofstream(file) << "wfsim: 1\nname: with_program\nhorizon_years: 2\nroles:\n"
                         "  - id: a\n    headcount: 200\n    attrition: 0.5\n"
                         "  - id: b\n    headcount: 50\n    attrition: 0.2\n"
                         "programs:\n  - id: p\n    type: reskilling\n    eligible_roles: [a]\n"
                         "    target_roles: {b: 1}\n    enrollment_rate: 0.5\n"
                         "    duration_months: 3\n    cost: {fixed: 100, per_month: 50}\n"
                         "mentoring:\n  mentor_roles: [b]\n  programs: [p]\n"
                         "budget:\n  total: 5000\n";
  const fs::path out = scratch_dir() / "with_program.h5";
  const Outcome o =
      run_wfsim({"run", file.string(), "-r", "2", "--trace", "1", "-o", out.string(), "--force"});
  INFO(o.output);
  REQUIRE(o.exit_code == 0);
  CHECK(o.output.find("not simulated") == std::string::npos);
  const auto results = wfsim::engine::ResultsFile::open_existing(out.string());
  const std::vector<double> enrolments = results.read_series("totals/enrollments");
  const std::vector<double> refused = results.read_series("totals/refused");
  const std::vector<double> spend = results.read_series("totals/program_spend");
  for (std::size_t r = 0; r < 2; ++r) {
    CHECK(enrolments[r] > 0);
    CHECK(refused[r] > 0);  // the 5,000 budget binds
    CHECK(spend[r] <= 5000.0 * (1 + 1e-12));
  }
  std::size_t program_rows = 0;
  for (const auto& row : results.read_trace()) {
    const auto kind = static_cast<wfsim::models::EventKind>(row.event);
    const bool about_program = kind == wfsim::models::EventKind::enrolment ||
                               kind == wfsim::models::EventKind::completion ||
                               kind == wfsim::models::EventKind::dropout ||
                               kind == wfsim::models::EventKind::placement;
    CHECK((row.program == 0) == about_program);
    program_rows += about_program ? 1 : 0;
  }
  CHECK(program_rows > 0);
}

TEST_CASE("tracing K replications records every event of those and no other", "[cli]") {
  // All of two replications traced: one row per event counted.
  const fs::path all = scratch_dir() / "trace_all.h5";
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "2", "--trace", "2", "-o",
                     all.string(), "--force", "-q"})
              .exit_code == 0);
  const auto all_file = wfsim::engine::ResultsFile::open_existing(all.string());
  const auto all_rows = all_file.read_trace();
  CHECK(all_rows.size() == all_file.attributes().events_processed);
  // The first two of four traced: the same rows, none from replications 2 and 3.
  const fs::path some = scratch_dir() / "trace_some.h5";
  REQUIRE(run_wfsim({"run", scenario("quickstart.yaml"), "-r", "4", "--trace", "2", "-o",
                     some.string(), "--force", "-q"})
              .exit_code == 0);
  const auto some_rows = wfsim::engine::ResultsFile::open_existing(some.string()).read_trace();
  REQUIRE(some_rows.size() == all_rows.size());
  std::array<std::size_t, 2> per_replication{};
  for (const auto& row : some_rows) {
    REQUIRE(row.replication < 2);
    ++per_replication[row.replication];
    CHECK(row.time >= 0.0);
    CHECK(row.time <= 3.0);
  }
  CHECK(per_replication[0] > 0);
  CHECK(per_replication[1] > 0);
}

TEST_CASE("validate --print shows the resolved scenario, the text a run stores", "[cli][extends]") {
  const fs::path policy = scratch_dir() / "composed_policy.yaml";
  {
    std::ofstream out(policy);
    out << "wfsim: 1\nname: composed\nextends: " << scenario("quickstart.yaml")
        << "\nroles:\n  - id: analyst\n    attrition: 0.25\n";
  }
  const Outcome printed = run_wfsim({"validate", policy.string(), "--print"});
  REQUIRE(printed.exit_code == 0);
  // The base's roles are merged in by id, the override applied, the name not inherited.
  CHECK(printed.output.find("id: picker") != std::string::npos);
  CHECK(printed.output.find("attrition: 0.25") != std::string::npos);
  CHECK(printed.output.find("extends") == std::string::npos);
  CHECK(printed.output.find("name: composed") != std::string::npos);
  CHECK(printed.output.find("name: quickstart") == std::string::npos);

  const fs::path results = scratch_dir() / "composed.h5";
  REQUIRE(run_wfsim({"run", policy.string(), "-r", "2", "-o", results.string(), "--force", "-q"})
              .exit_code == 0);
  const auto file = wfsim::engine::ResultsFile::open_existing(results.string());
  CHECK(file.attributes().scenario_yaml == printed.output);
}
