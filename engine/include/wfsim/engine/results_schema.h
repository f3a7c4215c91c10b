// The names of what the engine writes in a results file, declared once: the
// engine, models/, tools/ and the tests use these rather than spelling them.
// README.md ("Output (HDF5)") documents the layout; the Python reader
// (tools/python/wfsim/reader.py) spells the same names.
//
// A results group (a `run` file's root, or a group made by
// ResultsFile::create_in_group) holds the attributes and datasets below;
// the series themselves are named by the caller's OutputLayout.
#pragma once

#include <cstdint>

namespace wfsim::engine::results_schema {

// ---- the results format ---------------------------------------------------

// Root attribute of every results file (int32): the version of this layout,
// raised whenever a change would mislead an older reader. A file without it
// was written before it existed and reads as version 1. Readers refuse a
// newer version (results_format.h). Not the scenario language's
// schema_version, which says how to read the stored scenario text.
inline constexpr const char* kResultsFormatVersion = "results_format_version";
inline constexpr std::int32_t kCurrentResultsFormat = 1;

// ---- attributes of a results group ----------------------------------------

inline constexpr const char* kWfsimVersion = "wfsim_version";
inline constexpr const char* kSchemaVersion = "schema_version";
inline constexpr const char* kScenarioName = "scenario_name";
inline constexpr const char* kScenarioYaml = "scenario_yaml";
inline constexpr const char* kGitSha = "git_sha";
inline constexpr const char* kCreatedUtc = "created_utc";
inline constexpr const char* kSeed = "seed";
inline constexpr const char* kReplications = "replications";
inline constexpr const char* kThreads = "threads";
inline constexpr const char* kTraceReplications = "trace_replications";
inline constexpr const char* kRanks = "ranks";
inline constexpr const char* kShardIndex = "shard_index";
inline constexpr const char* kShardCount = "shard_count";
inline constexpr const char* kMergedShards = "merged_shards";
inline constexpr const char* kReplicationsCompleted = "replications_completed";
inline constexpr const char* kEventsProcessed = "events_processed";
inline constexpr const char* kWallSeconds = "wall_seconds";
// 1 once every replication is committed and the summaries are written.
inline constexpr const char* kComplete = "complete";
// Texts of the replications that failed (absent if none did).
inline constexpr const char* kFailedReplications = "failed_replications";
// The layout's series and their summary paths, in order (what resume reads).
inline constexpr const char* kSeriesPaths = "series_paths";
inline constexpr const char* kSummaryPaths = "summary_paths";

// ---- datasets of a results group ------------------------------------------

// [replications] uint8: 1 = committed; rows of other replications are not
// to be trusted.
inline constexpr const char* kReplicationStatus = "replication_status";
// [replications] uint64: events per replication.
inline constexpr const char* kReplicationEvents = "replication_events";
// The event trace (--trace), a table of TraceRow.
inline constexpr const char* kEventTrace = "events";
// The trace in replication order, before it replaces kEventTrace.
inline constexpr const char* kSortedEventTrace = "events_sorted";

// The group that holds the series' summaries: a SeriesSpec's summary_path
// is "summary/<name>".
inline constexpr const char* kSummaryGroup = "summary";
// The datasets under a series' summary path, in the order they are written.
inline constexpr const char* kSummaryStatistics[] = {"mean", "sd", "p05", "p50", "p95"};

}  // namespace wfsim::engine::results_schema
