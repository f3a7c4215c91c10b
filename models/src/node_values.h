// Reading one YAML node as a value of the scenario language: numbers, whole
// numbers, text, ids, RATEs and schedules, DISTs, with the messages of every
// way a value can be wrong (file:line:col, key path, what was expected).
// Shared by the section reader, composition and paths.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "parameter_table.h"
#include "wfsim/engine/distribution.h"
#include "wfsim/engine/piecewise.h"
#include "yaml_tree.h"

namespace wfsim::models::detail {

class Uncertainty;

inline constexpr std::size_t kMaxIdLength = 100;
inline constexpr const char* kRateExpected = "a RATE (number >= 0 or {piecewise: ...})";

[[noreturn]] void fail(const YamlNode& node, const std::string& path, const std::string& message);

// "a.b" ("b" when the parent is empty).
std::string join(const std::string& parent, const std::string& key);
// A scalar's text for messages: quoted, shortened, control characters escaped.
std::string show(const std::string& text);
// What a node is, for "expected X, got Y".
std::string got(const YamlNode& node);

// `{uncertain: DIST}` or `{uncertain: DIST, shared: NAME}`.
bool is_uncertain(const YamlNode& node);
// Errors shared by every value reader: a null, an {uncertain} map where the
// value cannot be uncertain (readers of values that can be check first).
void check_present(const YamlNode& node, const std::string& path, const std::string& expected);

bool all_digits(const std::string& text, std::size_t from);
// A decimal or scientific literal; an empty string on success, else why not.
std::string parse_real(const std::string& text, double& out);

struct Whole {
  bool negative = false;
  std::uint64_t magnitude = 0;
  double as_double() const {
    return negative ? -static_cast<double>(magnitude) : static_cast<double>(magnitude);
  }
};

double to_number(const YamlNode& node, const std::string& path, const Range& range,
                 const std::string& expected);
double to_number(const YamlNode& node, const std::string& path, const Range& range);
Whole to_whole(const YamlNode& node, const std::string& path, const Range& range,
               const std::string& expected);
Whole to_whole(const YamlNode& node, const std::string& path, const Range& range);
std::int64_t to_int64(const YamlNode& node, const std::string& path, const Range& range);

std::string to_text(const YamlNode& node, const std::string& path, const std::string& expected);
// [a-z0-9_]+ (and '-' if allow_dash).
bool matches(const std::string& text, bool allow_dash);
std::string to_id(const YamlNode& node, const std::string& path, const std::string& what);

// " (did you mean ...?)" or " (known keys: ...)".
std::string suggestion(const std::string& key, const std::vector<std::string>& known);
std::string id_suggestion(const std::string& id, const std::vector<std::string>& known,
                          const std::string& what);

// The PATH of a key path of the messages: "roles[a].attrition" ->
// "roles.a.attrition", "automation_waves[0].fraction" -> "automation_waves.0.fraction".
std::string spec_path(const std::string& key_path);

// A number in `range`, or an {uncertain} one when `uncertainty` is given.
double to_number_or_uncertain(const YamlNode& node, const std::string& path, const Range& range,
                              const std::string& expected, Uncertainty* uncertainty);

// A number (whole numbers only if `whole`) in `range`, or
// {piecewise: [[0, a], [t1, b], ...]} with values in `range`. With
// `uncertainty`, the whole value or any value of a piecewise may be
// {uncertain} (a constant drawn per replication).
engine::PiecewiseConstant to_piecewise(const YamlNode& node, const std::string& path,
                                       const Range& range, bool whole, const std::string& expected,
                                       Uncertainty* uncertainty = nullptr);

// A DIST whose support lies in `support`.
engine::Distribution to_distribution(const YamlNode& node, const std::string& path,
                                     const Range& support);
const char* distribution_name(engine::Distribution::Kind kind);

}  // namespace wfsim::models::detail
