#include "wfsim/models/scenario_loader.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "parameter_table.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/streams.h"
#include "wfsim/models/uncertainty.h"
#include "yaml_tree.h"

namespace wfsim::models {

namespace {

using detail::Param;
using detail::ParamKind;
using detail::Range;
using detail::Section;
using detail::YamlEntry;
using detail::YamlNode;
using engine::InputError;
using engine::SourceMark;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxIdLength = 100;
constexpr std::size_t kMaxPathSegments = 64;
constexpr std::int64_t kMaxSnapshots = 1'000'000;

[[noreturn]] void fail(const YamlNode& node, const std::string& path, const std::string& message) {
  throw InputError(node.mark(), path, message);
}

std::string join(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// A scalar's text for messages: quoted, shortened, control characters escaped.
std::string show(const std::string& text) {
  std::string out = "\"";
  std::size_t shown = 0;
  for (char c : text) {
    if (++shown > 60) {
      out += "...";
      break;
    }
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '"') {
      out += "\\\"";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += '?';
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string got(const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null:
      return "nothing";
    case YamlNode::Kind::scalar:
      return node.quoted ? "string " + show(node.value) : show(node.value);
    case YamlNode::Kind::sequence:
      return "a list";
    case YamlNode::Kind::map:
      return "a map";
  }
  return "?";
}

// `{uncertain: DIST}` or `{uncertain: DIST, shared: NAME}` (SPEC §1).
bool is_uncertain(const YamlNode& node) {
  return node.is_map() && node.find("uncertain") != nullptr;
}

// Errors shared by every value reader: a null, an {uncertain} map where the
// value cannot be uncertain (readers of values that can be check first).
void check_present(const YamlNode& node, const std::string& path, const std::string& expected) {
  if (node.is_null()) fail(node, path, "missing value (expected " + expected + ")");
  if (is_uncertain(node))
    fail(node, path,
         "{uncertain} is not allowed here (expected " + expected +
             "; only numbers can be uncertain, and not breakpoint times, window bounds or the "
             "parameters of a DIST)");
}

// ---------------------------------------------------------------------------
// Numbers

bool all_digits(const std::string& text, std::size_t from) {
  if (from >= text.size()) return false;
  for (std::size_t i = from; i < text.size(); ++i)
    if (text[i] < '0' || text[i] > '9') return false;
  return true;
}

// A decimal or scientific literal: [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?
// Returns an empty string on success, else why it is not a number.
std::string parse_real(const std::string& text, double& out) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
  const std::size_t int_start = i;
  while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
  const std::size_t int_digits = i - int_start;
  std::size_t frac_digits = 0;
  if (i < n && text[i] == '.') {
    ++i;
    const std::size_t frac_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    frac_digits = i - frac_start;
  }
  if (int_digits + frac_digits == 0) {
    std::string lower;
    for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos)
      return "not-a-number and infinity are not allowed";
    return "not a number";
  }
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    const std::size_t exp_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == exp_start) return "not a number";
  }
  if (i != n) {
    if (int_digits == 1 && text[int_start] == '0' && int_start + 1 < n &&
        (text[int_start + 1] == 'x' || text[int_start + 1] == 'X' || text[int_start + 1] == 'o'))
      return "hexadecimal and octal numbers are not allowed";
    return "not a number";
  }
  if (int_digits > 1 && text[int_start] == '0')
    return "leading zeros are not allowed (write decimal numbers)";
  const char* begin = text.data() + (text[0] == '+' ? 1 : 0);
  const auto result = std::from_chars(begin, text.data() + n, out, std::chars_format::general);
  if (result.ec == std::errc::result_out_of_range) return "out of range";
  if (result.ec != std::errc() || result.ptr != text.data() + n) return "not a number";
  if (!std::isfinite(out)) return "out of range";
  return "";
}

struct Whole {
  bool negative = false;
  std::uint64_t magnitude = 0;
  double as_double() const {
    return negative ? -static_cast<double>(magnitude) : static_cast<double>(magnitude);
  }
};

// Plain decimal digits, optional leading '-', no leading zeros.
std::string parse_whole(const std::string& text, Whole& out) {
  std::size_t i = 0;
  out = Whole{};
  if (!text.empty() && text[0] == '-') {
    out.negative = true;
    i = 1;
  }
  if (!all_digits(text, i)) return "not a whole number";
  if (text.size() - i > 1 && text[i] == '0')
    return "leading zeros are not allowed (write decimal numbers)";
  const auto result =
      std::from_chars(text.data() + i, text.data() + text.size(), out.magnitude, 10);
  if (result.ec == std::errc::result_out_of_range) return "too large";
  if (result.ec != std::errc() || result.ptr != text.data() + text.size()) return "not a number";
  if (out.negative && out.magnitude == 0) out.negative = false;
  return "";
}

// " (did you mean ...?)" for a small map whose first key is close to "uncertain".
std::string uncertain_hint(const YamlNode& node) {
  if (!node.is_map() || node.entries.size() > 2 || node.entries.empty()) return "";
  const std::string& key = node.entries.front().key;
  return key != "uncertain" && detail::edit_distance(key, "uncertain") <= 2
             ? " (did you mean \"uncertain\"?)"
             : "";
}

double to_number(const YamlNode& node, const std::string& path, const Range& range,
                 const std::string& expected) {
  check_present(node, path, expected);
  if (!node.is_scalar() || node.quoted)
    fail(node, path, "expected " + expected + ", got " + got(node) + uncertain_hint(node));
  double value = 0.0;
  const std::string why = parse_real(node.value, value);
  if (!why.empty()) {
    std::string message = "expected " + expected + ", got " + got(node);
    if (why != "not a number") message += " (" + why + ")";
    fail(node, path, message);
  }
  if (!range.contains(value)) fail(node, path, "expected " + expected + ", got " + node.value);
  return value;
}

double to_number(const YamlNode& node, const std::string& path, const Range& range) {
  return to_number(node, path, range, range.describe(false));
}

Whole to_whole(const YamlNode& node, const std::string& path, const Range& range,
               const std::string& expected) {
  check_present(node, path, expected);
  if (!node.is_scalar() || node.quoted)
    fail(node, path, "expected " + expected + ", got " + got(node) + uncertain_hint(node));
  Whole value;
  const std::string why = parse_whole(node.value, value);
  if (why == "too large")
    fail(node, path, "expected " + expected + ", got " + node.value + " (too large)");
  if (!why.empty()) {
    std::string message = "expected " + expected + ", got " + got(node);
    if (why != "not a whole number") message += " (" + why + ")";
    fail(node, path, message);
  }
  if (!range.contains(value.as_double()))
    fail(node, path, "expected " + expected + ", got " + node.value);
  return value;
}

Whole to_whole(const YamlNode& node, const std::string& path, const Range& range) {
  return to_whole(node, path, range, range.describe(true));
}

std::int64_t to_int64(const YamlNode& node, const std::string& path, const Range& range) {
  const Whole value = to_whole(node, path, range);
  if (value.magnitude > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    fail(node, path, "expected " + range.describe(true) + ", got " + node.value + " (too large)");
  return value.negative ? -static_cast<std::int64_t>(value.magnitude)
                        : static_cast<std::int64_t>(value.magnitude);
}

// ---------------------------------------------------------------------------
// Strings and ids

std::string to_text(const YamlNode& node, const std::string& path, const std::string& expected) {
  check_present(node, path, expected);
  if (!node.is_scalar()) fail(node, path, "expected " + expected + ", got " + got(node));
  return node.value;
}

bool matches(const std::string& text, bool allow_dash) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || (allow_dash && c == '-');
    if (!ok) return false;
  }
  return true;
}

std::string to_id(const YamlNode& node, const std::string& path, const std::string& what) {
  const std::string expected = what + " ([a-z0-9_]+)";
  const std::string text = to_text(node, path, expected);
  if (!matches(text, false) || text.size() > kMaxIdLength)
    fail(node, path, "expected " + expected + ", got " + got(node));
  return text;
}

