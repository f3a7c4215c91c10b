#include "wfsim/models/experiments/group_runs.h"

#include <fmt/core.h>

#include "wfsim/engine/error.h"
#include "wfsim/models/scenario_loader.h"
#include "wfsim/models/workforce.h"

namespace wfsim::models::experiments {

GroupRuns GroupRuns::create(const PlanSettings& settings, const std::string& kind,
                            engine::FileAdditions additions, std::vector<PlannedRun> plan) {
  GroupRuns runs;
  runs.settings_ = settings;
  runs.plan_ = std::move(plan);
  additions.root_strings.insert(additions.root_strings.begin(),
                                {{"wfsim_version", WFSIM_VERSION},
                                 {"git_sha", WFSIM_GIT_SHA},
                                 {"created_utc", utc_timestamp_now()},
                                 {"command", kind}});
  additions.root_counts.push_back({"complete", 0});
  additions.root_counts.push_back({"shard_index", settings.shard_index});
  additions.root_counts.push_back({"shard_count", settings.shard_count});
  std::vector<std::string> groups, labels, texts;
  for (const PlannedRun& run : runs.plan_) {
    groups.push_back(run.group);
    labels.push_back(run.label);
    texts.push_back(run.scenario.resolved_yaml);
  }
  additions.string_datasets.push_back({"plan/groups", groups});
  additions.string_datasets.push_back({"plan/labels", labels});
  additions.string_datasets.push_back({"plan/scenarios", texts});
  // Made whole before it appears: a process killed meanwhile leaves no file
  // without its plan under the output's name.
  engine::create_results_file(settings.output_path, additions, settings.overwrite);
  return runs;
}

GroupRuns GroupRuns::resume(const std::string& path, const std::string& kind) {
  const engine::SourceMark mark{path, 0, 0};
  const std::string written_by = results_file_kind(path);
  if (written_by != kind)
    throw engine::InputError(mark, "command",
                             fmt::format("written by wfsim {}, not wfsim {}", written_by, kind));
  require_this_build(mark, engine::read_string_attribute_of(path, "/", "wfsim_version"),
                     engine::read_string_attribute_of(path, "/", "git_sha"));

  GroupRuns runs;
  runs.resuming_ = true;
  PlanSettings& settings = runs.settings_;
  settings.output_path = path;
  auto count = [&](const char* name) {
    return static_cast<std::size_t>(engine::read_float_attribute_of(path, "/", name));
  };
  settings.replications = count("replications");
  settings.seed = static_cast<std::uint64_t>(engine::read_float_attribute_of(path, "/", "seed"));
  settings.shard_index = count("shard_index");
  settings.shard_count = count("shard_count");
  const auto groups = engine::read_string_dataset(path, "plan/groups");
  const auto labels = engine::read_string_dataset(path, "plan/labels");
  const auto texts = engine::read_string_dataset(path, "plan/scenarios");
  if (labels.size() != groups.size() || texts.size() != groups.size())
    throw engine::RuntimeError(path + ": /plan is damaged; the file cannot be resumed");
  for (std::size_t k = 0; k < groups.size(); ++k)
    runs.plan_.push_back(
        {groups[k], labels[k],
         load_scenario_text(texts[k], path + ":/plan/scenarios[" + std::to_string(k) + "]")});
  return runs;
}

std::optional<ExperimentReport> GroupRuns::run(std::size_t k, const RunControls& controls) {
  if (stopped_ || (controls.stop != nullptr && controls.stop->load())) {
    stopped_ = true;
    return std::nullopt;
  }
  PlannedRun& planned = plan_.at(k);
  const WorkforceModel model(std::move(planned.scenario));
  ExperimentSettings settings;
  if (resuming_ && engine::results_object_exists(settings_.output_path, planned.group)) {
    // The plan holds the group's scenario already: only the settings are read.
    settings = stored_settings(settings_.output_path, planned.group);
  } else {
    settings.output_path = settings_.output_path;
    settings.group = planned.group;
    settings.replications = settings_.replications;
    settings.seed = settings_.seed;
    settings.shard_index = settings_.shard_index;
    settings.shard_count = settings_.shard_count;
  }
  settings.threads = controls.threads;
  settings.stop = controls.stop;
  settings.on_progress = controls.on_progress;
  settings.context = controls.context;
  ExperimentReport report = run_experiment(model, settings);
  failed_ = failed_ || !report.outcome.failures.empty();
  stopped_ = report.outcome.interrupted;
  return report;
}

std::vector<ExperimentReport> GroupRuns::run_all(
    const RunControls& controls,
    const std::function<void(std::size_t, const ExperimentReport&)>& after_each) {
  std::vector<ExperimentReport> finished;
  for (std::size_t k = 0; k < plan_.size(); ++k) {
    std::optional<ExperimentReport> report = run(k, controls);
    if (!report) break;
    if (after_each) after_each(k, *report);
    if (controls.on_run_end) controls.on_run_end(k, *report);
    if (stopped_) break;
    finished.push_back(std::move(*report));
  }
  finished_runs_ = finished.size();
  return finished;
}

void GroupRuns::finish(const engine::FileAdditions& additions) {
  engine::add_to_results_file(settings_.output_path, additions);
  if (stopped_ || failed_ || settings_.shard_count > 1) return;  // a shard is never whole
  engine::FileAdditions whole;
  whole.root_counts = {{"complete", 1}};
  engine::add_to_results_file(settings_.output_path, whole);
}

std::string results_file_kind(const std::string& path) {
  try {
    return engine::read_string_attribute_of(path, "/", "command");
  } catch (const engine::RuntimeError&) {
    // A `run` file has no `command` attribute (and a file that is not HDF5
    // at all fails at the next reading, which says so).
    return "run";
  }
}

}  // namespace wfsim::models::experiments
