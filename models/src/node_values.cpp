#include "node_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <utility>

#include "uncertain_reader.h"
#include "wfsim/engine/error.h"

namespace wfsim::models::detail {

using engine::InputError;

constexpr double kInf = std::numeric_limits<double>::infinity();

void fail(const YamlNode& node, const std::string& path, const std::string& message) {
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

namespace {

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

}  // namespace

namespace {

// " (did you mean ...?)" for a small map whose first key is close to "uncertain".
std::string uncertain_hint(const YamlNode& node) {
  if (!node.is_map() || node.entries.size() > 2 || node.entries.empty()) return "";
  const std::string& key = node.entries.front().key;
  return key != "uncertain" && edit_distance(key, "uncertain") <= 2
             ? " (did you mean \"uncertain\"?)"
             : "";
}

}  // namespace

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

namespace {

bool close_enough(const std::string& key, const std::string& best, std::size_t distance) {
  return !best.empty() && distance < std::max(key.size(), best.size()) &&
         distance <= std::max<std::size_t>(2, best.size() / 3);
}

}  // namespace

std::string suggestion(const std::string& key, const std::vector<std::string>& known) {
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const std::string& candidate : known) {
    const std::size_t d = edit_distance(key, candidate);
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
    const std::size_t d = edit_distance(id, candidate);
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
                                       Uncertainty* uncertainty) {
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

}  // namespace wfsim::models::detail