// ---------------------------------------------------------------------------
// Suggestions

bool close_enough(const std::string& key, const std::string& best, std::size_t distance) {
  return !best.empty() && distance < std::max(key.size(), best.size()) &&
         distance <= std::max<std::size_t>(2, best.size() / 3);
}

std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : known) {
    const std::size_t d = detail::edit_distance(key, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  std::string list;
  for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
  if (close_enough(key, best, best_distance)) return " (did you mean \"" + best + "\"?)";
  // A key that is a prefix of a known one ("horizon" for "horizon_years").
  for (const std::string& candidate : known)
    if (key.size() >= 3 && candidate.compare(0, key.size(), key) == 0)
      return " (did you mean \"" + candidate + "\"?)";
  return " (known keys: " + list + ")";
}

std::string id_suggestion(const std::string& id, const std::vector<std::string>& known,
                          const std::string& what) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : known) {
    const std::size_t d = detail::edit_distance(id, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  if (close_enough(id, best, best_distance)) return " (did you mean \"" + best + "\"?)";
  std::string list;
  for (const std::string& candidate : known) list += (list.empty() ? "" : ", ") + candidate;
  return " (" + what + ": " + (list.empty() ? "none" : list) + ")";
}

// ---------------------------------------------------------------------------
// RATE, schedules, DIST

const char* const kRateExpected = "a RATE (number >= 0 or {piecewise: ...})";

// PATH of SPEC §1 from a key path of the messages: "roles[a].attrition" ->
// "roles.a.attrition", "automation_waves[0].fraction" -> "automation_waves.0.fraction".
std::string spec_path(const std::string& key_path) {
  std::string out;
  for (char c : key_path) {
    if (c == '[')
      out += '.';
    else if (c != ']')
      out += c;
  }
  return out;
}

// The uncertain parameters met while converting a tree, in the order they
// are read (the same for the same tree). While loading, each takes its
// nominal value (the median); when a replication's scenario is built, each
// takes the replication's value, in that order.
class Uncertainty {
 public:
  explicit Uncertainty(const std::vector<double>* values) : values_(values) {}

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
  const std::vector<double>* values_;  // nullptr while loading
  std::vector<UncertainParameter> parameters_;
};

// A number in `range`, or an {uncertain} one when `uncertainty` is given.
double to_number_or_uncertain(const YamlNode& node, const std::string& path, const Range& range,
                              const std::string& expected, Uncertainty* uncertainty) {
  if (uncertainty && is_uncertain(node))
    return uncertainty->value(node, path, range, false, expected);
  return to_number(node, path, range, expected);
}

// A number (whole numbers only if `whole`) in `range`, or
// {piecewise: [[0, a], [t1, b], ...]} with values in `range`.
// With `uncertainty`, the whole value or any value of a piecewise may be
// {uncertain} (a constant drawn per replication).
engine::PiecewiseConstant to_piecewise(const YamlNode& node, const std::string& path,
                                       const Range& range, bool whole, const std::string& expected,
                                       Uncertainty* uncertainty = nullptr) {
  if (uncertainty && is_uncertain(node))
    return engine::PiecewiseConstant(
        uncertainty->value(node, path, range, whole, range.describe(whole)));
  check_present(node, path, expected);
  if (node.is_scalar()) {
    if (whole) return engine::PiecewiseConstant(to_whole(node, path, range, expected).as_double());
    if (node.quoted) fail(node, path, "expected " + expected + ", got " + got(node));
    double value = 0.0;
    const std::string why = parse_real(node.value, value);
    if (!why.empty() || !range.contains(value)) {
      std::string message = "expected " + expected + ", got " + got(node);
      if (!why.empty() && why != "not a number") message += " (" + why + ")";
      fail(node, path, message);
    }
    return engine::PiecewiseConstant(value);
  }
  if (!node.is_map()) fail(node, path, "expected " + expected + ", got " + got(node));
  for (const YamlEntry& entry : node.entries)
    if (entry.key != "piecewise")
      throw InputError(
          entry.key_mark(), join(path, entry.key),
          "unknown key \"" + entry.key + "\" (expected " + expected + ")" +
              (uncertainty ? suggestion(entry.key, {"piecewise", "uncertain"}) : std::string()));
  const YamlNode* steps = node.find("piecewise");
  if (!steps) fail(node, path, "expected " + expected + ", got an empty map");
  const std::string steps_path = join(path, "piecewise");
  const std::string step_form = "a list of [time, value] pairs starting at time 0";
  check_present(*steps, steps_path, step_form);
  if (!steps->is_sequence() || steps->items.empty())
    fail(*steps, steps_path, "expected " + step_form + ", got " + got(*steps));
  std::vector<double> starts;
  std::vector<double> values;
  for (std::size_t i = 0; i < steps->items.size(); ++i) {
    const YamlNode& step = steps->items[i];
    const std::string step_path = steps_path + "[" + std::to_string(i) + "]";
    check_present(step, step_path, "a [time, value] pair");
    if (!step.is_sequence() || step.items.size() != 2)
      fail(step, step_path, "expected a [time, value] pair, got " + got(step));
    const double start =
        to_number(step.items[0], step_path + "[0]", Range{0.0, kInf}, "a time >= 0 (years)");
    if (i == 0 && start != 0.0)
      fail(step.items[0], step_path + "[0]",
           "the first breakpoint must be at time 0, got " + step.items[0].value);
    if (i > 0 && !(start > starts.back()))
      fail(step.items[0], step_path + "[0]",
           "breakpoints must be strictly increasing, got " + step.items[0].value + " after " +
               steps->items[i - 1].items[0].value);
    const YamlNode& value_node = step.items[1];
    const double value =
        uncertainty && is_uncertain(value_node)
            ? uncertainty->value(value_node, step_path + "[1]", range, whole, range.describe(whole))
        : whole ? to_whole(value_node, step_path + "[1]", range).as_double()
                : to_number(value_node, step_path + "[1]", range);
    starts.push_back(start);
    values.push_back(value);
  }
  return engine::PiecewiseConstant(std::move(starts), std::move(values));
}

engine::Distribution to_distribution(const YamlNode& node, const std::string& path,
                                     const Range& support) {
  using engine::Distribution;
  const std::string expected =
      "a DIST (a number or {dist: fixed|exponential|lognormal|gamma|uniform|triangular, ...})";
  check_present(node, path, expected);
  if (node.is_scalar()) {
    double unused = 0.0;
    if (node.quoted || parse_real(node.value, unused) == "not a number")
      fail(node, path, "expected " + expected + ", got " + got(node));
    return Distribution::fixed_value(to_number(node, path, support));
  }
  if (!node.is_map()) fail(node, path, "expected " + expected + ", got " + got(node));
  const YamlNode* kind_node = node.find("dist");
  if (!kind_node)
    fail(node, join(path, "dist"), "missing required key \"dist\" (" + expected + ")");
  const std::string kind_path = join(path, "dist");
  const std::string kind_text =
      to_text(*kind_node, kind_path, "fixed|exponential|lognormal|gamma|uniform|triangular");
  struct KindSpec {
    const char* name;
    Distribution::Kind kind;
    std::vector<std::string> params;
  };
  static const std::vector<KindSpec> kinds = {
      {"fixed", Distribution::Kind::fixed, {"value"}},
      {"exponential", Distribution::Kind::exponential, {"mean"}},
      {"lognormal", Distribution::Kind::lognormal, {"mean", "sd"}},
      {"gamma", Distribution::Kind::gamma, {"mean", "sd"}},
      {"uniform", Distribution::Kind::uniform, {"min", "max"}},
      {"triangular", Distribution::Kind::triangular, {"min", "mode", "max"}},
  };
  const KindSpec* spec = nullptr;
  for (const KindSpec& candidate : kinds)
    if (kind_text == candidate.name && !kind_node->quoted) spec = &candidate;
  if (!spec)
    fail(*kind_node, kind_path,
         "expected one of fixed, exponential, lognormal, gamma, uniform, triangular, got " +
             got(*kind_node));
  std::vector<std::string> allowed = spec->params;
  allowed.insert(allowed.begin(), "dist");
  for (const YamlEntry& entry : node.entries) {
    if (std::find(allowed.begin(), allowed.end(), entry.key) == allowed.end())
      throw InputError(entry.key_mark(), join(path, entry.key),
                       "unknown key \"" + entry.key + "\" for a " + spec->name + " distribution" +
                           suggestion(entry.key, allowed));
  }
  Distribution d;
  d.kind = spec->kind;
  auto param = [&](const std::string& key) {
    const YamlNode* value = node.find(key);
    if (!value)
      fail(node, join(path, key),
           "missing required key \"" + key + "\" for a " + spec->name + " distribution");
    return to_number(*value, join(path, key), Range{}, "a number");
  };
  switch (d.kind) {
    case Distribution::Kind::fixed:
      d.value = param("value");
      break;
    case Distribution::Kind::exponential:
      d.mean = param("mean");
      if (!(d.mean > 0)) fail(*node.find("mean"), join(path, "mean"), "the mean must be > 0");
      break;
    case Distribution::Kind::lognormal:
    case Distribution::Kind::gamma:
      d.mean = param("mean");
      d.sd = param("sd");
      if (!(d.mean > 0)) fail(*node.find("mean"), join(path, "mean"), "the mean must be > 0");
      if (d.sd < 0) fail(*node.find("sd"), join(path, "sd"), "the sd must be >= 0");
      break;
    case Distribution::Kind::uniform:
      d.min = param("min");
      d.max = param("max");
      if (d.min > d.max) fail(*node.find("max"), join(path, "max"), "max must be >= min");
      break;
    case Distribution::Kind::triangular:
      d.min = param("min");
      d.mode = param("mode");
      d.max = param("max");
      if (d.mode < d.min) fail(*node.find("mode"), join(path, "mode"), "mode must be >= min");
      if (d.max < d.mode) fail(*node.find("max"), join(path, "max"), "max must be >= mode");
      break;
  }
  if (!support.contains(d.support_min()) || !support.contains(d.support_max()))
    fail(node, path,
         std::string("the ") + spec->name +
             " distribution can produce values outside the legal "
             "range (expected " +
             support.describe(false) + ")");
  return d;
}

const char* distribution_name(engine::Distribution::Kind kind) {
  switch (kind) {
    case engine::Distribution::Kind::fixed:
      return "fixed";
    case engine::Distribution::Kind::exponential:
      return "exponential";
    case engine::Distribution::Kind::lognormal:
      return "lognormal";
    case engine::Distribution::Kind::gamma:
      return "gamma";
    case engine::Distribution::Kind::uniform:
      return "uniform";
    case engine::Distribution::Kind::triangular:
      return "triangular";
  }
  return "?";
}

double Uncertainty::value(const YamlNode& node, const std::string& path, const Range& range,
                          bool count, const std::string& expected) {
  static const std::vector<std::string> keys = {"uncertain", "shared"};
  for (const YamlEntry& entry : node.entries)
    if (std::find(keys.begin(), keys.end(), entry.key) == keys.end())
      throw InputError(entry.key_mark(), join(path, entry.key),
                       "unknown key \"" + entry.key + "\" in {uncertain: DIST, shared: NAME}" +
                           suggestion(entry.key, keys));
  UncertainParameter p;
  p.path = spec_path(path);
  p.origin = node.mark().to_string();
  p.count = count;
  const YamlNode& dist_node = *node.find("uncertain");
  const std::string dist_path = join(path, "uncertain");
  p.dist = to_distribution(dist_node, dist_path, Range{});
  if (const YamlNode* shared = node.find("shared")) {
    const std::string shared_path = join(path, "shared");
    const std::string expected_name = "a NAME ([a-z0-9_]+)";
    p.shared = to_text(*shared, shared_path, expected_name);
    if (!matches(p.shared, false) || p.shared.size() > kMaxIdLength)
      fail(*shared, shared_path, "expected " + expected_name + ", got " + got(*shared));
  }
  const std::string kind = distribution_name(p.dist.kind);
  // The support: a point, or an interval whose ends have probability 0 (so
  // uniform(0, 0.2) suits a range (0, 1]).
  const auto [lo, hi] = p.dist.support();
  const bool inside = lo == hi ? range.contains(lo)
                               : (std::isinf(range.lo) || lo >= range.lo) &&
                                     (std::isinf(range.hi) || hi <= range.hi);
  if (!inside) {
    const std::string support =
        lo == hi ? fmt::format("{{{}}}", lo) : fmt::format("({}, {})", lo, hi);
    fail(dist_node, dist_path,
         "the " + kind + " distribution's support " + support +
             " leaves the legal range (expected " + expected + ")");
  }
  // What a replication can actually draw: F⁻¹ at the extreme levels (a
  // quantile that underflows to 0, or overflows, would leave the range).
  try {
    p.nominal = parameter_value(p, 0.5);
    p.lowest = parameter_value(p, engine::RandomStream::kLevelMin);
    p.highest = parameter_value(p, engine::RandomStream::kLevelMax);
  } catch (const std::exception&) {
    fail(dist_node, dist_path,
         "cannot compute the quantiles of this " + kind +
             " distribution (its parameters are too extreme)");
  }
  for (double extreme : {p.lowest, p.highest})
    if (!std::isfinite(extreme) || !range.contains(extreme))
      fail(dist_node, dist_path,
           "the " + kind + " distribution can draw " + fmt::format("{}", extreme) +
               ", outside the legal range (expected " + expected + ")");
  const std::size_t index = parameters_.size();
  parameters_.push_back(p);
  if (!values_) return p.nominal;
  if (index >= values_->size())
    throw std::invalid_argument("fewer values than uncertain parameters");
  const double v = (*values_)[index];
  if (!std::isfinite(v) || !range.contains(v) || (count && v != std::round(v)))
    fail(node, path,
         "the value " + fmt::format("{}", v) + " is not legal here (expected " + expected + ")");
  return v;
}

// ---------------------------------------------------------------------------
// A map validated against its section table.

// With `uncertainty`, numbers, counts, RATEs, schedules and DISTs of the
// section may be {uncertain}.
class MapReader {
 public:
  MapReader(const YamlNode& node, const Section& section, std::string path,
            Uncertainty* uncertainty = nullptr)
      : node_(node), section_(section), path_(std::move(path)), uncertainty_(uncertainty) {
    const std::string what = std::string("a map (") + section_.name + ")";
    if (node_.is_null()) fail(node_, path_, "missing value (expected " + what + ")");
    if (!node_.is_map()) fail(node_, path_, "expected " + what + ", got " + got(node_));
    for (const YamlEntry& entry : node_.entries) {
      if (!section_.find(entry.key))
        throw InputError(
            entry.key_mark(), join(path_, entry.key),
            "unknown key \"" + entry.key + "\"" + suggestion(entry.key, section_.keys()));
    }
    for (const Param& param : section_.params) {
      if (param.required && !node_.find(param.key))
        fail(node_, join(path_, param.key),
             std::string("missing required key \"") + param.key + "\"");
    }
  }

  const YamlNode& node() const { return node_; }
  const std::string& path() const { return path_; }
  std::string path(const char* key) const { return join(path_, key); }

  const YamlNode* get(const char* key, ParamKind kind) const {
    const Param& p = param(key);
    if (p.kind != kind)
      throw std::logic_error(std::string("parameter table kind mismatch for ") + key);
    return node_.find(key);
  }

  const Param& param(const char* key) const {
    const Param* p = section_.find(key);
    if (!p) throw std::logic_error(std::string("no parameter ") + key + " in " + section_.name);
    return *p;
  }

  std::string expected(const Param& p, bool whole) const {
    return p.range_note ? std::string(whole ? "a whole number in " : "a number in ") + p.range_note
                        : p.range.describe(whole);
  }

  bool uncertain(const YamlNode* n) const { return n && uncertainty_ && is_uncertain(*n); }

  double number(const char* key, double fallback) const {
    return optional_number(key).value_or(fallback);
  }

  std::optional<double> optional_number(const char* key) const {
    const YamlNode* n = get(key, ParamKind::number);
    if (!n) return std::nullopt;
    if (uncertain(n))
      return uncertainty_->value(*n, path(key), param(key).range, false,
                                 expected(param(key), false));
    return to_number(*n, path(key), param(key).range);
  }

  std::int64_t integer(const char* key, std::int64_t fallback) const {
    const YamlNode* n = get(key, ParamKind::integer);
    if (!n) return fallback;
    // Ranges of counts are within int64, and so is every legal draw.
    if (uncertain(n))
      return static_cast<std::int64_t>(
          uncertainty_->value(*n, path(key), param(key).range, true, expected(param(key), true)));
    return to_int64(*n, path(key), param(key).range);
  }

  std::uint64_t unsigned_integer(const char* key, std::uint64_t fallback) const {
    const YamlNode* n = get(key, ParamKind::integer);
    if (!n) return fallback;
    const Whole value = to_whole(*n, path(key), param(key).range);
    if (value.negative) fail(*n, path(key), "expected " + param(key).range.describe(true));
    return value.magnitude;
  }

  bool boolean(const char* key, bool fallback) const {
    const YamlNode* n = get(key, ParamKind::boolean);
    if (!n) return fallback;
    check_present(*n, path(key), "true or false");
    if (n->is_scalar() && !n->quoted) {
      if (n->value == "true") return true;
      if (n->value == "false") return false;
    }
    std::string message = "expected true or false, got " + got(*n);
    static const std::set<std::string> yaml11 = {
        "yes", "no", "on",  "off", "y",  "n",   "Yes",  "No",    "On",   "Off",
        "Y",   "N",  "YES", "NO",  "ON", "OFF", "True", "False", "TRUE", "FALSE"};
    if (n->is_scalar() && yaml11.count(n->value)) message += " (write true or false in lower case)";
    fail(*n, path(key), message);
  }

  std::string text(const char* key, const std::string& fallback) const {
    const YamlNode* n = get(key, ParamKind::text);
    return n ? to_text(*n, path(key), "text") : fallback;
  }

  std::string choice(const char* key, const std::string& fallback) const {
    const YamlNode* n = get(key, ParamKind::choice);
    if (!n) return fallback;
    const std::string choices = param(key).choices;
    std::string expected = "one of " + choices;
    std::replace(expected.begin(), expected.end(), '|', ',');
    const std::string value = to_text(*n, path(key), expected);
    std::vector<std::string> options;
    std::size_t start = 0;
    for (;;) {
      const std::size_t bar = choices.find('|', start);
      options.push_back(choices.substr(start, bar - start));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    if (std::find(options.begin(), options.end(), value) == options.end()) {
      std::string list;
      for (const std::string& o : options) list += (list.empty() ? "" : ", ") + o;
      fail(*n, path(key), "expected one of " + list + ", got " + got(*n));
    }
    return value;
  }

  engine::PiecewiseConstant rate(const char* key) const {
    const YamlNode* n = get(key, ParamKind::rate);
    return n ? to_piecewise(*n, path(key), param(key).range, false, kRateExpected, uncertainty_)
             : engine::PiecewiseConstant(0.0);
  }

  std::optional<engine::PiecewiseConstant> schedule(const char* key) const {
    const Param& p = param(key);
    if (p.kind != ParamKind::count_schedule && p.kind != ParamKind::money_schedule)
      throw std::logic_error(std::string("parameter table kind mismatch for ") + key);
    const YamlNode* n = node_.find(key);
    if (!n) return std::nullopt;
    const bool whole = p.kind == ParamKind::count_schedule;
    const std::string expected =
        (whole ? "a whole number >= 0" : std::string("a number >= 0")) + " or {piecewise: ...}";
    return to_piecewise(*n, path(key), p.range, whole, expected, uncertainty_);
  }

  engine::Distribution dist(const char* key, const engine::Distribution& fallback) const {
    const YamlNode* n = get(key, ParamKind::dist);
    if (uncertain(n))  // a constant drawn per replication
      return engine::Distribution::fixed_value(uncertainty_->value(
          *n, path(key), param(key).range, false, param(key).range.describe(false)));
    return n ? to_distribution(*n, path(key), param(key).range) : fallback;
  }

  // [from, to) with 0 <= from < to.
  std::optional<std::pair<double, double>> window(const char* key) const {
    const YamlNode* n = get(key, ParamKind::window);
    if (!n) return std::nullopt;
    const std::string expected = "a window [from, to) in years";
    check_present(*n, path(key), expected);
    if (!n->is_sequence() || n->items.size() != 2)
      fail(*n, path(key), "expected " + expected + ", got " + got(*n));
    const double from = to_number(n->items[0], path(key) + "[0]", param(key).range);
    const double to = to_number(n->items[1], path(key) + "[1]", param(key).range);
    if (!(from < to))
      fail(*n, path(key),
           "empty window: from (" + n->items[0].value + ") must be less than to (" +
               n->items[1].value + ")");
    return std::make_pair(from, to);
  }

  std::vector<std::pair<double, double>> tenure_steps(const char* key) const {
    const YamlNode* n = get(key, ParamKind::tenure_steps);
    std::vector<std::pair<double, double>> steps;
    if (!n) return steps;
    const std::string expected = "a list of [tenure_years, multiplier] pairs starting at 0";
    check_present(*n, path(key), expected);
    if (!n->is_sequence() || n->items.empty())
      fail(*n, path(key), "expected " + expected + ", got " + got(*n));
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const YamlNode& step = n->items[i];
      const std::string step_path = path(key) + "[" + std::to_string(i) + "]";
      check_present(step, step_path, "a [tenure_years, multiplier] pair");
      if (!step.is_sequence() || step.items.size() != 2)
        fail(step, step_path, "expected a [tenure_years, multiplier] pair, got " + got(step));
      const double tenure =
          to_number(step.items[0], step_path + "[0]", Range{0.0, kInf}, "a tenure >= 0 (years)");
      if (i == 0 && tenure != 0.0)
        fail(step.items[0], step_path + "[0]",
             "the first entry must be at tenure 0, got " + step.items[0].value);
      if (i > 0 && !(tenure > steps.back().first))
        fail(step.items[0], step_path + "[0]",
             "tenures must be strictly increasing, got " + step.items[0].value + " after " +
                 n->items[i - 1].items[0].value);
      const double multiplier = to_number_or_uncertain(
          step.items[1], step_path + "[1]", param(key).range, "a multiplier >= 0", uncertainty_);
      steps.emplace_back(tenure, multiplier);
    }
    return steps;
  }

  // A list of ids, each known in `known` (what: "role", "program").
  std::vector<std::string> id_list(const char* key, ParamKind kind,
                                   const std::vector<std::string>& known, const char* what,
                                   bool non_empty) const {
    const YamlNode* n = get(key, kind);
    std::vector<std::string> ids;
    if (!n) return ids;
    const std::string expected = std::string("a list of ") + what + " ids";
    check_present(*n, path(key), expected);
    if (!n->is_sequence()) fail(*n, path(key), "expected " + expected + ", got " + got(*n));
    if (non_empty && n->items.empty())
      fail(*n, path(key), std::string("needs at least one ") + what);
    for (std::size_t i = 0; i < n->items.size(); ++i) {
      const std::string item_path = path(key) + "[" + std::to_string(i) + "]";
      const std::string id = to_id(n->items[i], item_path, std::string("a ") + what + " id");
      if (std::find(known.begin(), known.end(), id) == known.end())
        fail(n->items[i], item_path,
             std::string("unknown ") + what + " \"" + id + "\"" +
                 id_suggestion(id, known, std::string("known ") + what + "s"));
      if (std::find(ids.begin(), ids.end(), id) != ids.end())
        fail(n->items[i], item_path, std::string(what) + " \"" + id + "\" is listed twice");
      ids.push_back(id);
    }
    return ids;
  }

  // {role_id: value} with known role ids; returns (id, value node) in order.
  std::vector<std::pair<std::string, const YamlNode*>> role_map(
      const char* key, ParamKind kind, const std::vector<std::string>& roles) const {
    const YamlNode* n = get(key, kind);
    std::vector<std::pair<std::string, const YamlNode*>> result;
    if (!n) return result;
    const std::string expected = "a map {role_id: value}";
    check_present(*n, path(key), expected);
    if (!n->is_map()) fail(*n, path(key), "expected " + expected + ", got " + got(*n));
    for (const YamlEntry& entry : n->entries) {
      const std::string entry_path = path(key) + "." + entry.key;
      if (std::find(roles.begin(), roles.end(), entry.key) == roles.end())
        throw InputError(
            entry.key_mark(), entry_path,
            "unknown role \"" + entry.key + "\"" + id_suggestion(entry.key, roles, "known roles"));
      result.emplace_back(entry.key, &entry.value);
    }
    return result;
  }

 private:
  const YamlNode& node_;
  const Section& section_;
  std::string path_;
  Uncertainty* uncertainty_;
};

// The items of a list section with their key paths: "roles[fc_associate]" for
// items with a valid id, else "roles[3]". Checks ids and their uniqueness.
struct ListItem {
  const YamlNode* node;
  std::string path;
  std::string id;
};

std::vector<ListItem> list_items(const YamlNode* list, const std::string& key, bool with_ids,
                                 const char* what) {
  std::vector<ListItem> items;
  if (!list) return items;
  const std::string expected = std::string("a list of ") + what + "s";
  check_present(*list, key, expected);
  if (!list->is_sequence()) fail(*list, key, "expected " + expected + ", got " + got(*list));
  std::unordered_map<std::string, const YamlNode*> seen;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const YamlNode& item = list->items[i];
    ListItem entry{&item, key + "[" + std::to_string(i) + "]", ""};
    if (with_ids && item.is_map()) {
      if (const YamlNode* id_node = item.find("id")) {
        entry.id = to_id(*id_node, entry.path + ".id", std::string("a ") + what + " id");
        auto [it, inserted] = seen.emplace(entry.id, id_node);
        if (!inserted)
          fail(*id_node, entry.path + ".id",
               std::string("duplicate ") + what + " id \"" + entry.id + "\" (first used at " +
                   it->second->mark().to_string() + ")");
        entry.path = key + "[" + entry.id + "]";
      }
    }
    items.push_back(std::move(entry));
  }
  return items;
}

