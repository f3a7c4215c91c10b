#include "wfsim/engine/h5_primitives.h"

#include <cstring>
#include <functional>
#include <numeric>
#include <type_traits>

#include <fmt/format.h>

#include "wfsim/engine/error.h"

namespace wfsim::engine::h5 {

static_assert(std::is_same_v<hid_t, std::int64_t>, "hid_t is stored as std::int64_t");

namespace {

herr_t collect_error(unsigned, const H5E_error2_t* err, void* client) {
  auto* out = static_cast<std::vector<std::string>*>(client);
  std::string text = err->desc ? err->desc : "";
  char minor[256] = {0};
  if (H5Eget_msg(err->min_num, nullptr, minor, sizeof minor) > 0 && minor[0] != '\0') {
    text += text.empty() ? std::string(minor) : fmt::format(" ({})", minor);
  }
  out->push_back(std::move(text));
  return 0;
}

// The innermost entry of the current HDF5 error stack (the root cause, e.g.
// "... errno = 28, error message = 'No space left on device'"), then clears it.
std::string take_hdf5_error() {
  std::vector<std::string> entries;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, collect_error, &entries);
  H5Eclear2(H5E_DEFAULT);
  return entries.empty() ? std::string() : entries.front();
}

Handle open_attribute(hid_t object, const std::string& name, const std::string& path,
                      const std::string& what) {
  return Handle(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), path, what), H5Aclose);
}

// A new attribute, replacing any of the same name.
Handle replace_attribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                         const std::string& path) {
  if (attribute_exists(object, name, path))
    check(H5Adelete(object, name.c_str()), path, "cannot replace attribute " + name);
  return Handle(check_id(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                         path, "cannot create attribute " + name),
                H5Aclose);
}

std::vector<const char*> c_strings(const std::vector<std::string>& values) {
  std::vector<const char*> texts;
  texts.reserve(values.size());
  for (const auto& v : values) texts.push_back(v.c_str());
  return texts;
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

Handle open_dataset(hid_t file, const std::string& abs_name, const std::string& path) {
  if (!link_exists(file, abs_name)) fail(path, "no dataset " + abs_name);
  return Handle(check_id(H5Dopen2(file, abs_name.c_str(), H5P_DEFAULT), path,
                         "cannot open dataset " + abs_name),
                H5Dclose);
}

}  // namespace

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  const std::string cause = take_hdf5_error();
  throw RuntimeError(cause.empty() ? fmt::format("{}: {}", path, what)
                                   : fmt::format("{}: {}: {}", path, what, cause));
}

hid_t check_id(hid_t id, const std::string& path, const std::string& what) {
  if (id < 0) fail(path, what);
  return id;
}

void check(herr_t status, const std::string& path, const std::string& what) {
  if (status < 0) fail(path, what);
}

Handle make_plist(hid_t cls, const std::string& path) {
  return Handle(check_id(H5Pcreate(cls), path, "cannot create a property list"), H5Pclose);
}

Handle make_space(const std::vector<hsize_t>& dims, const std::string& path,
                  const std::vector<hsize_t>* maxdims) {
  hid_t id = dims.empty() ? H5Screate(H5S_SCALAR)
                          : H5Screate_simple(static_cast<int>(dims.size()), dims.data(),
                                             maxdims ? maxdims->data() : nullptr);
  return Handle(check_id(id, path, "cannot create a dataspace"), H5Sclose);
}

Handle make_vlen_string_type(const std::string& path) {
  Handle type(check_id(H5Tcopy(H5T_C_S1), path, "cannot create a string type"), H5Tclose);
  check(H5Tset_size(type.get(), H5T_VARIABLE), path, "cannot create a string type");
  check(H5Tset_cset(type.get(), H5T_CSET_UTF8), path, "cannot create a string type");
  return type;
}

// ---- names and objects ----------------------------------------------------

std::string strip_slashes(const std::string& name) {
  std::size_t begin = name.find_first_not_of('/');
  if (begin == std::string::npos) return std::string();
  std::size_t end = name.find_last_not_of('/');
  return name.substr(begin, end - begin + 1);
}

std::string absolute(const std::string& name) {
  return "/" + strip_slashes(name);
}

bool link_exists(hid_t file, const std::string& abs_name) {
  // H5Lexists requires every parent to exist, so test the components in turn.
  std::size_t pos = 0;
  while (true) {
    pos = abs_name.find('/', pos + 1);
    const std::string prefix = abs_name.substr(0, pos);
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (pos == std::string::npos) return true;
  }
}

