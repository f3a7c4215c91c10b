// The Cluster that main() made, shared by the two implementations of
// Cluster (one process, MPI) and Cluster::process().
#pragma once

namespace wfsim::engine {
class Cluster;
namespace detail {
Cluster*& process_cluster();
}  // namespace detail
}  // namespace wfsim::engine