// ---------------------------------------------------------------------------
// Conversion

// `values`: a replication's values of the uncertain parameters, in order;
// nullptr while loading (every uncertain parameter takes its nominal value).
class Converter {
 public:
  explicit Converter(const std::vector<double>* values = nullptr) : uncertainty_(values) {}

  const std::vector<UncertainParameter>& uncertain_parameters() const {
    return uncertainty_.parameters();
  }

  Scenario convert(const YamlNode& root) {
    Scenario s;
    if (root.is_map()) {
      // Composition is resolved before conversion; what is left here came
      // from an override.
      if (const YamlNode* extends = root.find("extends"))
        fail(*extends, "extends", "extends is only allowed in a scenario file, not with --set");
      if (const YamlNode* remove = root.find("remove"))
        fail(*remove, "remove", "remove is only allowed in a scenario file, not with --set");
      for (const YamlEntry& entry : root.entries)
        if (is_uncertain(entry.value))
          fail(entry.value, entry.key,
               entry.key +
                   " cannot be uncertain (only numbers in roles, automation_waves, "
                   "displacement, programs, mentoring and budget can be)");
    }
    MapReader top(root, detail::section("scenario"), "");
    const YamlNode& version_node = *top.get("wfsim", ParamKind::integer);
    const std::int64_t version = to_int64(version_node, "wfsim", Range{});
    if (version != 1)
      fail(version_node, "wfsim",
           "unsupported schema version " + version_node.value + " (this wfsim reads version 1)");
    s.schema_version = 1;
    const YamlNode& name_node = *top.get("name", ParamKind::scenario_name);
    s.name = to_text(name_node, "name", "a name ([a-z0-9_-]+)");
    if (!matches(s.name, true) || s.name.size() > kMaxIdLength)
      fail(name_node, "name", "expected a name ([a-z0-9_-]+), got " + got(name_node));
    s.description = top.text("description", "");
    s.horizon_years = top.number("horizon_years", 0.0);
    s.start_year = static_cast<int>(top.integer("start_year", 0));
    s.snapshots_per_year = static_cast<int>(top.integer("snapshots_per_year", 12));
    const double snapshots = s.horizon_years * s.snapshots_per_year;
    const YamlNode& horizon_node = *top.node().find("horizon_years");
    if (std::abs(snapshots - std::round(snapshots)) > 1e-9)
      fail(horizon_node, "horizon_years",
           "horizon_years x snapshots_per_year must be a whole number, got " + horizon_node.value +
               " x " + std::to_string(s.snapshots_per_year));
    if (std::round(snapshots) < 1)
      fail(horizon_node, "horizon_years",
           "horizon_years x snapshots_per_year must be at least 1 (one snapshot interval)");
    if (std::round(snapshots) > static_cast<double>(kMaxSnapshots))
      fail(horizon_node, "horizon_years",
           "horizon_years x snapshots_per_year is more than " + std::to_string(kMaxSnapshots) +
               " snapshots");
    s.replications = top.integer("replications", 100);
    s.seed = top.unsigned_integer("seed", 1);
    horizon_ = s.horizon_years;

    // Roles: ids first, so that every cross-reference can be checked.
    const auto role_items =
        list_items(top.get("roles", ParamKind::section_list), "roles", true, "role");
    if (role_items.empty()) fail(*top.node().find("roles"), "roles", "needs at least one role");
    for (const ListItem& item : role_items)
      if (!item.id.empty()) role_ids_.push_back(item.id);
    std::int64_t positions = 0;
    for (const ListItem& item : role_items) s.roles.push_back(convert_role(item, positions));
    check_position_growth(s.roles, role_items, positions);

    const auto wave_items = list_items(top.get("automation_waves", ParamKind::section_list),
                                       "automation_waves", false, "automation wave");
    for (const ListItem& item : wave_items) s.automation_waves.push_back(convert_wave(item));

    if (const YamlNode* d = top.get("displacement", ParamKind::section)) {
      MapReader reader(*d, detail::section("displacement"), "displacement", &uncertainty_);
      s.displacement.redeployment_window_months = reader.number("redeployment_window_months", 3.0);
      s.displacement.first = reader.choice("first", "redeploy") == "reskill"
                                 ? Displacement::First::reskill
                                 : Displacement::First::redeploy;
    }

    const auto program_items =
        list_items(top.get("programs", ParamKind::section_list), "programs", true, "program");
    if (program_items.size() > kMaxPrograms)
      fail(*top.get("programs", ParamKind::section_list), "programs",
           "at most " + std::to_string(kMaxPrograms) + " programs are supported, got " +
               std::to_string(program_items.size()));
    for (const ListItem& item : program_items)
      if (!item.id.empty()) program_ids_.push_back(item.id);
    for (const ListItem& item : program_items) s.programs.push_back(convert_program(item));

    if (const YamlNode* m = top.get("mentoring", ParamKind::section))
      s.mentoring = convert_mentoring(*m);

    if (const YamlNode* b = top.get("budget", ParamKind::section)) {
      MapReader reader(*b, detail::section("budget"), "budget", &uncertainty_);
      Budget budget;
      budget.total = reader.optional_number("total");
      budget.per_year = reader.schedule("per_year");
      s.budget = budget;
    }
    return s;
  }

