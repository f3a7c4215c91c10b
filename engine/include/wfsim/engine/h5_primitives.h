// Typed HDF5 handles and the read/write primitives the results file is made
// of: owned hid_t, errors turned into RuntimeError naming the file, numeric,
// string and string-list attributes, datasets of float64 and of UTF-8
// strings. Knows nothing of what a results file holds (results_file.h).
//
// Byte identity: every group and dataset made here has object timestamps
// switched off, so the same calls with the same data give the same bytes.
//
// Every function takes `path`, the file's name, for its error messages, and
// expects the caller to hold an ErrorSilencer (HDF5 would print its error
// stack otherwise).
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wfsim::engine::h5 {

// Switches off HDF5's default printing of its error stack for the lifetime of
// the guard and restores the previous handler afterwards. The setting is
// per-thread in the thread-safe build, so it is (re)applied at every entry.
class ErrorSilencer {
 public:
  ErrorSilencer() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
  ~ErrorSilencer() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
  ErrorSilencer(const ErrorSilencer&) = delete;
  ErrorSilencer& operator=(const ErrorSilencer&) = delete;

 private:
  H5E_auto2_t func_ = nullptr;
  void* data_ = nullptr;
};

// Throws RuntimeError "path: what: cause", the cause being the innermost
// entry of HDF5's error stack (e.g. "... No space left on device"), which is
// cleared.
[[noreturn]] void fail(const std::string& path, const std::string& what);
// `id` unless it is negative (an HDF5 failure): then fail(path, what).
hid_t check_id(hid_t id, const std::string& path, const std::string& what);
void check(herr_t status, const std::string& path, const std::string& what);

// Owns one hid_t and closes it with the matching H5?close.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& other) noexcept : id_(other.id_), closer_(other.closer_) { other.id_ = -1; }
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = other.id_;
      closer_ = other.closer_;
      other.id_ = -1;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  hid_t get() const { return id_; }
  hid_t release() {
    const hid_t id = id_;
    id_ = -1;
    return id;
  }
  void reset() {
    if (id_ >= 0 && closer_) closer_(id_);
    id_ = -1;
  }

 private:
  hid_t id_ = -1;
  Closer closer_ = nullptr;
};

Handle make_plist(hid_t cls, const std::string& path);
// A simple dataspace of `dims` (scalar if empty), extendible to `maxdims`.
Handle make_space(const std::vector<hsize_t>& dims, const std::string& path,
                  const std::vector<hsize_t>* maxdims = nullptr);
// Variable-length UTF-8 strings.
Handle make_vlen_string_type(const std::string& path);

// ---- names and objects ----------------------------------------------------

// `name` without leading and trailing slashes; "/" + that.
std::string strip_slashes(const std::string& name);
std::string absolute(const std::string& name);
// Whether every component of the absolute name `abs_name` exists.
bool link_exists(hid_t file, const std::string& abs_name);
// Creates the groups above `abs_name` that do not exist yet (without
// timestamps).
void ensure_parent_groups(hid_t file, const std::string& abs_name, const std::string& path);
// A dataset or group that must exist ("/" is the root).
Handle open_object(hid_t file, const std::string& object, const std::string& path);
// Removes a group or dataset if it exists.
void remove_link_if_present(hid_t file, const std::string& object, const std::string& path);

// A new, open HDF5 file whose root group carries no timestamps; with
// `overwrite`, an existing file is truncated, else refused.
Handle create_empty_file(const std::string& path, bool overwrite);
// An existing file, read-only or for reading and writing.
Handle open_file(const std::string& path, bool writable);

// ---- datasets -------------------------------------------------------------

struct DatasetOptions {
  std::vector<hsize_t> chunk;  // empty = contiguous
  std::vector<hsize_t> maxdims;
  std::optional<unsigned> deflate_level;  // with a chunk: shuffled, then deflated at this level
  hid_t fill_type = -1;                   // with fill_value
  const void* fill_value = nullptr;
};