// Groups are made one by one (rather than with
// H5Pset_create_intermediate_group) so that each gets a creation property
// list without timestamps.
void ensure_parent_groups(hid_t file, const std::string& abs_name, const std::string& path) {
  Handle gcpl = make_plist(H5P_GROUP_CREATE, path);
  check(H5Pset_obj_track_times(gcpl.get(), 0), path, "cannot configure a group");
  std::size_t pos = 0;
  while ((pos = abs_name.find('/', pos + 1)) != std::string::npos) {
    const std::string prefix = abs_name.substr(0, pos);
    const htri_t exists = H5Lexists(file, prefix.c_str(), H5P_DEFAULT);
    if (exists < 0) fail(path, fmt::format("cannot look up {}", prefix));
    if (exists > 0) continue;
    const hid_t group = H5Gcreate2(file, prefix.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT);
    check_id(group, path, fmt::format("cannot create group {}", prefix));
    H5Gclose(group);
  }
}

Handle open_object(hid_t file, const std::string& object, const std::string& path) {
  const std::string name = absolute(object);
  if (name != "/" && !link_exists(file, name)) fail(path, "no object " + name);
  return Handle(check_id(H5Oopen(file, name.c_str(), H5P_DEFAULT), path, "cannot open " + name),
                H5Oclose);
}

void remove_link_if_present(hid_t file, const std::string& object, const std::string& path) {
  const std::string name = absolute(object);
  if (link_exists(file, name))
    check(H5Ldelete(file, name.c_str(), H5P_DEFAULT), path, "cannot remove " + name);
}

Handle create_empty_file(const std::string& path, bool overwrite) {
  Handle fcpl = make_plist(H5P_FILE_CREATE, path);
  check(H5Pset_obj_track_times(fcpl.get(), 0), path, "cannot configure the file");
  return Handle(check_id(H5Fcreate(path.c_str(), overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL,
                                   fcpl.get(), H5P_DEFAULT),
                         path, "cannot create the results file"),
                H5Fclose);
}

Handle open_file(const std::string& path, bool writable) {
  return Handle(
      check_id(H5Fopen(path.c_str(), writable ? H5F_ACC_RDWR : H5F_ACC_RDONLY, H5P_DEFAULT), path,
               "cannot open the results file"),
      H5Fclose);
}

// ---- datasets -------------------------------------------------------------

Handle create_dataset(hid_t file, const std::string& name, hid_t type,
                      const std::vector<hsize_t>& dims, const DatasetOptions& options,
                      const std::string& path) {
  const std::string abs_name = absolute(name);
  ensure_parent_groups(file, abs_name, path);
  Handle space = make_space(dims, path, options.maxdims.empty() ? nullptr : &options.maxdims);
  Handle dcpl = make_plist(H5P_DATASET_CREATE, path);
  const std::string what = fmt::format("cannot create dataset {}", abs_name);
  check(H5Pset_obj_track_times(dcpl.get(), 0), path, what);
  if (options.fill_value) {
    check(H5Pset_fill_value(dcpl.get(), options.fill_type, options.fill_value), path, what);
  }
  if (!options.chunk.empty()) {
    check(H5Pset_chunk(dcpl.get(), static_cast<int>(options.chunk.size()), options.chunk.data()),
          path, what);
    if (options.deflate_level) {
      check(H5Pset_shuffle(dcpl.get()), path, what);
      check(H5Pset_deflate(dcpl.get(), *options.deflate_level), path, what);
    }
  }
  return Handle(check_id(H5Dcreate2(file, abs_name.c_str(), type, space.get(), H5P_DEFAULT,
                                    dcpl.get(), H5P_DEFAULT),
                         path, what),
                H5Dclose);
}

Handle write_float_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                           const std::vector<double>& values, const std::string& path) {
  Handle set = create_dataset(file, name, H5T_IEEE_F64LE, dims, DatasetOptions{}, path);
  if (!values.empty()) {
    check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          path, "cannot write dataset " + absolute(name));
  }
  return set;
}

void write_string_dataset(hid_t file, const std::string& name,
                          const std::vector<std::string>& values, const std::string& path) {
  Handle type = make_vlen_string_type(path);
  Handle set = create_dataset(file, name, type.get(), {values.size()}, DatasetOptions{}, path);
  const std::vector<const char*> texts = c_strings(values);
  if (!texts.empty()) {
    check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), path,
          "cannot write dataset " + absolute(name));
  }
}

std::vector<double> read_float_dataset(hid_t file, const std::string& name,
                                       const std::string& path) {
  const std::string abs_name = absolute(name);
  const Handle set = open_dataset(file, abs_name, path);
  const auto dims = dataset_dims(set.get(), path, abs_name);
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  std::vector<double> values(count);
  if (count > 0)
    check(H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path,
          "cannot read " + abs_name);
  return values;
}