 private:
  // The largest value the number at `path` (a count, or a RATE with its
  // piecewise values) can take in a replication: `nominal`, or above it
  // when the number or one of its values is {uncertain}.
  double highest(double nominal, const std::string& path) const {
    const std::string exact = spec_path(path);
    const std::string inside = exact + ".";
    double most = nominal;
    for (const UncertainParameter& p : uncertainty_.parameters())
      if (p.path == exact || p.path.compare(0, inside.size(), inside) == 0)
        most = std::max(most, p.highest);
    return most;
  }

  // SPEC §1: sizes the machine cannot hold are errors before anything runs,
  // and growth makes positions too. Each role's mean positions at its
  // highest rates, N + (N + n/g)(e^(gT) - 1) (N + nT without growth), count
  // towards the limit of the initial positions, summed over roles.
  void check_position_growth(const std::vector<Role>& roles, const std::vector<ListItem>& items,
                             std::int64_t initial_positions) const {
    double positions = static_cast<double>(initial_positions);
    for (std::size_t i = 0; i < roles.size(); ++i) {
      const Role& role = roles[i];
      const std::string& path = items[i].path;
      const double g = highest(role.growth.max_value(), join(path, "growth"));
      const double n =
          highest(role.new_positions_per_year.max_value(), join(path, "new_positions_per_year"));
      if (g <= 0.0 && n <= 0.0) continue;
      const double N = highest(static_cast<double>(role.headcount), join(path, "headcount")) +
                       highest(static_cast<double>(role.vacancies), join(path, "vacancies"));
      const double grown = g > 0.0 ? (N + n / g) * std::expm1(g * horizon_) : n * horizon_;
      // 0 * inf (no positions to grow, explosive rate) adds none.
      if (!std::isnan(grown)) positions += grown;
      if (positions <= static_cast<double>(LoaderLimits::max_initial_positions)) continue;
      const std::string key = g > 0.0 ? "growth" : "new_positions_per_year";
      const YamlNode* node = items[i].node->find(key);
      fail(node ? *node : *items[i].node, join(path, key),
           fmt::format("positions (initial, and added by growth at the highest rates, over all "
                       "roles) would reach about {:.3g} over the horizon: this machine cannot "
                       "hold more than {} (per replication)",
                       positions, LoaderLimits::max_initial_positions));
    }
  }

