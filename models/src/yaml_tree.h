// A small, owned YAML tree built from yaml-cpp's event parser (private to the
// models library). Only what a scenario needs: null, scalar, sequence and map
// nodes with their source positions. Anchors, aliases, tags, duplicate keys,
// non-scalar keys, several documents and excessive depth, size or node count
// are rejected while parsing, so nothing downstream ever sees them.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wfsim/engine/error.h"

namespace wfsim::models::detail {

struct YamlEntry;

struct YamlNode {
  enum class Kind { null, scalar, sequence, map };
  Kind kind = Kind::null;
  std::string value;    // scalar text
  bool quoted = false;  // scalar was quoted or a block scalar: a string, never a number
  bool flow = false;    // collection was written in flow style ([...] or {...})
  // Where the node comes from: the file (or "--set PATH") and 1-based line and
  // column; line 0 when the origin has no useful position.
  std::shared_ptr<const std::string> origin;
  int line = 0;
  int column = 0;
  std::vector<YamlNode> items;     // sequence
  std::vector<YamlEntry> entries;  // map, in file order

  bool is_null() const { return kind == Kind::null; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_sequence() const { return kind == Kind::sequence; }
  bool is_map() const { return kind == Kind::map; }

  engine::SourceMark mark() const;
  // The entry's value for `key`, or nullptr (maps only).
  const YamlNode* find(const std::string& key) const;
  YamlNode* find(const std::string& key);
  const YamlEntry* find_entry(const std::string& key) const;
  bool erase(const std::string& key);
};

struct YamlEntry {
  std::string key;
  std::shared_ptr<const std::string> key_origin;
  int key_line = 0;
  int key_column = 0;
  YamlNode value;

  engine::SourceMark key_mark() const;
};

// Limits applied while parsing; see LoaderLimits.
struct ParseLimits {
  std::size_t max_bytes;
  int max_depth;
  std::size_t max_nodes;
  std::size_t max_scalar_bytes;
};

ParseLimits default_parse_limits();

// Parses one YAML document. `origin` names the text in messages; when
// `positions` is false, marks carry the origin only (used for `--set`
// values). An empty document is an error unless `allow_empty`, in which case
// a null node is returned.
YamlNode parse_yaml(const std::string& text, const std::string& origin, bool positions = true,
                    bool allow_empty = false, const ParseLimits& limits = default_parse_limits());

// Reads a file for parse_yaml: it must be a regular file no larger than
// `max_bytes`. Throws InputError naming the path.
std::string read_input_file(const std::string& path, std::size_t max_bytes);

// Emits the tree as YAML text (key order kept, scalars as written).
std::string emit_yaml(const YamlNode& node);

// True when every byte sequence is valid UTF-8; otherwise `bad_offset` is
// the offset of the first bad byte.
bool valid_utf8(const std::string& text, std::size_t& bad_offset);

}  // namespace wfsim::models::detail
