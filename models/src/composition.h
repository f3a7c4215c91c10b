// Passes over the resolved tree before it is read: `extends` (deep merge over
// a base file, `remove`), `--set PATH=VALUE` overrides, and the PATH grammar
// they share (dotted keys, list items by id, or by index where items have no
// id).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "wfsim/engine/error.h"
#include "wfsim/models/scenario_loader.h"
#include "yaml_tree.h"

namespace wfsim::models::detail {

inline constexpr std::size_t kMaxPathSegments = 64;

// "a.b.c" -> {"a", "b", "c"}; throws InputError (at `mark`) for an empty
// segment or too many.
std::vector<std::string> split_path(const std::string& path, const engine::SourceMark& mark);

// A list item by id, else by index; nullptr if neither.
YamlNode* find_list_item(YamlNode& list, const std::string& segment);
// Key path of a list item for messages: its id when it has one, else its index.
std::string item_label(const YamlNode& item, std::size_t index);

// Replaces the node at the override's PATH (made if absent) by its VALUE.
void apply_override(YamlNode& root, const Override& override_);

// The files being merged, innermost last, and their bytes in all: the
// whole chain gets the budget of one file, so that a chain of large files
// costs no more to reject than one.
struct ExtendsChain {
  std::vector<std::string> files;
  std::size_t bytes = 0;
};

// `root` (read from `file`) merged over its base, recursively.
YamlNode resolve_extends(YamlNode root, const std::string& file, ExtendsChain& chain);

}  // namespace wfsim::models::detail