  Role convert_role(const ListItem& item, std::int64_t& positions) {
    MapReader r(*item.node, detail::section("roles[]"), item.path, &uncertainty_);
    Role role;
    role.id = item.id;
    role.name = r.text("name", role.id);
    role.headcount = r.integer("headcount", 0);
    role.vacancies = r.integer("vacancies", 0);
    for (const char* key : {"headcount", "vacancies"}) {
      const YamlNode* n = item.node->find(key);
      // An uncertain count is checked at the largest value it can draw.
      const UncertainParameter* p = uncertainty_.find(spec_path(r.path(key)));
      const double most = p ? p->highest
                            : static_cast<double>(std::string(key) == "headcount" ? role.headcount
                                                                                  : role.vacancies);
      if (n && most > static_cast<double>(LoaderLimits::max_initial_positions - positions))
        fail(*n, r.path(key),
             "initial positions (headcount + vacancies over all roles) would reach more than " +
                 std::to_string(LoaderLimits::max_initial_positions) +
                 ": this machine cannot hold " +
                 (p ? "up to " + fmt::format("{}", most) : n->value) + " " + key +
                 " (per replication)");
      positions += static_cast<std::int64_t>(most);
    }
    role.salary = r.number("salary", 0.0);
    role.attrition = r.rate("attrition");
    role.tenure_multipliers = r.tenure_steps("tenure_multipliers");
    role.initial_tenure_years =
        r.dist("initial_tenure_years", engine::Distribution::fixed_value(0.0));
    role.automation = r.rate("automation");
    role.growth = r.rate("growth");
    role.new_positions_per_year = r.rate("new_positions_per_year");
    role.backfill = r.boolean("backfill", true);
    for (const auto& [target, node] : r.role_map("transfers", ParamKind::role_rates, role_ids_)) {
      const std::string path = r.path("transfers") + "." + target;
      if (target == role.id) fail(*node, path, "a role cannot transfer to itself");
      role.transfers.emplace_back(target, to_piecewise(*node, path, r.param("transfers").range,
                                                       false, kRateExpected, &uncertainty_));
    }
    if (const YamlNode* h = r.get("hiring", ParamKind::section)) {
      MapReader hiring(*h, detail::section("roles[].hiring"), r.path("hiring"), &uncertainty_);
      role.hiring.enabled = hiring.boolean("enabled", true);
      role.hiring.cost = hiring.number("cost", 0.0);
      role.hiring.time_to_fill_months = hiring.number("time_to_fill_months", 0.0);
    }
    role.severance = r.number("severance", 0.0);
    role.vacancy_cost_per_month = r.number("vacancy_cost_per_month", 0.0);
    return role;
  }

