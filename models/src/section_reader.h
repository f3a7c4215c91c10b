// Reads a map of the resolved tree into the plain struct of its section,
// driven by the section's table: unknown and missing keys, each key's value
// by its kind into its field, defaults for absent keys, nested sections and
// lists of items. What is particular to a section (cross-references,
// limits) is left to the hooks of a subclass.
#pragma once

#include <string>
#include <vector>

#include "parameter_table.h"
#include "yaml_tree.h"

namespace wfsim::models::detail {

class Uncertainty;

// An item of a list section with its key path for messages:
// "roles[fc_associate]" for items with a valid id, else "roles[3]".
struct ListItem {
  const YamlNode* node;
  std::string path;
  std::string id;
};

// The items of `list` (the value of `key`); checks that it is a list and,
// `with_ids`, the items' ids and their uniqueness. `what` names an item.
std::vector<ListItem> list_items(const YamlNode* list, const std::string& key, bool with_ids,
                                 const char* what);

class SectionReader {
 public:
  virtual ~SectionReader() = default;

  // Reads `node` (at key path `path`) into `object`, an object of
  // `section`'s struct: every key in table order, nested sections and lists
  // included; absent keys take their defaults.
  void read(const YamlNode& node, const Section& section, const std::string& path, void* object);

  // The ids of the items of the role and program lists read so far.
  const std::vector<std::string>& role_ids() const { return role_ids_; }
  const std::vector<std::string>& program_ids() const { return program_ids_; }

 protected:
  // With `uncertainty`, the numbers of every section but the top level may
  // be {uncertain}.
  explicit SectionReader(Uncertainty* uncertainty) : uncertainty_(uncertainty) {}

  // After the value keys of an object are read, before its nested sections
  // and lists.
  virtual void after_values(const Section& section, void* object, const YamlNode& node,
                            const std::string& path) = 0;
  // Before and after the items of a list are read (`owner` holds the list).
  virtual void before_list(const Param& list, const std::vector<ListItem>& items,
                           const YamlNode* node) = 0;
  virtual void after_list(const Param& list, const std::vector<ListItem>& items, void* owner) = 0;

  // The legal range of a number key, the horizon taken into account.
  void set_horizon(double horizon) { horizon_ = horizon; }
  Uncertainty* uncertainty() const { return uncertainty_; }

 private:
  void read_value(const YamlNode& node, const Section& section, const Param& param,
                  const std::string& path, void* object, Uncertainty* uncertainty) const;
  void read_list(const YamlNode* node, const Param& param, const std::string& path, void* object);
  std::vector<std::string> read_ids(const YamlNode& node, const Param& param,
                                    const std::string& path) const;

  Uncertainty* uncertainty_;
  double horizon_ = 0.0;
  std::vector<std::string> role_ids_;
  std::vector<std::string> program_ids_;
};

}  // namespace wfsim::models::detail
