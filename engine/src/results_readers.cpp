#include "wfsim/engine/results_readers.h"

#include "wfsim/engine/h5_primitives.h"
#include "wfsim/engine/results_format.h"

namespace wfsim::engine {

namespace {

herr_t collect_group_name(hid_t parent, const char* name, const H5L_info_t*, void* client) {
  H5O_info_t info{};
  if (H5Oget_info_by_name(parent, name, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_GROUP)
    static_cast<std::vector<std::string>*>(client)->push_back(name);
  return 0;
}

}  // namespace

std::vector<double> read_float_dataset(const std::string& path, const std::string& dataset) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  return h5::read_float_dataset(file.get(), dataset, path);
}

std::vector<std::string> read_string_dataset(const std::string& path, const std::string& dataset) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  return h5::read_string_dataset(file.get(), dataset, path);
}

std::string read_string_attribute_of(const std::string& path, const std::string& object,
                                     const std::string& name) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  const h5::Handle owner = h5::open_object(file.get(), object, path);
  return h5::read_string_attribute(owner.get(), name, path);
}

double read_float_attribute_of(const std::string& path, const std::string& object,
                               const std::string& name) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  const h5::Handle owner = h5::open_object(file.get(), object, path);
  return h5::read_number_attribute<double>(owner.get(), name, path);
}

std::vector<std::string> read_string_list_attribute_of(const std::string& path,
                                                       const std::string& object,
                                                       const std::string& name) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  const h5::Handle owner = h5::open_object(file.get(), object, path);
  if (!h5::attribute_exists(owner.get(), name, path)) return {};
  return h5::read_string_list_attribute(owner.get(), name, path);
}

std::vector<std::string> list_groups(const std::string& path, const std::string& group) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  const std::string abs_name = h5::absolute(group);
  std::vector<std::string> names;
  if (abs_name != "/" && !h5::link_exists(file.get(), abs_name)) return names;
  h5::Handle parent(h5::check_id(H5Gopen2(file.get(), abs_name.c_str(), H5P_DEFAULT), path,
                                 "cannot open group " + abs_name),
                    H5Gclose);
  h5::check(
      H5Literate(parent.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_group_name, &names),
      path, "cannot list " + abs_name);
  return names;
}

bool results_object_exists(const std::string& path, const std::string& object) {
  h5::ErrorSilencer silence;
  const h5::Handle file = open_results_file(path, false);
  return h5::link_exists(file.get(), h5::absolute(object));
}

}  // namespace wfsim::engine