  AutomationWave convert_wave(const ListItem& item) {
    MapReader r(*item.node, detail::section("automation_waves[]"), item.path, &uncertainty_);
    AutomationWave wave;
    const YamlNode& at = *r.get("at_year", ParamKind::number);
    wave.at_year = to_number_or_uncertain(at, r.path("at_year"), Range{0.0, horizon_},
                                          "a time in [0, horizon_years] (years)", &uncertainty_);
    const YamlNode& role = *r.get("role", ParamKind::id);
    wave.role = to_id(role, r.path("role"), "a role id");
    check_role(role, r.path("role"), wave.role);
    wave.fraction = r.number("fraction", 0.0);
    return wave;
  }

  Program convert_program(const ListItem& item) {
    MapReader r(*item.node, detail::section("programs[]"), item.path, &uncertainty_);
    Program p;
    p.id = item.id;
    p.name = r.text("name", p.id);
    const std::string type = r.choice("type", "upskilling");
    p.type = type == "reskilling"    ? Program::Type::reskilling
             : type == "upskilling"  ? Program::Type::upskilling
             : type == "outskilling" ? Program::Type::outskilling
                                     : Program::Type::benefit;
    p.eligible_roles = r.id_list("eligible_roles", ParamKind::role_list, role_ids_, "role", true);
    p.min_tenure_months = r.number("min_tenure_months", 0.0);
    const YamlNode* targets = r.get("target_roles", ParamKind::role_weights);
    if (p.type == Program::Type::reskilling && !targets)
      fail(*item.node, r.path("target_roles"),
           "missing required key \"target_roles\" (required for reskilling programs)");
    if (p.type != Program::Type::reskilling && targets)
      fail(*targets, r.path("target_roles"),
           "target_roles is only allowed for reskilling programs (this one is " + type + ")");
    for (const auto& [target, node] :
         r.role_map("target_roles", ParamKind::role_weights, role_ids_)) {
      const std::string path = r.path("target_roles") + "." + target;
      p.target_roles.emplace_back(
          target, to_number_or_uncertain(*node, path, r.param("target_roles").range, "a weight > 0",
                                         &uncertainty_));
    }
    if (targets && p.target_roles.empty())
      fail(*targets, r.path("target_roles"), "needs at least one target role");
    p.enrollment_rate = r.rate("enrollment_rate");
    p.accepts_displaced = r.boolean("accepts_displaced", false);
    p.capacity = r.schedule("capacity");
    if (auto window = r.window("active_years")) {
      p.active_from = window->first;
      p.active_to = window->second;
    }
    p.full_time = r.boolean("full_time", false);
    p.duration_months = r.dist("duration_months", engine::Distribution::fixed_value(0.0));
    p.dropout = r.rate("dropout");
    if (const YamlNode* c = r.get("cost", ParamKind::section)) {
      MapReader cost(*c, detail::section("programs[].cost"), r.path("cost"), &uncertainty_);
      p.cost.fixed = cost.number("fixed", 0.0);
      p.cost.per_month = cost.number("per_month", 0.0);
    }
    p.budget = r.optional_number("budget");
    if (const YamlNode* w = r.get("while_enrolled", ParamKind::section)) {
      MapReader effects(*w, detail::section("programs[].while_enrolled"), r.path("while_enrolled"),
                        &uncertainty_);
      p.while_enrolled_attrition_multiplier = effects.number("attrition_multiplier", 1.0);
    }
    if (const YamlNode* a = r.get("after_completion", ParamKind::section)) {
      MapReader effects(*a, detail::section("programs[].after_completion"),
                        r.path("after_completion"), &uncertainty_);
      p.after_completion_attrition_multiplier = effects.number("attrition_multiplier", 1.0);
      p.after_completion_salary_multiplier = effects.number("salary_multiplier", 1.0);
    }
    p.placement_window_months = r.number("placement_window_months", 6.0);
    return p;
  }

