#include "wfsim/engine/cluster.h"

#include "cluster/registry.h"

namespace wfsim::engine {

Cluster*& detail::process_cluster() {
  static Cluster* made_by_main = nullptr;
  return made_by_main;
}

Cluster& Cluster::process() {
  if (Cluster* made = detail::process_cluster()) return *made;
  static Cluster one_process;
  return one_process;
}

}  // namespace wfsim::engine
