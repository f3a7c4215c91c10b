// Uncertain parameters as the loader meets them: `{uncertain: DIST}` and
// `{uncertain: DIST, shared: NAME}` nodes checked against the legal range of
// the key they stand for, with their nominal value and the extremes a
// replication can draw.
#pragma once

#include <string>
#include <vector>

#include "parameter_table.h"
#include "wfsim/models/scenario.h"
#include "yaml_tree.h"

namespace wfsim::models::detail {

// The uncertain parameters met while converting a tree, in the order they
// are read (the same for the same tree). The loaded scenario holds each one's
// nominal value (the median); a replication's values are set at their paths
// (scenario_with_values).
class Uncertainty {
 public:
  // The value of the {uncertain} node at `path`, whose legal values are
  // `range` (`expected` describes them); `count`: a whole number.
  double value(const YamlNode& node, const std::string& path, const Range& range, bool count,
               const std::string& expected);

  const std::vector<UncertainParameter>& parameters() const { return parameters_; }
  const UncertainParameter* find(const std::string& path) const {
    for (const UncertainParameter& p : parameters_)
      if (p.path == path) return &p;
    return nullptr;
  }

 private:
  std::vector<UncertainParameter> parameters_;
};

}  // namespace wfsim::models::detail
