// Cluster in a build without MPI: one process, no workers.
#include <cstdlib>
#include <stdexcept>

#include "wfsim/engine/cluster.h"

namespace wfsim::engine {

Cluster::Cluster(int& /*argc*/, char**& /*argv*/, bool /*launched_by_mpi*/) {}

Cluster::~Cluster() = default;

Cluster::Dispatch Cluster::dispatch(Batch /*batch*/, const std::vector<std::size_t>& pending) {
  return {pending, nullptr};
}

void Cluster::release_workers(int /*exit_code*/) {}

void Cluster::abort_job(int exit_code) {
  std::exit(exit_code);
}

namespace {
[[noreturn]] void no_workers() {
  throw std::logic_error("a worker call in a build without MPI");
}
}  // namespace

std::optional<Batch> Cluster::next_batch(int& /*exit_code*/) {
  no_workers();
}
void Cluster::send_result(const ReplicationResult& /*result*/) {
  no_workers();
}
void Cluster::end_batch(const Batch& /*batch*/, bool /*interrupted*/) {
  no_workers();
}
bool Cluster::asked_to_stop(const Batch& /*batch*/) {
  no_workers();
}

}  // namespace wfsim::engine
