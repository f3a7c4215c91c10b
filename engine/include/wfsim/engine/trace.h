// A row of the optional event trace (/events): what a traced replication
// records and the results file stores.
#pragma once

#include <cstdint>

namespace wfsim::engine {

// One row of the optional event trace (/events).
struct TraceRow {
  std::uint32_t replication;
  double time;
  std::uint64_t agent;
  std::uint8_t event;  // index into OutputLayout::trace_event_names
  std::int16_t role;
  std::int16_t program;
};

}  // namespace wfsim::engine