  Mentoring convert_mentoring(const YamlNode& node) {
    MapReader r(node, detail::section("mentoring"), "mentoring", &uncertainty_);
    Mentoring m;
    m.mentor_roles = r.id_list("mentor_roles", ParamKind::role_list, role_ids_, "role", true);
    m.mentor_share = r.number("mentor_share", 1.0);
    m.mentees_per_mentor = r.integer("mentees_per_mentor", 1);
    m.duration_months = r.number("duration_months", 12.0);
    if (auto window = r.window("active_years")) {
      m.active_from = window->first;
      m.active_to = window->second;
    }
    m.programs = r.id_list("programs", ParamKind::program_list, program_ids_, "program", false);
    m.new_hires = r.boolean("new_hires", false);
    m.open_to_roles = r.id_list("open_to_roles", ParamKind::role_list, role_ids_, "role", false);
    m.open_enrollment_rate = r.rate("open_enrollment_rate");
    m.cost_per_pair_month = r.number("cost_per_pair_month", 0.0);
    if (const YamlNode* e = r.get("effects", ParamKind::section)) {
      MapReader effects(*e, detail::section("mentoring.effects"), r.path("effects"), &uncertainty_);
      m.effects.mentee_attrition_multiplier = effects.number("mentee_attrition_multiplier", 1.0);
      m.effects.mentee_dropout_multiplier = effects.number("mentee_dropout_multiplier", 1.0);
      m.effects.mentee_enrollment_multiplier = effects.number("mentee_enrollment_multiplier", 1.0);
      m.effects.duration_multiplier = effects.number("duration_multiplier", 1.0);
      m.effects.mentor_attrition_multiplier = effects.number("mentor_attrition_multiplier", 1.0);
    }
    return m;
  }

  void check_role(const YamlNode& node, const std::string& path, const std::string& id) const {
    if (std::find(role_ids_.begin(), role_ids_.end(), id) == role_ids_.end())
      fail(node, path, "unknown role \"" + id + "\"" + id_suggestion(id, role_ids_, "known roles"));
  }

  Uncertainty uncertainty_;
  double horizon_ = 0.0;
  std::vector<std::string> role_ids_;
  std::vector<std::string> program_ids_;
};

// ---------------------------------------------------------------------------
// Tree passes: overrides, unsupported features

// Key path of a list item for messages: its id when it has one, else its index.
std::string item_label(const YamlNode& item, std::size_t index) {
  if (item.is_map())
    if (const YamlNode* id = item.find("id"))
      if (id->is_scalar() && matches(id->value, false)) return id->value;
  return std::to_string(index);
}

std::vector<std::string> split_path(const std::string& path, const SourceMark& mark) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = path.find('.', start);
    std::string segment = path.substr(start, dot == std::string::npos ? dot : dot - start);
    if (segment.empty())
      throw InputError(mark, "", "bad path \"" + path + "\": empty segment (expected a.b.c)");
    segments.push_back(std::move(segment));
    if (segments.size() > kMaxPathSegments)
      throw InputError(mark, "", "path \"" + path + "\" has too many segments");
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

YamlNode* find_list_item_by_id(YamlNode& list, const std::string& id_text) {
  for (YamlNode& item : list.items) {
    if (!item.is_map()) continue;
    const YamlNode* id = item.find("id");
    if (id && id->is_scalar() && id->value == id_text) return &item;
  }
  return nullptr;
}

YamlNode* find_list_item(YamlNode& list, const std::string& segment) {
  if (YamlNode* item = find_list_item_by_id(list, segment)) return item;
  if (all_digits(segment, 0) && (segment.size() == 1 || segment[0] != '0') && segment.size() < 10) {
    const std::size_t index = std::stoul(segment);
    if (index < list.items.size()) return &list.items[index];
  }
  return nullptr;
}

void apply_override(YamlNode& root, const Override& override_) {
  const std::string origin = "--set " + override_.path;
  const SourceMark mark{origin};
  auto origin_ptr = std::make_shared<const std::string>(origin);
  const std::vector<std::string> segments = split_path(override_.path, mark);
  YamlNode value = detail::parse_yaml(override_.value_yaml, origin, false, true);
  YamlNode* current = &root;
  std::string walked;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (current->is_null()) {
      current->kind = YamlNode::Kind::map;
      current->origin = origin_ptr;
      current->line = current->column = 0;
    }
    if (current->is_map()) {
      YamlNode* child = current->find(segment);
      if (!child) {
        YamlEntry entry;
        entry.key = segment;
        entry.key_origin = origin_ptr;
        entry.value.kind = YamlNode::Kind::map;
        entry.value.origin = origin_ptr;
        current->entries.push_back(std::move(entry));
        child = &current->entries.back().value;
      }
      current = child;
    } else if (current->is_sequence()) {
      YamlNode* item = find_list_item(*current, segment);
      if (!item) {
        std::string known;
        for (std::size_t k = 0; k < current->items.size(); ++k)
          known += (known.empty() ? "" : ", ") + item_label(current->items[k], k);
        throw InputError(mark, "",
                         "no item \"" + segment + "\" in " +
                             (walked.empty() ? "the list" : walked) +
                             " (items: " + (known.empty() ? "none" : known) + ")");
      }
      current = item;
    } else {
      throw InputError(mark, "",
                       "cannot set " + override_.path + ": " + walked +
                           " is a single value, not a map or a list");
    }
    walked = join(walked, segment);
    if (last) *current = std::move(value);
  }
}

// ---------------------------------------------------------------------------
// Composition (SPEC §1): `extends` deep-merges a file over its base.

constexpr std::size_t kMaxExtendsChain = 16;

// RATE, DIST and {uncertain} nodes are replaced whole, never merged.
bool replaced_whole(const YamlNode& node) {
  return node.is_map() && (node.find("piecewise") || node.find("dist") || node.find("uncertain"));
}

bool all_items_have_ids(const YamlNode& list) {
  for (const YamlNode& item : list.items) {
    if (!item.is_map()) return false;
    const YamlNode* id = item.find("id");
    if (!id || !id->is_scalar()) return false;
  }
  return true;
}

// `over` merged onto `base`: maps by key, lists of items with ids by id,
// everything else replaced.
void merge_into(YamlNode& base, YamlNode&& over, const std::string& key) {
  if (base.is_map() && over.is_map() && key != "target_roles" && !replaced_whole(base) &&
      !replaced_whole(over)) {
    for (YamlEntry& entry : over.entries) {
      if (YamlNode* existing = base.find(entry.key)) {
        merge_into(*existing, std::move(entry.value), entry.key);
      } else {
        base.entries.push_back(std::move(entry));
      }
    }
    base.origin = over.origin;
    base.line = over.line;
    base.column = over.column;
    base.flow = over.flow;
    return;
  }
  if (base.is_sequence() && over.is_sequence() && !base.items.empty() && !over.items.empty() &&
      all_items_have_ids(base) && all_items_have_ids(over)) {
    for (YamlNode& item : over.items) {
      const std::string id = item.find("id")->value;
      YamlNode* existing = find_list_item_by_id(base, id);
      if (existing) {
        merge_into(*existing, std::move(item), "");
      } else {
        base.items.push_back(std::move(item));
      }
    }
    base.origin = over.origin;
    base.line = over.line;
    base.column = over.column;
    return;
  }
  base = std::move(over);
}