// A new dataset at `name` (relative names are taken from the root), the
// groups above it created as needed.
Handle create_dataset(hid_t file, const std::string& name, hid_t type,
                      const std::vector<hsize_t>& dims, const DatasetOptions& options,
                      const std::string& path);
// A contiguous float64 dataset of shape `dims` holding `values` (row-major,
// as many as the product of dims), left open for its attributes.
Handle write_float_dataset(hid_t file, const std::string& name, const std::vector<hsize_t>& dims,
                           const std::vector<double>& values, const std::string& path);
// A contiguous one-dimensional dataset of UTF-8 strings.
void write_string_dataset(hid_t file, const std::string& name,
                          const std::vector<std::string>& values, const std::string& path);
// Every value of a float64 (or convertible) dataset, row-major.
std::vector<double> read_float_dataset(hid_t file, const std::string& name,
                                       const std::string& path);
// Every string of a one-dimensional string dataset.
std::vector<std::string> read_string_dataset(hid_t file, const std::string& name,
                                             const std::string& path);

std::vector<hsize_t> dataset_dims(hid_t set, const std::string& path, const std::string& name);
// The product of `dims` (1 for a scalar).
std::size_t block_size(const std::vector<std::size_t>& dims);
// Selects rows [row, row + 1) of a [rows, block...] dataset in a new file space.
Handle select_row(hid_t set, std::size_t row, const std::string& path, const std::string& name);

// ---- attributes -----------------------------------------------------------

// The file and memory types of the numbers stored as attributes.
template <typename T>
struct NumberType;
template <>
struct NumberType<std::uint8_t> {
  static hid_t file() { return H5T_STD_U8LE; }
  static hid_t memory() { return H5T_NATIVE_UINT8; }
};
template <>
struct NumberType<std::int32_t> {
  static hid_t file() { return H5T_STD_I32LE; }
  static hid_t memory() { return H5T_NATIVE_INT32; }
};
template <>
struct NumberType<std::uint64_t> {
  static hid_t file() { return H5T_STD_U64LE; }
  static hid_t memory() { return H5T_NATIVE_UINT64; }
};
template <>
struct NumberType<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t memory() { return H5T_NATIVE_DOUBLE; }
};

bool attribute_exists(hid_t object, const std::string& name, const std::string& path);

// A numeric scalar attribute, created once (of type file_type) and then
// rewritten in place, so that rewriting it at every commit does not grow the
// file. `value` points to one value of mem_type.
void write_number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type,
                            const void* value, const std::string& path);
template <typename T>
void write_number_attribute(hid_t object, const std::string& name, T value,
                            const std::string& path) {
  write_number_attribute(object, name, NumberType<T>::file(), NumberType<T>::memory(), &value,
                         path);
}

// A numeric scalar attribute converted to mem_type into `value`; throws
// RuntimeError if it is missing.
void read_number_attribute(hid_t object, const std::string& name, hid_t mem_type, void* value,
                           const std::string& path);
template <typename T>
T read_number_attribute(hid_t object, const std::string& name, const std::string& path) {
  T value{};
  read_number_attribute(object, name, NumberType<T>::memory(), &value, path);
  return value;
}

// A scalar UTF-8 string attribute, replacing any of that name.
void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const std::string& path);
// A one-dimensional attribute of UTF-8 strings, replacing any of that name.
void write_string_list_attribute(hid_t object, const std::string& name,
                                 const std::vector<std::string>& values, const std::string& path);
// Every string of a string attribute (variable or fixed length, any size).
std::vector<std::string> read_string_list_attribute(hid_t object, const std::string& name,
                                                    const std::string& path);
// A string attribute holding exactly one string.
std::string read_string_attribute(hid_t object, const std::string& name, const std::string& path);
// Every attribute of `object` that is one string, (name, value) in name order.
std::vector<std::pair<std::string, std::string>> read_string_attributes(hid_t object,
                                                                        const std::string& path);

}  // namespace wfsim::engine::h5
