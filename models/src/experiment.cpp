#include "wfsim/models/experiment.h"

#include <fmt/core.h>

#include <ctime>

#include "wfsim/engine/chunk_encoding.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/process_memory.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/models/metrics.h"
#include "wfsim/models/scenario_loader.h"

namespace wfsim::models {

std::string utc_timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

namespace {

// The largest a replication gets per position it may create: the agent, the
// position, their calendar entries and the program and mentoring state
// (measured at 110-151 bytes; kept well above that).
constexpr double kBytesPerPosition = 200.0;
// The program, its libraries and the writer's buffers.
constexpr double kBaseBytes = 64.0 * 1024 * 1024;

// Room the results file keeps free for the last commit, the summaries and
// closing, on top of a few replications' worth.
constexpr std::uint64_t kDiskReserveBytes = 4u << 20;

// The file system (or the file-size limit) leaves too little room to write.
class OutOfRoom : public engine::RuntimeError {
 public:
  using engine::RuntimeError::RuntimeError;
};

std::string gibibytes(double bytes) {
  return fmt::format("{:.1f} GiB", bytes / (1024.0 * 1024.0 * 1024.0));
}

void check_memory(const WorkforceModel& model, int threads) {
  const double needed = static_cast<double>(estimated_run_bytes(model, threads));
  const double available = static_cast<double>(engine::available_memory_bytes());
  if (needed <= available) return;
  const double per_thread = static_cast<double>(estimated_run_bytes(model, 1)) - kBaseBytes;
  const int fitting = per_thread > 0 ? static_cast<int>((available - kBaseBytes) / per_thread) : 0;
  throw engine::RuntimeError(fmt::format(
      "{}: the run needs about {} ({} thread{} x {} for a replication of up to {} positions) "
      "and {} is available; {}",
      model.scenario().name, gibibytes(needed), threads, threads == 1 ? "" : "s",
      gibibytes(per_thread), model.expected_positions(), gibibytes(available),
      fitting >= 1 ? fmt::format("run with -j {} or fewer", fitting)
                   : std::string("the scenario is too large for this machine (fewer positions, "
                                 "less growth or a shorter horizon)")));
}

}  // namespace

std::size_t estimated_run_bytes(const WorkforceModel& model, int threads) {
  double result_values = 0;
  for (std::size_t size : model.series_sizes()) result_values += static_cast<double>(size);
  const double per_replication =
      kBytesPerPosition * static_cast<double>(model.expected_positions()) + 8.0 * result_values;
  // Each thread holds one replication; finished results wait for the writer.
  const double in_flight =
      static_cast<double>(threads) * per_replication + (2.0 * threads + 2.0) * 8.0 * result_values;
  return static_cast<std::size_t>(std::min(kBaseBytes + in_flight, 1e19));
}

std::size_t replications_in_shard(std::size_t replications, std::size_t index, std::size_t count) {
  return index < replications ? (replications - index + count - 1) / count : 0;
}

engine::ReplicationResult simulate_replication(const WorkforceModel& model, std::uint64_t seed,
                                               std::size_t index, std::size_t trace_replications,
                                               const std::atomic<bool>* stop,
                                               std::optional<std::size_t> failing_replication) {
  if (failing_replication == index)
    throw std::runtime_error("failure injected by WFSIM_FAIL_REPLICATION");
  SimulationOptions simulation;
  simulation.trace = index < trace_replications;
  simulation.stop = stop;
  engine::ReplicationResult result = model.simulate(seed, index, simulation);
  engine::encode_compressed_blocks(model.compressed_series(), result);
  return result;
}

void require_this_build(const engine::SourceMark& mark, const std::string& wfsim_version,
                        const std::string& git_sha) {
  if (wfsim_version == WFSIM_VERSION && git_sha == WFSIM_GIT_SHA) return;
  throw engine::InputError(
      mark, "wfsim_version",
      fmt::format("written by wfsim {} (git {}), and this is wfsim {} (git {}); its replications "
                  "could differ from the ones this version would add: resume it with the version "
                  "that wrote it, or run again",
                  wfsim_version, git_sha, WFSIM_VERSION, WFSIM_GIT_SHA));
}

namespace {

engine::SourceMark mark_of(const std::string& path, const std::string& group) {
  return {path + (group.empty() ? "" : ":/" + group), 0, 0};
}

ExperimentSettings settings_of(const engine::ResultsFile& file, const std::string& group) {
  const engine::RunAttributes& a = file.attributes();
  const engine::SourceMark mark = mark_of(file.path(), group);
  require_this_build(mark, a.wfsim_version, a.git_sha);
  const int schema = kSchemaVersion;
  if (a.schema_version != schema)
    throw engine::InputError(mark, "schema_version",
                             fmt::format("the file has scenario schema {}, and this wfsim reads {}",
                                         a.schema_version, schema));
  ExperimentSettings settings;
  settings.output_path = file.path();
  settings.group = group;
  settings.replications = a.replications;
  settings.seed = a.seed;
  settings.trace_replications = a.trace_replications;
  settings.shard_index = a.shard_index;
  settings.shard_count = a.shard_count;
  settings.resume = true;
  return settings;
}

}  // namespace

ExperimentSettings stored_settings(const std::string& path, const std::string& group) {
  return settings_of(engine::ResultsFile::open_existing(path, group), group);
}

StoredRun stored_run(const std::string& path, const std::string& group) {
  const engine::ResultsFile file = engine::ResultsFile::open_existing(path, group);
  ExperimentSettings settings = settings_of(file, group);
  return {load_scenario_text(file.attributes().scenario_yaml,
                             mark_of(path, group).file + ":scenario_yaml"),
          std::move(settings)};
}

namespace {

engine::ResultsFile create_results(const WorkforceModel& model, const ExperimentSettings& settings,
                                   int threads) {
  const Scenario& scenario = model.scenario();
  engine::RunAttributes attributes;
  attributes.wfsim_version = WFSIM_VERSION;
  attributes.scenario_name = scenario.name;
  attributes.scenario_yaml = scenario.resolved_yaml;
  attributes.git_sha = WFSIM_GIT_SHA;
  attributes.created_utc = utc_timestamp_now();
  attributes.schema_version = scenario.schema_version;
  attributes.seed = settings.seed;
  attributes.replications = settings.replications;
  attributes.threads = threads;
  attributes.trace_replications = settings.trace_replications;
  attributes.ranks = settings.context.ranks();
  attributes.shard_index = settings.shard_index;
  attributes.shard_count = settings.shard_count;
  return settings.group.empty()
             ? engine::ResultsFile::create(settings.output_path, model.output_layout(), attributes,
                                           settings.overwrite)
             : engine::ResultsFile::create_in_group(settings.output_path, settings.group,
                                                    model.output_layout(), attributes);
}

// The file of an interrupted run, checked against the model that finishes it.
engine::ResultsFile open_for_resume(const WorkforceModel& model,
                                    const ExperimentSettings& settings) {
  engine::ResultsFile file =
      engine::ResultsFile::open_existing(settings.output_path, settings.group);
  const engine::OutputLayout expected = model.output_layout();
  const bool same = engine::same_series(expected, file.layout()) &&
                    file.replications() == settings.replications &&
                    file.attributes().seed == settings.seed &&
                    file.attributes().trace_replications == settings.trace_replications &&
                    file.attributes().shard_index == settings.shard_index &&
                    file.attributes().shard_count == settings.shard_count;
  if (!same)
    throw engine::RuntimeError(fmt::format(
        "{}{}: the results do not match the scenario and settings stored with them; the file "
        "cannot be resumed",
        settings.output_path, settings.group.empty() ? "" : ":/" + settings.group));
  file.set_trace_event_names(expected.trace_event_names);
  // Rows a killed run left of replications it had not committed go.
  file.keep_committed_trace_in_order();
  return file;
}

}  // namespace

ExperimentReport run_experiment(const WorkforceModel& model, const ExperimentSettings& settings) {
  ExperimentReport report;
  report.threads = engine::resolve_thread_count(settings.threads);
  check_memory(model, report.threads);
  engine::ResultsFile file = settings.resume ? open_for_resume(model, settings)
                                             : create_results(model, settings, report.threads);

  // KPI totals kept in memory, by replication index, for the printed table;
  // on resume those committed before are read back.
  std::vector<std::vector<double>> totals(kKpiCount,
                                          std::vector<double>(settings.replications, 0.0));
  std::vector<std::uint8_t> done = file.replication_status();
  std::vector<std::size_t> pending;
  std::size_t committed_before = 0;
  for (std::size_t i = 0; i < done.size(); ++i) {
    if (done[i])
      ++committed_before;
    else if (i % settings.shard_count == settings.shard_index)
      pending.push_back(i);
  }
  if (committed_before > 0) {
    for (int k = 0; k < kKpiCount; ++k)
      totals[k] = file.read_series(model.output_layout().series[kpi_series_index(k)].path);
  }

  engine::RunnerOptions options;
  options.threads = settings.threads;
  options.commit_interval_seconds = settings.commit_interval_seconds;
  options.stop = settings.stop;
  options.on_progress = settings.on_progress;

  auto simulate = [&](std::size_t index) {
    return simulate_replication(model, settings.seed, index, settings.trace_replications,
                                settings.stop, settings.context.failing_replication);
  };
  // Other MPI ranks take their share of the replications.
  engine::Batch batch;
  batch.model = model.scenario().resolved_yaml;
  batch.seed = settings.seed;
  batch.trace_replications = settings.trace_replications;
  batch.threads = settings.threads;
  engine::Cluster::Dispatch shares = settings.context.cluster != nullptr
                                         ? settings.context.cluster->dispatch(batch, pending)
                                         : engine::Cluster::Dispatch{pending, nullptr};
  options.remote = shares.remote.get();
  std::uint64_t replication_bytes = 0;
  for (std::size_t size : model.series_sizes()) replication_bytes += 8 * size;
  // Written since the last commit: HDF5 may hold it in memory until the
  // commit's flush, so the room must cover it too.
  std::uint64_t unflushed_bytes = 0;
  auto consume = [&](engine::ReplicationResult& result) {
    // Enough for what waits for the flush, this replication and its trace
    // twice over, the summaries (five per value) and the reserve.
    const std::uint64_t trace_bytes = result.trace.size() * sizeof(engine::TraceRow);
    const std::uint64_t needed =
        kDiskReserveBytes + unflushed_bytes + 9 * replication_bytes + 2 * trace_bytes;
    const std::uint64_t room = file.room_to_grow();
    if (room < needed)
      throw OutOfRoom(fmt::format(
          "{}: {:.2f} MB of room left to write, less than the {:.2f} MB needed to go on safely "
          "(the disk is full, or nearly, or a file-size limit is reached)",
          settings.output_path, static_cast<double>(room) / 1e6,
          static_cast<double>(needed) / 1e6));
    file.write_replication(result.index, result.series, result.events, result.encoded);
    unflushed_bytes += replication_bytes + trace_bytes;
    if (!result.trace.empty()) file.append_trace(result.trace);
    for (int k = 0; k < kKpiCount; ++k)
      totals[k][result.index] = result.series[kpi_series_index(k)][0];
    done[result.index] = 1;
  };
  auto commit = [&] {
    file.commit();
    unflushed_bytes = 0;
  };

  try {
    report.outcome = engine::run_replications(shares.own, simulate, consume, commit, options);
  } catch (const OutOfRoom& error) {
    // The reserve holds what closing the file cleanly writes.
    file.commit();
    file.write_summaries();
    const std::uint64_t committed = file.attributes().replications_completed;
    file.close();
    throw engine::RuntimeError(
        fmt::format("{}; the run stopped, and the {} replications committed are kept in {} (marked "
                    "incomplete: make room and finish it with --resume)",
                    error.what(), committed, settings.output_path));
  } catch (const std::exception& error) {
    // Typically a full disk. What was committed stays; `complete` stays 0.
    const std::uint64_t committed = file.attributes().replications_completed;
    try {
      file.close();
    } catch (const std::exception&) {
      // The first error is the one to report.
    }
    throw engine::RuntimeError(fmt::format(
        "{}; the run stopped, and the {} replications committed before are kept in {} (marked "
        "incomplete: finish it with --resume once the cause is fixed)",
        error.what(), committed, settings.output_path));
  }

  std::vector<std::string> failures;
  for (const auto& [index, message] : report.outcome.failures)
    failures.push_back(fmt::format("replication {}, seed {}: {}", index, settings.seed, message));
  file.record_failures(failures);
  file.keep_committed_trace_in_order();
  // A stopped run closes at once: mpirun, like most schedulers, kills a
  // process that has not exited within a second or so of SIGTERM, and a
  // kill while the summaries' datasets are made could leave a file that
  // does not open. --resume writes them when it finishes the file.
  if (!report.outcome.interrupted) file.write_summaries();
  file.set_wall_seconds(file.attributes().wall_seconds + report.outcome.wall_seconds);
  if (file.attributes().replications_completed == settings.replications &&
      settings.shard_count == 1)
    file.mark_complete();
  file.close();
  report.resumed = committed_before;
  report.outcome.completed += committed_before;

  for (int k = 0; k < kKpiCount; ++k) {
    std::vector<double> values;
    for (std::size_t i = 0; i < settings.replications; ++i)
      if (done[i]) values.push_back(totals[k][i]);
    report.kpis.push_back({kKpiNames[k], engine::mean_ci95(values.data(), values.size())});
  }
  report.totals = std::move(totals);
  report.committed = std::move(done);
  return report;
}

}  // namespace wfsim::models
