#include "wfsim/models/experiment.h"

#include <ctime>

#include "wfsim/engine/h5_writer.h"
#include "wfsim/models/metrics.h"

namespace wfsim::models {

std::string utc_timestamp_now() {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

ExperimentReport run_experiment(const WorkforceModel& model, const ExperimentSettings& settings) {
  const Scenario& scenario = model.scenario();
  ExperimentReport report;
  report.threads = engine::resolve_thread_count(settings.threads);

  engine::RunAttributes attributes;
  attributes.wfsim_version = WFSIM_VERSION;
  attributes.scenario_name = scenario.name;
  attributes.scenario_yaml = scenario.resolved_yaml;
  attributes.git_sha = WFSIM_GIT_SHA;
  attributes.created_utc = utc_timestamp_now();
  attributes.schema_version = scenario.schema_version;
  attributes.seed = settings.seed;
  attributes.replications = settings.replications;
  attributes.threads = report.threads;
  engine::ResultsFile file =
      settings.group.empty()
          ? engine::ResultsFile::create(settings.output_path, model.output_layout(), attributes,
                                        settings.overwrite)
          : engine::ResultsFile::create_in_group(settings.output_path, settings.group,
                                                 model.output_layout(), attributes);

  std::vector<std::size_t> pending(settings.replications);
  for (std::size_t i = 0; i < pending.size(); ++i) pending[i] = i;

  // KPI totals kept in memory, by replication index, for the printed table.
  std::vector<std::vector<double>> totals(kKpiCount,
                                          std::vector<double>(settings.replications, 0.0));
  std::vector<std::uint8_t> done(settings.replications, 0);

  engine::RunnerOptions options;
  options.threads = settings.threads;
  options.commit_interval_seconds = settings.commit_interval_seconds;
  options.stop = settings.stop;
  options.on_progress = settings.on_progress;

  auto simulate = [&](std::size_t index) {
    SimulationOptions simulation;
    simulation.trace = index < settings.trace_replications;
    simulation.stop = settings.stop;
    return model.simulate(settings.seed, index, simulation);
  };
  auto consume = [&](engine::ReplicationResult& result) {
    file.write_replication(result.index, result.series, result.events);
    if (!result.trace.empty()) file.append_trace(result.trace);
    for (int k = 0; k < kKpiCount; ++k)
      totals[k][result.index] = result.series[kpi_series_index(k)][0];
    done[result.index] = 1;
  };
  auto commit = [&] { file.commit(); };

  report.outcome = engine::run_replications(pending, simulate, consume, commit, options);

  file.write_summaries();
  file.set_wall_seconds(report.outcome.wall_seconds);
  file.close();

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
