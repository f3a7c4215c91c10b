// Joining results files of the same run that hold different replications
// (the shards of a job array, `wfsim merge`).
#pragma once

#include "wfsim/engine/results_file.h"

namespace wfsim::engine {

// Writes every replication committed in `from` and not in `into` into
// `into` (its rows, its event count and its trace rows), then commits.
// Throws RuntimeError unless both have the same replication count and
// series of the same paths and shapes.
void copy_committed_replications(const ResultsFile& from, ResultsFile& into);

}  // namespace wfsim::engine
