#include "wfsim/engine/results_merge.h"

#include <fmt/core.h>

#include "wfsim/engine/error.h"

namespace wfsim::engine {

namespace {

std::size_t values_per_replication(const SeriesSpec& spec) {
  std::size_t n = 1;
  for (std::size_t d : spec.dims) n *= d;
  return n;
}

void require_same_layout(const ResultsFile& from, const ResultsFile& into) {
  if (!same_series(from.layout(), into.layout()) || from.replications() != into.replications())
    throw RuntimeError(fmt::format("{} and {} do not hold the same series or replication count",
                                   from.path(), into.path()));
}

}  // namespace

void copy_committed_replications(const ResultsFile& from, ResultsFile& into) {
  require_same_layout(from, into);
  const std::vector<std::uint8_t> present = from.replication_status();
  const std::vector<std::uint8_t> already = into.replication_status();
  std::vector<std::size_t> copied;
  for (std::size_t i = 0; i < present.size(); ++i)
    if (present[i] && !already[i]) copied.push_back(i);
  if (copied.empty()) return;

  // Compressed blocks travel as their stored chunks (neither inflated nor
  // deflated again); the small ones are read whole, a series at a time.
  const auto& series = from.layout().series;
  const std::vector<bool>& compressed = from.compressed_series();
  std::vector<std::vector<double>> columns(series.size());
  for (std::size_t s = 0; s < series.size(); ++s)
    if (!compressed[s]) columns[s] = from.read_series(series[s].path);
  const std::vector<std::uint64_t> events = from.replication_events();
  std::vector<std::vector<double>> blocks(series.size());
  std::vector<std::vector<char>> chunks(series.size());
  for (std::size_t i : copied) {
    for (std::size_t s = 0; s < series.size(); ++s) {
      if (compressed[s]) {
        chunks[s] = from.read_stored_chunk(s, i);
        continue;
      }
      const std::size_t n = values_per_replication(series[s]);
      const auto begin = columns[s].begin() + static_cast<std::ptrdiff_t>(i * n);
      blocks[s].assign(begin, begin + static_cast<std::ptrdiff_t>(n));
    }
    into.write_replication(i, blocks, events[i], chunks);
  }
  std::vector<TraceRow> trace;
  for (const TraceRow& row : from.read_trace())
    if (row.replication < present.size() && present[row.replication] && !already[row.replication])
      trace.push_back(row);
  if (!trace.empty()) {
    if (into.layout().trace_event_names.empty())
      into.set_trace_event_names(from.layout().trace_event_names);
    into.append_trace(trace);
  }
  into.commit();
}

}  // namespace wfsim::engine
