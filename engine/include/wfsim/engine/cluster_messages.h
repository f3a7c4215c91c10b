// What the processes of an MPI job send each other (cluster.h), as bytes:
// a batch of replications for a worker and a finished replication for the
// coordinator. Every rank runs the same binary, so values travel in the
// machine's own representation; a message that does not decode whole is
// refused (RuntimeError), never half read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wfsim/engine/runner.h"

namespace wfsim::engine {

// Replications of one model that a worker is to run.
struct Batch {
  std::uint64_t number = 0;  // counts the coordinator's batches, for the messages
  std::string model;         // opaque here: what the models layer builds its model from
  std::uint64_t seed = 0;
  std::uint64_t trace_replications = 0;  // replications below this index record a trace
  int threads = 0;                       // 0: every core of the worker's machine
  std::vector<std::size_t> indices;
};

std::vector<char> encode_batch(const Batch& batch);
Batch decode_batch(const std::vector<char>& bytes);

std::vector<char> encode_result(const ReplicationResult& result);
ReplicationResult decode_result(const std::vector<char>& bytes);

// A worker's word that it has sent every result of a batch.
struct BatchEnd {
  std::uint64_t number = 0;  // the batch's
  bool interrupted = false;  // a signal cut it short
};
std::vector<char> encode_batch_end(const BatchEnd& end);
BatchEnd decode_batch_end(const std::vector<char>& bytes);

// The one number of a control message: the batch a stop is for, the exit
// code a release gives.
std::vector<char> encode_number(std::int64_t number);
std::int64_t decode_number(const std::vector<char>& bytes);

}  // namespace wfsim::engine
