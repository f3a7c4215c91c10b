#include "composition.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "node_values.h"

namespace wfsim::models::detail {

using engine::InputError;
using engine::SourceMark;

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

namespace {

YamlNode* find_list_item_by_id(YamlNode& list, const std::string& id_text) {
  for (YamlNode& item : list.items) {
    if (!item.is_map()) continue;
    const YamlNode* id = item.find("id");
    if (id && id->is_scalar() && id->value == id_text) return &item;
  }
  return nullptr;
}

}  // namespace

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

namespace {

// ---------------------------------------------------------------------------
// Composition: `extends` deep-merges a file over its base.

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

}  // namespace

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

}  // namespace wfsim::models::detail