// Applies one `remove` entry (e.g. "programs.x") to the base tree.
void remove_path(YamlNode& base, const YamlNode& entry, const std::string& entry_path) {
  const std::string text = to_text(entry, entry_path, "a path such as programs.x");
  const std::vector<std::string> segments = split_path(text, entry.mark());
  YamlNode* current = &base;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& segment = segments[i];
    const bool last = i + 1 == segments.size();
    if (current->is_map()) {
      if (last) {
        if (!current->erase(segment))
          fail(entry, entry_path, "nothing to remove at " + show(text) + " in the base");
        return;
      }
      current = current->find(segment);
    } else if (current->is_sequence()) {
      YamlNode* item = find_list_item(*current, segment);
      if (item && last) {
        current->items.erase(current->items.begin() + (item - current->items.data()));
        return;
      }
      current = item;
    } else {
      current = nullptr;
    }
    if (!current) fail(entry, entry_path, "nothing to remove at " + show(text) + " in the base");
  }
}

std::string directory_of(const std::string& file) {
  const std::size_t slash = file.find_last_of('/');
  return slash == std::string::npos ? std::string() : file.substr(0, slash + 1);
}

// The files being merged, innermost last, and their bytes in all: the
// whole chain gets the budget of one file, so that a chain of large files
// costs no more to reject than one.
struct ExtendsChain {
  std::vector<std::string> files;
  std::size_t bytes = 0;
};

YamlNode resolve_extends(YamlNode root, const std::string& file, ExtendsChain& chain) {
  if (!root.is_map()) return root;
  const YamlEntry* extends_entry = root.find_entry("extends");
  const YamlNode* remove = root.find("remove");
  if (!extends_entry) {
    if (remove) fail(*remove, "remove", "remove is only allowed together with extends");
    return root;
  }
  const YamlNode& extends = extends_entry->value;
  const std::string base_text = to_text(extends, "extends", "a path to the base scenario");
  if (base_text.empty()) fail(extends, "extends", "expected a path to the base scenario");
  const std::string base_path = base_text[0] == '/' ? base_text : directory_of(file) + base_text;
  std::error_code error;
  const std::string canonical = std::filesystem::weakly_canonical(base_path, error).string();
  const std::string key = error ? base_path : canonical;
  if (std::find(chain.files.begin(), chain.files.end(), key) != chain.files.end()) {
    std::string cycle;
    for (const std::string& link : chain.files) cycle += link + " -> ";
    fail(extends, "extends", "extends cycle: " + cycle + key);
  }
  if (chain.files.size() >= kMaxExtendsChain)
    fail(extends, "extends",
         "more than " + std::to_string(kMaxExtendsChain) + " levels of extends");
  std::string text;
  try {
    text = detail::read_input_file(base_path, LoaderLimits::max_file_bytes);
  } catch (const InputError& read_error) {
    fail(extends, "extends",
         "cannot load base scenario " + show(base_text) + ": " + read_error.detail());
  }
  chain.bytes += text.size();
  if (chain.bytes > LoaderLimits::max_file_bytes)
    fail(extends, "extends",
         "the scenario and its bases hold more than " +
             std::to_string(LoaderLimits::max_file_bytes) +
             " bytes in all (the limit of one file), reached at base scenario " + show(base_text));
  chain.files.push_back(key);
  YamlNode base = resolve_extends(detail::parse_yaml(text, base_path), base_path, chain);
  chain.files.pop_back();
  if (!base.is_map())
    fail(extends, "extends", "base scenario " + show(base_text) + " is not a map");
  base.erase("name");  // never inherited
  if (remove) {
    check_present(*remove, "remove", "a list of paths such as programs.x");
    if (!remove->is_sequence())
      fail(*remove, "remove", "expected a list of paths such as [programs.x], got " + got(*remove));
    for (std::size_t i = 0; i < remove->items.size(); ++i)
      remove_path(base, remove->items[i], "remove[" + std::to_string(i) + "]");
  }
  root.erase("extends");
  root.erase("remove");
  merge_into(base, std::move(root), "");
  return base;
}
}  // namespace

Override parse_override(const std::string& argument) {
  const std::size_t equals = argument.find('=');
  if (equals == std::string::npos)
    throw InputError(SourceMark{"--set"}, "",
                     "expected PATH=VALUE, got " + show(argument) + " (no '=')");
  std::string path = argument.substr(0, equals);
  const auto not_space = [](char c) { return c != ' ' && c != '\t'; };
  path.erase(path.begin(), std::find_if(path.begin(), path.end(), not_space));
  path.erase(std::find_if(path.rbegin(), path.rend(), not_space).base(), path.end());
  if (path.empty())
    throw InputError(SourceMark{"--set"}, "",
                     "expected PATH=VALUE, got " + show(argument) + " (no path before '=')");
  split_path(path, SourceMark{"--set " + path});
  return Override{path, argument.substr(equals + 1)};
}

Scenario load_scenario_text(const std::string& text, const std::string& origin,
                            const std::vector<Override>& overrides) {
  ExtendsChain chain;
  std::error_code error;
  const std::string canonical = std::filesystem::weakly_canonical(origin, error).string();
  chain.files.push_back(error ? origin : canonical);
  chain.bytes = text.size();
  YamlNode root = resolve_extends(detail::parse_yaml(text, origin), origin, chain);
  for (const Override& override_ : overrides) {
    if (!root.is_map()) break;  // conversion reports it
    apply_override(root, override_);
  }
  Converter converter;
  Scenario scenario = converter.convert(root);
  scenario.source_file = origin;
  scenario.resolved_yaml = detail::emit_yaml(root);
  scenario.uncertain_parameters = converter.uncertain_parameters();
  if (!scenario.uncertain_parameters.empty())
    scenario.resolved_tree = std::make_shared<const YamlNode>(std::move(root));
  return scenario;
}

Scenario scenario_with_values(const Scenario& scenario, const std::vector<double>& values) {
  const std::size_t count = scenario.uncertain_parameters.size();
  if (values.size() != count)
    throw std::invalid_argument("scenario_with_values: " + std::to_string(values.size()) +
                                " values for " + std::to_string(count) + " uncertain parameters");
  if (count == 0) return scenario;
  if (!scenario.resolved_tree)
    throw std::invalid_argument("scenario_with_values: the scenario has no resolved tree");
  Converter converter(&values);
  Scenario resolved = converter.convert(*scenario.resolved_tree);
  if (converter.uncertain_parameters().size() != count)
    throw std::logic_error("scenario_with_values: the tree holds another number of parameters");
  resolved.source_file = scenario.source_file;
  resolved.resolved_yaml = scenario.resolved_yaml;
  return resolved;
}

double number_at_path(const Scenario& scenario, const std::string& path) {
  const SourceMark mark{path};
  const std::vector<std::string> segments = split_path(path, mark);
  YamlNode root = detail::parse_yaml(scenario.resolved_yaml, scenario.source_file, false);
  YamlNode* current = &root;
  std::string walked;
  for (const std::string& segment : segments) {
    YamlNode* next = nullptr;
    if (current->is_map())
      next = current->find(segment);
    else if (current->is_sequence())
      next = find_list_item(*current, segment);
    if (next == nullptr)
      throw InputError(mark, "",
                       "the scenario does not set " + join(walked, segment) +
                           " (a value is perturbed only where the scenario writes it)");
    walked = join(walked, segment);
    current = next;
  }
  char* end = nullptr;
  const double value =
      current->is_scalar() && !current->quoted ? std::strtod(current->value.c_str(), &end) : 0.0;
  if (end == nullptr || end == current->value.c_str() || *end != '\0' || !std::isfinite(value))
    throw InputError(mark, "", path + " is not a single number in the scenario");
  return value;
}

Scenario load_scenario_file(const std::string& path, const std::vector<Override>& overrides) {
  const std::string text = detail::read_input_file(path, LoaderLimits::max_file_bytes);
  return load_scenario_text(text, path, overrides);
}

}  // namespace wfsim::models