std::vector<std::string> read_string_dataset(hid_t file, const std::string& name,
                                             const std::string& path) {
  const std::string abs_name = absolute(name);
  const Handle set = open_dataset(file, abs_name, path);
  Handle space(check_id(H5Dget_space(set.get()), path, "cannot read " + abs_name), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(path, "cannot read " + abs_name);
  std::vector<std::string> out;
  if (count == 0) return out;
  Handle type = make_vlen_string_type(path);
  std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
  check(H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), path,
        "cannot read " + abs_name);
  for (char* t : texts) out.emplace_back(t ? t : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
  return out;
}

std::vector<hsize_t> dataset_dims(hid_t set, const std::string& path, const std::string& name) {
  Handle space(check_id(H5Dget_space(set), path, "cannot read the shape of " + name), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 0) fail(path, "cannot read the shape of " + name);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

std::size_t block_size(const std::vector<std::size_t>& dims) {
  return std::accumulate(dims.begin(), dims.end(), std::size_t{1}, std::multiplies<>());
}

Handle select_row(hid_t set, std::size_t row, const std::string& path, const std::string& name) {
  Handle space(check_id(H5Dget_space(set), path, "cannot select in " + name), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> start(static_cast<std::size_t>(rank), 0);
  std::vector<hsize_t> count(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), count.data(), nullptr);
  start[0] = row;
  count[0] = 1;
  check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                            nullptr),
        path, "cannot select in " + name);
  return space;
}

// ---- attributes -----------------------------------------------------------

bool attribute_exists(hid_t object, const std::string& name, const std::string& path) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(path, fmt::format("cannot look up attribute {}", name));
  return exists > 0;
}

void write_number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type,
                            const void* value, const std::string& path) {
  Handle attr;
  if (attribute_exists(object, name, path)) {
    attr = open_attribute(object, name, path, "cannot open attribute " + name);
  } else {
    Handle space = make_space({}, path);
    attr = Handle(
        check_id(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 path, "cannot create attribute " + name),
        H5Aclose);
  }
  check(H5Awrite(attr.get(), mem_type, value), path, "cannot write attribute " + name);
}

void read_number_attribute(hid_t object, const std::string& name, hid_t mem_type, void* value,
                           const std::string& path) {
  const Handle attr = open_attribute(object, name, path, "missing root attribute " + name);
  check(H5Aread(attr.get(), mem_type, value), path, "cannot read attribute " + name);
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const std::string& path) {
  Handle type = make_vlen_string_type(path);
  Handle space = make_space({}, path);
  Handle attr = replace_attribute(object, name, type.get(), space.get(), path);
  const char* text = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &text), path, "cannot write attribute " + name);
}

void write_string_list_attribute(hid_t object, const std::string& name,
                                 const std::vector<std::string>& values, const std::string& path) {
  Handle type = make_vlen_string_type(path);
  Handle space = make_space({static_cast<hsize_t>(values.size())}, path);
  Handle attr = replace_attribute(object, name, type.get(), space.get(), path);
  const std::vector<const char*> texts = c_strings(values);
  if (!texts.empty()) {
    check(H5Awrite(attr.get(), type.get(), texts.data()), path, "cannot write attribute " + name);
  }
}

std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name,
                                                    const std::string& path) {
  const std::string what = "cannot read attribute " + name;
  const Handle attr = open_attribute(object, name, path, "missing attribute " + name);
  Handle type(check_id(H5Aget_type(attr.get()), path, what), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) fail(path, fmt::format("{} is not a string", name));
  Handle space(check_id(H5Aget_space(attr.get()), path, what), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(path, what);
  std::vector<std::string> out;
  if (count == 0) return out;
  const htri_t is_vlen = H5Tis_variable_str(type.get());
  if (is_vlen < 0) fail(path, what);
  if (is_vlen > 0) {
    Handle mem = make_vlen_string_type(path);
    std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
    check(H5Aread(attr.get(), mem.get(), texts.data()), path, what);
    for (char* t : texts) out.emplace_back(t ? t : "");
    H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, texts.data());
  } else {
    const std::size_t size = H5Tget_size(type.get());
    std::vector<char> buffer(size * static_cast<std::size_t>(count) + 1, '\0');
    check(H5Aread(attr.get(), type.get(), buffer.data()), path, what);
    for (hssize_t i = 0; i < count; ++i) {
      const char* begin = buffer.data() + static_cast<std::size_t>(i) * size;
      out.emplace_back(begin, strnlen(begin, size));
    }
  }
  return out;
}

std::string read_string_attribute(hid_t object, const std::string& name, const std::string& path) {
  auto values = read_string_list_attribute(object, name, path);
  if (values.size() != 1) fail(path, fmt::format("attribute {} is not a single string", name));
  return values.front();
}

std::vector<std::pair<std::string, std::string>> read_string_attributes(hid_t object,
                                                                        const std::string& path) {
  std::vector<std::string> names;
  hsize_t position = 0;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &position, collect_attribute_name, &names),
        path, "cannot list attributes");
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& name : names) {
    const Handle attr = open_attribute(object, name, path, "cannot open attribute " + name);
    Handle type(check_id(H5Aget_type(attr.get()), path, "cannot read attribute " + name), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) continue;
    const std::vector<std::string> values = read_string_list_attribute(object, name, path);
    if (values.size() == 1) out.emplace_back(name, values.front());
  }
  return out;
}

}  // namespace wfsim::engine::h5
