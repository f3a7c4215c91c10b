#include "wfsim/engine/h5_writer.h"

#include "wfsim/engine/chunk_encoding.h"

#include <hdf5.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <limits>
#include <numeric>
#include <type_traits>

#include <fmt/format.h>

#include "wfsim/engine/error.h"
#include "wfsim/engine/statistics.h"

namespace wfsim::engine {

static_assert(std::is_same_v<hid_t, std::int64_t>, "hid_t is stored as std::int64_t");

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr hsize_t kSmallBlockChunkValues = 4096;  // chunk target for scalars and small blocks
constexpr hsize_t kTraceChunkRows = 8192;
// Where keep_committed_trace_in_order() writes the new /events before the swap.
constexpr const char* kSortedTraceName = "events_sorted";
// Values held in memory at once by write_summaries() (64 MB of doubles).
constexpr std::size_t kSummaryBudgetValues = std::size_t{8} << 20;

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

Handle make_plist(hid_t cls, const std::string& path) {
  return Handle(check_id(H5Pcreate(cls), path, "cannot create a property list"), H5Pclose);
}

Handle make_space(const std::vector<hsize_t>& dims, const std::string& path,
                  const std::vector<hsize_t>* maxdims = nullptr) {
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

// Creates the groups above abs_name that do not exist yet. Groups are made
// one by one (rather than with H5Pset_create_intermediate_group) so that each
// gets a creation property list without timestamps.
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

struct DatasetOptions {
  std::vector<hsize_t> chunk;  // empty = contiguous
  std::vector<hsize_t> maxdims;
  bool compress = false;
  hid_t fill_type = -1;  // with fill_value
  const void* fill_value = nullptr;
};

hid_t create_dataset(hid_t file, const std::string& name, hid_t type,
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
    if (options.compress) {
      check(H5Pset_shuffle(dcpl.get()), path, what);
      check(H5Pset_deflate(dcpl.get(), kDeflateLevel), path, what);
    }
  }
  return check_id(
      H5Dcreate2(file, abs_name.c_str(), type, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
      path, what);
}

// Chunking for a [rows, block...] dataset: whole blocks, several rows of
// small blocks per chunk. Empty (contiguous) if any extent is 0, since HDF5
// forbids zero chunk dimensions.
// Chunks of per-replication datasets. A compressed chunk moves whenever it is
// rewritten (its size changes), and HDF5 may reuse or overwrite the old place
// before the next flush points the index at the new one: a chunk shared by a
// committed and a later replication could be lost to a kill. So a compressed
// chunk holds one replication and is written once; small blocks share
// uncompressed chunks, which are rewritten in place with the same bytes for
// the replications already there.
struct RowChunking {
  std::vector<hsize_t> chunk;
  bool compress = false;
};

RowChunking row_chunking(const std::vector<hsize_t>& dims) {
  if (std::find(dims.begin(), dims.end(), hsize_t{0}) != dims.end()) return {};
  hsize_t block = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) block *= dims[i];
  RowChunking out{dims, stored_compressed(static_cast<std::size_t>(block))};
  out.chunk[0] =
      out.compress ? 1 : std::min(dims[0], std::max<hsize_t>(1, kSmallBlockChunkValues / block));
  return out;
}

// ---- attributes -----------------------------------------------------------

Handle open_or_create_attribute(hid_t object, const std::string& name, hid_t type, hid_t space,
                                const std::string& path) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(path, fmt::format("cannot look up attribute {}", name));
  if (exists > 0) check(H5Adelete(object, name.c_str()), path, "cannot replace attribute " + name);
  return Handle(check_id(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                         path, "cannot create attribute " + name),
                H5Aclose);
}

void write_string_attribute(hid_t object, const std::string& name, const std::string& value,
                            const std::string& path) {
  Handle type = make_vlen_string_type(path);
  Handle space = make_space({}, path);
  Handle attr = open_or_create_attribute(object, name, type.get(), space.get(), path);
  const char* text = value.c_str();
  check(H5Awrite(attr.get(), type.get(), &text), path, "cannot write attribute " + name);
}

void write_string_array_attribute(hid_t object, const std::string& name,
                                  const std::vector<std::string>& values, const std::string& path) {
  Handle type = make_vlen_string_type(path);
  Handle space = make_space({static_cast<hsize_t>(values.size())}, path);
  Handle attr = open_or_create_attribute(object, name, type.get(), space.get(), path);
  std::vector<const char*> texts;
  for (const auto& v : values) texts.push_back(v.c_str());
  if (!texts.empty()) {
    check(H5Awrite(attr.get(), type.get(), texts.data()), path, "cannot write attribute " + name);
  }
}

// A numeric scalar attribute, created once and then rewritten in place (so
// rewriting it at every commit does not grow the file).
template <typename T>
void write_number_attribute(hid_t object, const std::string& name, hid_t file_type, hid_t mem_type,
                            T value, const std::string& path) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(path, fmt::format("cannot look up attribute {}", name));
  Handle attr;
  if (exists > 0) {
    attr = Handle(
        check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), path, "cannot open attribute " + name),
        H5Aclose);
  } else {
    Handle space = make_space({}, path);
    attr = Handle(
        check_id(H5Acreate2(object, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                 path, "cannot create attribute " + name),
        H5Aclose);
  }
  check(H5Awrite(attr.get(), mem_type, &value), path, "cannot write attribute " + name);
}

bool attribute_exists(hid_t object, const std::string& name, const std::string& path) {
  const htri_t exists = H5Aexists(object, name.c_str());
  if (exists < 0) fail(path, fmt::format("cannot look up attribute {}", name));
  return exists > 0;
}

template <typename T>
T read_number_attribute(hid_t object, const std::string& name, hid_t mem_type,
                        const std::string& path) {
  Handle attr(
      check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), path, "missing root attribute " + name),
      H5Aclose);
  T value{};
  check(H5Aread(attr.get(), mem_type, &value), path, "cannot read attribute " + name);
  return value;
}

std::vector<std::string> read_string_attribute_values(hid_t object, const std::string& name,
                                                      const std::string& path) {
  const std::string what = "cannot read attribute " + name;
  Handle attr(
      check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), path, "missing attribute " + name),
      H5Aclose);
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
  auto values = read_string_attribute_values(object, name, path);
  if (values.size() != 1) fail(path, fmt::format("attribute {} is not a single string", name));
  return values.front();
}

herr_t collect_attribute_name(hid_t, const char* name, const H5A_info_t*, void* client) {
  static_cast<std::vector<std::string>*>(client)->emplace_back(name);
  return 0;
}

// Every scalar string attribute of an object, in name order.
std::vector<std::pair<std::string, std::string>> read_string_attributes(hid_t object,
                                                                        const std::string& path) {
  std::vector<std::string> names;
  hsize_t position = 0;
  check(H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, &position, collect_attribute_name, &names),
        path, "cannot list attributes");
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& name : names) {
    Handle attr(
        check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), path, "cannot open attribute " + name),
        H5Aclose);
    Handle type(check_id(H5Aget_type(attr.get()), path, "cannot read attribute " + name), H5Tclose);
    if (H5Tget_class(type.get()) != H5T_STRING) continue;
    const std::vector<std::string> values = read_string_attribute_values(object, name, path);
    if (values.size() == 1) out.emplace_back(name, values.front());
  }
  return out;
}

void write_counters(hid_t file, const RunAttributes& a, const std::string& path) {
  write_number_attribute(file, "replications_completed", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.replications_completed}, path);
  write_number_attribute(file, "events_processed", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.events_processed}, path);
  write_number_attribute(file, "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, a.wall_seconds,
                         path);
}

// ---- trace types ----------------------------------------------------------

// The enum of event names over an unsigned byte (values 0, 1, ...).
Handle make_event_enum(const std::vector<std::string>& names, const std::string& path) {
  Handle type(check_id(H5Tenum_create(H5T_NATIVE_UINT8), path, "cannot create the event enum"),
              H5Tclose);
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::uint8_t value = static_cast<std::uint8_t>(i);
    check(H5Tenum_insert(type.get(), names[i].c_str(), &value), path,
          fmt::format("cannot add event name '{}'", names[i]));
  }
  return type;
}

// The in-memory layout of TraceRow; `packed` gives the file layout.
Handle make_trace_type(const std::vector<std::string>& names, bool packed,
                       const std::string& path) {
  const std::string what = "cannot create the trace type";
  Handle event = make_event_enum(names, path);
  Handle type(check_id(H5Tcreate(H5T_COMPOUND, sizeof(TraceRow)), path, what), H5Tclose);
  check(H5Tinsert(type.get(), "replication", HOFFSET(TraceRow, replication), H5T_NATIVE_UINT32),
        path, what);
  check(H5Tinsert(type.get(), "time", HOFFSET(TraceRow, time), H5T_NATIVE_DOUBLE), path, what);
  check(H5Tinsert(type.get(), "agent", HOFFSET(TraceRow, agent), H5T_NATIVE_UINT64), path, what);
  check(H5Tinsert(type.get(), "event", HOFFSET(TraceRow, event), event.get()), path, what);
  check(H5Tinsert(type.get(), "role", HOFFSET(TraceRow, role), H5T_NATIVE_INT16), path, what);
  check(H5Tinsert(type.get(), "program", HOFFSET(TraceRow, program), H5T_NATIVE_INT16), path, what);
  if (packed) check(H5Tpack(type.get()), path, what);
  return type;
}

std::vector<std::string> read_event_names(hid_t trace_set, const std::string& path) {
  const std::string what = "cannot read the event names of /events";
  Handle type(check_id(H5Dget_type(trace_set), path, what), H5Tclose);
  const int index = H5Tget_member_index(type.get(), "event");
  if (index < 0) fail(path, what);
  Handle event(check_id(H5Tget_member_type(type.get(), static_cast<unsigned>(index)), path, what),
               H5Tclose);
  const int count = H5Tget_nmembers(event.get());
  if (count < 0) fail(path, what);
  std::vector<std::string> names(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    std::uint8_t value = 0;
    check(H5Tget_member_value(event.get(), static_cast<unsigned>(i), &value), path, what);
    char* name = H5Tget_member_name(event.get(), static_cast<unsigned>(i));
    if (!name || value >= names.size()) fail(path, what);
    names[value] = name;
    H5free_memory(name);
  }
  return names;
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

// Selects rows [row, row + 1) of a [rows, block...] dataset in a new file space.
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

// A summary dataset carries its series' attributes (what the values are).
void write_summary_set(hid_t file, const std::string& name, const std::vector<std::size_t>& dims,
                       const std::vector<double>& values,
                       const std::vector<std::pair<std::string, std::string>>& attributes,
                       const std::string& path) {
  const std::string abs_name = absolute(name);
  hid_t set = -1;
  if (link_exists(file, abs_name)) {
    set = check_id(H5Dopen2(file, abs_name.c_str(), H5P_DEFAULT), path,
                   "cannot open dataset " + abs_name);
  } else {
    std::vector<hsize_t> shape(dims.begin(), dims.end());
    set = create_dataset(file, abs_name, H5T_IEEE_F64LE, shape, DatasetOptions{}, path);
  }
  Handle owner(set, H5Dclose);
  if (!values.empty()) {
    check(H5Dwrite(set, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path,
          "cannot write dataset " + abs_name);
  }
  for (const auto& [key, value] : attributes) write_string_attribute(set, key, value, path);
}

bool file_exists(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0;
}

// Rejects layouts HDF5 would report obscurely.
void check_layout(const std::string& path, const OutputLayout& layout) {
  std::vector<std::string> names;
  for (const auto& s : layout.series) names.push_back(absolute(s.path));
  for (const auto& f : layout.float_datasets) names.push_back(absolute(f.first));
  for (const auto& s : layout.string_datasets) names.push_back(absolute(s.first));
  for (const auto& n : names) {
    if (n == "/") throw RuntimeError(fmt::format("{}: a dataset has an empty name", path));
  }
  std::sort(names.begin(), names.end());
  auto dup = std::adjacent_find(names.begin(), names.end());
  if (dup != names.end()) {
    throw RuntimeError(fmt::format("{}: dataset {} is declared twice", path, *dup));
  }
  if (layout.trace_event_names.size() > 256) {
    throw RuntimeError(fmt::format("{}: more than 256 trace event names", path));
  }
}

// A new HDF5 file whose root group carries no timestamps.
hid_t create_empty_file(const std::string& path, bool overwrite) {
  Handle fcpl = make_plist(H5P_FILE_CREATE, path);
  check(H5Pset_obj_track_times(fcpl.get(), 0), path, "cannot configure the file");
  return check_id(
      H5Fcreate(path.c_str(), overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL, fcpl.get(), H5P_DEFAULT),
      path, "cannot create the results file");
}

// Where a results file is built before it is renamed to its path.
std::string creating_name(const std::string& path) {
  return path + ".creating";
}

// Renames the whole file built at creating_name(path) to `path`; removes it
// if that fails.
void move_into_place(const std::string& path) {
  const std::string creating = creating_name(path);
  if (std::rename(creating.c_str(), path.c_str()) == 0) return;
  const int error = errno;
  std::remove(creating.c_str());
  throw RuntimeError(
      fmt::format("{}: cannot create the results file: {}", path, std::strerror(error)));
}

void refuse_to_overwrite(const std::string& path, bool overwrite) {
  if (!overwrite && file_exists(path))
    throw RuntimeError(fmt::format("{}: file exists; refusing to overwrite it", path));
}

}  // namespace

// ---- ResultsFile ----------------------------------------------------------

std::string ResultsFile::in_group(const std::string& name) const {
  return group_.empty() ? strip_slashes(name) : group_ + "/" + strip_slashes(name);
}

ResultsFile ResultsFile::create(const std::string& path, const OutputLayout& layout,
                                const RunAttributes& attributes, bool overwrite) {
  ErrorSilencer silence;
  refuse_to_overwrite(path, overwrite);
  check_layout(path, layout);
  // Built under another name and renamed once whole and flushed: a process
  // killed while creating it leaves no half-made file under `path` (and an
  // existing file is replaced only then).
  ResultsFile out;
  out.path_ = path;
  out.file_ = create_empty_file(creating_name(path), true);
  try {
    out.build(layout, attributes);
    move_into_place(path);
  } catch (...) {
    out.release();
    std::remove(creating_name(path).c_str());
    throw;
  }
  return out;
}

ResultsFile ResultsFile::create_in_group(const std::string& path, const std::string& group,
                                         const OutputLayout& layout,
                                         const RunAttributes& attributes) {
  ErrorSilencer silence;
  const std::string name = strip_slashes(group);
  if (name.empty()) throw RuntimeError(fmt::format("{}: a results group needs a name", path));
  check_layout(path, layout);
  ResultsFile out;
  out.path_ = path;
  out.group_ = name;
  out.file_ = check_id(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), path,
                       "cannot open the results file");
  const std::string abs_group = absolute(name);
  if (link_exists(out.file_, abs_group)) {
    throw RuntimeError(fmt::format("{}: {} exists already", path, abs_group));
  }
  ensure_parent_groups(out.file_, abs_group + "/", path);
  out.group_id_ = check_id(H5Gopen2(out.file_, abs_group.c_str(), H5P_DEFAULT), path,
                           "cannot open group " + abs_group);
  out.build(layout, attributes);
  return out;
}

void ResultsFile::build(const OutputLayout& layout, const RunAttributes& attributes) {
  const std::string& path = path_;
  ResultsFile& out = *this;
  out.layout_ = layout;
  out.compressed_ = engine::compressed_series(layout);
  out.attributes_ = attributes;
  out.attributes_.replications_completed = 0;
  out.attributes_.events_processed = 0;
  out.replications_ = static_cast<std::size_t>(attributes.replications);
  out.committed_.assign(out.replications_, 0);
  const hid_t file = out.file_;
  const hid_t owner = out.attribute_owner();

  // Root attributes (SPEC §4), in a fixed order; a group's own in a group.
  const RunAttributes& a = out.attributes_;
  write_string_attribute(owner, "wfsim_version", a.wfsim_version, path);
  write_number_attribute(owner, "schema_version", H5T_STD_I32LE, H5T_NATIVE_INT32,
                         std::int32_t{a.schema_version}, path);
  write_string_attribute(owner, "scenario_name", a.scenario_name, path);
  write_number_attribute(owner, "seed", H5T_STD_U64LE, H5T_NATIVE_UINT64, std::uint64_t{a.seed},
                         path);
  write_number_attribute(owner, "replications", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.replications}, path);
  write_number_attribute(owner, "threads", H5T_STD_I32LE, H5T_NATIVE_INT32, std::int32_t{a.threads},
                         path);
  write_number_attribute(owner, "trace_replications", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.trace_replications}, path);
  write_number_attribute(owner, "ranks", H5T_STD_I32LE, H5T_NATIVE_INT32, std::int32_t{a.ranks},
                         path);
  write_number_attribute(owner, "shard_index", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.shard_index}, path);
  write_number_attribute(owner, "shard_count", H5T_STD_U64LE, H5T_NATIVE_UINT64,
                         std::uint64_t{a.shard_count}, path);
  write_number_attribute(owner, "complete", H5T_STD_U8LE, H5T_NATIVE_UINT8, std::uint8_t{0}, path);
  write_counters(owner, a, path);
  write_string_attribute(owner, "created_utc", a.created_utc, path);
  write_string_attribute(owner, "git_sha", a.git_sha, path);
  write_string_attribute(owner, "scenario_yaml", a.scenario_yaml, path);
  // Extension: what open_existing() needs to find the series again.
  std::vector<std::string> series_paths, summary_paths;
  for (const auto& s : layout.series) {
    series_paths.push_back(strip_slashes(s.path));
    summary_paths.push_back(strip_slashes(s.summary_path));
  }
  write_string_array_attribute(owner, "series_paths", series_paths, path);
  write_string_array_attribute(owner, "summary_paths", summary_paths, path);

  const hsize_t n = out.replications_;
  {
    const std::uint8_t zero = 0;
    DatasetOptions options;
    options.chunk = row_chunking({n}).chunk;  // uncompressed: rewritten in place
    options.fill_type = H5T_NATIVE_UINT8;
    options.fill_value = &zero;
    out.status_set_ =
        create_dataset(file, out.in_group("replication_status"), H5T_STD_U8LE, {n}, options, path);
    const std::uint64_t zero64 = 0;
    options.fill_type = H5T_NATIVE_UINT64;
    options.fill_value = &zero64;
    out.events_count_set_ =
        create_dataset(file, out.in_group("replication_events"), H5T_STD_U64LE, {n}, options, path);
  }

  for (const auto& [name, values] : layout.float_datasets) {
    Handle set(create_dataset(file, out.in_group(name), H5T_IEEE_F64LE, {values.size()},
                              DatasetOptions{}, path),
               H5Dclose);
    if (!values.empty()) {
      check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
            path, "cannot write dataset " + absolute(name));
    }
  }
  for (const auto& [name, values] : layout.string_datasets) {
    Handle type = make_vlen_string_type(path);
    Handle set(create_dataset(file, out.in_group(name), type.get(), {values.size()},
                              DatasetOptions{}, path),
               H5Dclose);
    std::vector<const char*> texts;
    for (const auto& v : values) texts.push_back(v.c_str());
    if (!texts.empty()) {
      check(H5Dwrite(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), path,
            "cannot write dataset " + absolute(name));
    }
  }

  for (const auto& spec : layout.series) {
    std::vector<hsize_t> dims{n};
    dims.insert(dims.end(), spec.dims.begin(), spec.dims.end());
    DatasetOptions options;
    const RowChunking chunking = row_chunking(dims);
    options.chunk = chunking.chunk;
    options.compress = chunking.compress;
    options.fill_type = H5T_NATIVE_DOUBLE;
    options.fill_value = &kNaN;
    out.series_sets_.push_back(
        create_dataset(file, out.in_group(spec.path), H5T_IEEE_F64LE, dims, options, path));
    for (const auto& [name, value] : spec.attributes)
      write_string_attribute(out.series_sets_.back(), name, value, path);
  }

  // An empty but valid file exists on disk from here on.
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "cannot flush the results file");
}

ResultsFile ResultsFile::open_existing(const std::string& path, const std::string& group) {
  return open(path, group, false);
}

ResultsFile ResultsFile::open_read_only(const std::string& path, const std::string& group) {
  return open(path, group, true);
}

ResultsFile ResultsFile::open(const std::string& path, const std::string& group, bool read_only) {
  ErrorSilencer silence;
  ResultsFile out;
  out.path_ = path;
  out.file_ =
      check_id(H5Fopen(path.c_str(), read_only ? H5F_ACC_RDONLY : H5F_ACC_RDWR, H5P_DEFAULT), path,
               "cannot open the results file");
  const hid_t file = out.file_;
  out.group_ = strip_slashes(group);
  if (!out.group_.empty()) {
    const std::string abs_group = absolute(out.group_);
    if (!link_exists(file, abs_group)) fail(path, "no group " + abs_group);
    out.group_id_ = check_id(H5Gopen2(file, abs_group.c_str(), H5P_DEFAULT), path,
                             "cannot open group " + abs_group);
  }
  const hid_t owner = out.attribute_owner();

  RunAttributes& a = out.attributes_;
  a.wfsim_version = read_string_attribute(owner, "wfsim_version", path);
  a.scenario_name = read_string_attribute(owner, "scenario_name", path);
  a.scenario_yaml = read_string_attribute(owner, "scenario_yaml", path);
  a.git_sha = read_string_attribute(owner, "git_sha", path);
  a.created_utc = read_string_attribute(owner, "created_utc", path);
  a.schema_version =
      read_number_attribute<std::int32_t>(owner, "schema_version", H5T_NATIVE_INT32, path);
  a.seed = read_number_attribute<std::uint64_t>(owner, "seed", H5T_NATIVE_UINT64, path);
  a.replications =
      read_number_attribute<std::uint64_t>(owner, "replications", H5T_NATIVE_UINT64, path);
  a.threads = read_number_attribute<std::int32_t>(owner, "threads", H5T_NATIVE_INT32, path);
  a.wall_seconds = read_number_attribute<double>(owner, "wall_seconds", H5T_NATIVE_DOUBLE, path);
  if (attribute_exists(owner, "trace_replications", path))
    a.trace_replications =
        read_number_attribute<std::uint64_t>(owner, "trace_replications", H5T_NATIVE_UINT64, path);
  if (attribute_exists(owner, "ranks", path))
    a.ranks = read_number_attribute<std::int32_t>(owner, "ranks", H5T_NATIVE_INT32, path);
  if (attribute_exists(owner, "shard_count", path)) {
    a.shard_index =
        read_number_attribute<std::uint64_t>(owner, "shard_index", H5T_NATIVE_UINT64, path);
    a.shard_count =
        read_number_attribute<std::uint64_t>(owner, "shard_count", H5T_NATIVE_UINT64, path);
  }
  if (attribute_exists(owner, "complete", path))
    a.complete =
        read_number_attribute<std::uint8_t>(owner, "complete", H5T_NATIVE_UINT8, path) != 0;

  const std::string status_name = absolute(out.in_group("replication_status"));
  const std::string events_name = absolute(out.in_group("replication_events"));
  out.status_set_ = check_id(H5Dopen2(file, status_name.c_str(), H5P_DEFAULT), path,
                             "not a results file: no " + status_name);
  out.events_count_set_ = check_id(H5Dopen2(file, events_name.c_str(), H5P_DEFAULT), path,
                                   "not a results file: no " + events_name);
  const auto status_dims = dataset_dims(out.status_set_, path, "/replication_status");
  if (status_dims.size() != 1 || status_dims[0] != a.replications) {
    throw RuntimeError(
        fmt::format("{}: /replication_status does not match the attribute replications", path));
  }
  out.replications_ = static_cast<std::size_t>(a.replications);
  out.committed_ = out.replication_status();

  // Recount the committed replications and their events from the datasets,
  // which are authoritative should a crash have left the attributes stale.
  const std::vector<std::uint64_t> events = out.replication_events();
  for (std::size_t i = 0; i < out.replications_; ++i) {
    if (out.committed_[i]) {
      ++a.replications_completed;
      a.events_processed += events[i];
    }
  }

  const auto series_paths = read_string_attribute_values(owner, "series_paths", path);
  const auto summary_paths = read_string_attribute_values(owner, "summary_paths", path);
  if (series_paths.size() != summary_paths.size()) {
    throw RuntimeError(fmt::format("{}: series_paths and summary_paths differ in length", path));
  }
  for (std::size_t i = 0; i < series_paths.size(); ++i) {
    const std::string name = absolute(out.in_group(series_paths[i]));
    const hid_t set =
        check_id(H5Dopen2(file, name.c_str(), H5P_DEFAULT), path, "cannot open dataset " + name);
    out.series_sets_.push_back(set);
    const auto dims = dataset_dims(set, path, name);
    if (dims.empty() || dims[0] != out.replications_) {
      throw RuntimeError(fmt::format("{}: {} does not have one row per replication", path, name));
    }
    out.layout_.series.push_back({series_paths[i],
                                  std::vector<std::size_t>(dims.begin() + 1, dims.end()),
                                  summary_paths[i], read_string_attributes(set, path)});
  }
  out.compressed_ = engine::compressed_series(out.layout_);

  std::string trace_name = absolute(out.in_group("events"));
  if (!read_only) {
    out.finish_trace_swap();
  } else if (!link_exists(file, trace_name)) {
    // Killed as the sorted table was swapped in: it is the whole one.
    trace_name = absolute(out.in_group(kSortedTraceName));
  }
  if (link_exists(file, trace_name)) {
    out.trace_set_ = check_id(H5Dopen2(file, trace_name.c_str(), H5P_DEFAULT), path,
                              "cannot open dataset " + trace_name);
    out.layout_.trace_event_names = read_event_names(out.trace_set_, path);
    out.trace_type_ = make_trace_type(out.layout_.trace_event_names, false, path).release();
    out.trace_rows_ = dataset_dims(out.trace_set_, path, "/events").at(0);
  }
  return out;
}

ResultsFile::ResultsFile(ResultsFile&& other) noexcept {
  *this = std::move(other);
}

ResultsFile& ResultsFile::operator=(ResultsFile&& other) noexcept {
  if (this == &other) return *this;
  {
    ErrorSilencer silence;
    release();
  }
  path_ = std::move(other.path_);
  group_ = std::move(other.group_);
  group_id_ = std::exchange(other.group_id_, -1);
  layout_ = std::move(other.layout_);
  attributes_ = std::move(other.attributes_);
  replications_ = other.replications_;
  file_ = std::exchange(other.file_, -1);
  series_sets_ = std::move(other.series_sets_);
  other.series_sets_.clear();
  status_set_ = std::exchange(other.status_set_, -1);
  events_count_set_ = std::exchange(other.events_count_set_, -1);
  trace_set_ = std::exchange(other.trace_set_, -1);
  trace_type_ = std::exchange(other.trace_type_, -1);
  trace_rows_ = other.trace_rows_;
  pending_ = std::move(other.pending_);
  pending_events_ = std::move(other.pending_events_);
  committed_ = std::move(other.committed_);
  return *this;
}

ResultsFile::~ResultsFile() {
  try {
    close();
  } catch (...) {
    // A destructor must not throw; callers that care call close() first.
  }
}

void ResultsFile::release() noexcept {
  for (hid_t set : series_sets_) {
    if (set >= 0) H5Dclose(set);
  }
  series_sets_.clear();
  for (hid_t* set : {&status_set_, &events_count_set_, &trace_set_}) {
    if (*set >= 0) H5Dclose(*set);
    *set = -1;
  }
  if (trace_type_ >= 0) H5Tclose(trace_type_);
  trace_type_ = -1;
  if (group_id_ >= 0) H5Gclose(group_id_);
  group_id_ = -1;
  if (file_ >= 0) H5Fclose(file_);
  file_ = -1;
}

void ResultsFile::close() {
  if (file_ < 0) return;
  ErrorSilencer silence;
  const hid_t file = std::exchange(file_, -1);
  release();  // closes every dataset and type (file_ is already detached)
  if (H5Fclose(file) < 0) fail(path_, "cannot close the results file");
}

void ResultsFile::write_replication(std::size_t index, const std::vector<std::vector<double>>& data,
                                    std::uint64_t events,
                                    const std::vector<std::vector<char>>& encoded) {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  if (index >= replications_) {
    throw RuntimeError(
        fmt::format("{}: replication {} is out of range (0..{})", path_, index, replications_));
  }
  if (committed_[index]) {
    throw RuntimeError(fmt::format("{}: replication {} is already committed", path_, index));
  }
  if (data.size() != layout_.series.size()) {
    throw RuntimeError(fmt::format("{}: replication {} has {} blocks, the layout {}", path_, index,
                                   data.size(), layout_.series.size()));
  }
  auto is_encoded = [&](std::size_t i) { return i < encoded.size() && !encoded[i].empty(); };
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (is_encoded(i)) {
      if (!compressed_[i])
        throw RuntimeError(fmt::format("{}: replication {}: {} is not stored compressed", path_,
                                       index, layout_.series[i].path));
      continue;
    }
    const std::size_t expected = block_size(layout_.series[i].dims);
    if (data[i].size() != expected) {
      throw RuntimeError(fmt::format("{}: replication {}: {} has {} values, expected {}", path_,
                                     index, layout_.series[i].path, data[i].size(), expected));
    }
  }
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (is_encoded(i)) {
      // The chunk of this replication alone, as the filters would make it.
      std::vector<hsize_t> offset(layout_.series[i].dims.size() + 1, 0);
      offset[0] = index;
      check(H5Dwrite_chunk(series_sets_[i], H5P_DEFAULT, 0, offset.data(), encoded[i].size(),
                           encoded[i].data()),
            path_,
            fmt::format("cannot write replication {} of {}", index,
                        absolute(layout_.series[i].path)));
      continue;
    }
    if (data[i].empty()) continue;
    const std::string name = absolute(layout_.series[i].path);
    Handle file_space = select_row(series_sets_[i], index, path_, name);
    Handle mem_space = make_space({static_cast<hsize_t>(data[i].size())}, path_);
    check(H5Dwrite(series_sets_[i], H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(),
                   H5P_DEFAULT, data[i].data()),
          path_, fmt::format("cannot write replication {} of {}", index, name));
  }
  {
    Handle file_space = select_row(events_count_set_, index, path_, "/replication_events");
    Handle mem_space = make_space({1}, path_);
    check(H5Dwrite(events_count_set_, H5T_NATIVE_UINT64, mem_space.get(), file_space.get(),
                   H5P_DEFAULT, &events),
          path_, fmt::format("cannot write replication {} of /replication_events", index));
  }
  auto it = std::find(pending_.begin(), pending_.end(), index);
  if (it != pending_.end()) {
    pending_events_[static_cast<std::size_t>(it - pending_.begin())] = events;
  } else {
    pending_.push_back(index);
    pending_events_.push_back(events);
  }
}

void ResultsFile::append_trace(const std::vector<TraceRow>& rows) {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  const auto& names = layout_.trace_event_names;
  if (names.empty()) {
    throw RuntimeError(fmt::format("{}: tracing needs trace_event_names in the layout", path_));
  }
  for (const auto& row : rows) {
    if (row.event >= names.size()) {
      throw RuntimeError(fmt::format("{}: trace event {} has no name", path_, row.event));
    }
  }
  if (trace_set_ < 0) {
    Handle file_type = make_trace_type(names, true, path_);
    DatasetOptions options;
    options.chunk = {kTraceChunkRows};
    options.maxdims = {H5S_UNLIMITED};  // uncompressed: see row_chunking()
    trace_set_ = create_dataset(file_, in_group("events"), file_type.get(), {0}, options, path_);
    trace_type_ = make_trace_type(names, false, path_).release();
    trace_rows_ = 0;
  }
  if (rows.empty()) return;
  const hsize_t start = trace_rows_;
  const hsize_t count = rows.size();
  const hsize_t total = start + count;
  check(H5Dset_extent(trace_set_, &total), path_, "cannot extend /events");
  Handle file_space(check_id(H5Dget_space(trace_set_), path_, "cannot select in /events"),
                    H5Sclose);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        path_, "cannot select in /events");
  Handle mem_space = make_space({count}, path_);
  check(H5Dwrite(trace_set_, trace_type_, mem_space.get(), file_space.get(), H5P_DEFAULT,
                 rows.data()),
        path_, "cannot write /events");
  trace_rows_ = total;
}

void ResultsFile::commit() {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  if (!pending_.empty()) {
    std::vector<hsize_t> coords(pending_.begin(), pending_.end());
    Handle file_space(
        check_id(H5Dget_space(status_set_), path_, "cannot select in /replication_status"),
        H5Sclose);
    check(H5Sselect_elements(file_space.get(), H5S_SELECT_SET, coords.size(), coords.data()), path_,
          "cannot select in /replication_status");
    Handle mem_space = make_space({coords.size()}, path_);
    const std::vector<std::uint8_t> ones(coords.size(), 1);
    check(H5Dwrite(status_set_, H5T_NATIVE_UINT8, mem_space.get(), file_space.get(), H5P_DEFAULT,
                   ones.data()),
          path_, "cannot write /replication_status");
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      committed_[pending_[i]] = 1;
      ++attributes_.replications_completed;
      attributes_.events_processed += pending_events_[i];
    }
    pending_.clear();
    pending_events_.clear();
  }
  write_counters(attribute_owner(), attributes_, path_);
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::sync_to_disk() {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
  void* handle = nullptr;
  check(H5Fget_vfd_handle(file_, H5P_DEFAULT, &handle), path_, "cannot get the file handle");
  if (handle == nullptr || ::fsync(*static_cast<int*>(handle)) != 0) {
    throw RuntimeError(fmt::format("{}: fsync failed", path_));
  }
}

void ResultsFile::write_summaries() {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  std::vector<std::size_t> rows;  // committed replications in index order
  for (std::size_t i = 0; i < replications_; ++i) {
    if (committed_[i]) rows.push_back(i);
  }
  const std::size_t n = rows.size();
  for (std::size_t s = 0; s < layout_.series.size(); ++s) {
    const SeriesSpec& spec = layout_.series[s];
    if (strip_slashes(spec.summary_path).empty()) continue;
    const std::string name = absolute(spec.path);
    const std::size_t block = block_size(spec.dims);
    std::vector<double> mean(block), sd(block), p05(block), p50(block), p95(block);
    // Columns [c0, c1) of every committed row are held at once, column-major,
    // so that memory stays bounded however many replications there are.
    const std::size_t columns_per_pass =
        std::max<std::size_t>(1, n == 0 ? block : kSummaryBudgetValues / n);
    std::vector<double> row(block);
    std::vector<double> columns;
    Handle mem_space = make_space({static_cast<hsize_t>(block)}, path_);
    for (std::size_t c0 = 0; c0 < block; c0 += columns_per_pass) {
      const std::size_t c1 = std::min(block, c0 + columns_per_pass);
      columns.assign((c1 - c0) * n, 0.0);
      for (std::size_t k = 0; k < n; ++k) {
        Handle file_space = select_row(series_sets_[s], rows[k], path_, name);
        check(H5Dread(series_sets_[s], H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(),
                      H5P_DEFAULT, row.data()),
              path_, fmt::format("cannot read replication {} of {}", rows[k], name));
        for (std::size_t c = c0; c < c1; ++c) columns[(c - c0) * n + k] = row[c];
      }
      for (std::size_t c = c0; c < c1; ++c) {
        const Summary sum = summarize(columns.data() + (c - c0) * n, n);
        mean[c] = sum.mean;
        sd[c] = sum.sd;
        p05[c] = sum.p05;
        p50[c] = sum.p50;
        p95[c] = sum.p95;
      }
    }
    const std::string base = strip_slashes(spec.summary_path);
    write_summary_set(file_, in_group(base + "/mean"), spec.dims, mean, spec.attributes, path_);
    write_summary_set(file_, in_group(base + "/sd"), spec.dims, sd, spec.attributes, path_);
    write_summary_set(file_, in_group(base + "/p05"), spec.dims, p05, spec.attributes, path_);
    write_summary_set(file_, in_group(base + "/p50"), spec.dims, p50, spec.attributes, path_);
    write_summary_set(file_, in_group(base + "/p95"), spec.dims, p95, spec.attributes, path_);
  }
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

bool same_series(const OutputLayout& a, const OutputLayout& b) {
  if (a.series.size() != b.series.size()) return false;
  for (std::size_t s = 0; s < a.series.size(); ++s)
    if (a.series[s].path != b.series[s].path || a.series[s].dims != b.series[s].dims) return false;
  return true;
}

std::vector<char> ResultsFile::read_stored_chunk(std::size_t series, std::size_t row) const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  if (series >= series_sets_.size() || row >= replications_ || !compressed_[series])
    throw RuntimeError(fmt::format("{}: no stored chunk {} of series {}", path_, row, series));
  const std::string name = absolute(layout_.series[series].path);
  std::vector<hsize_t> offset(layout_.series[series].dims.size() + 1, 0);
  offset[0] = row;
  hsize_t size = 0;
  check(H5Dget_chunk_storage_size(series_sets_[series], offset.data(), &size), path_,
        fmt::format("cannot find replication {} of {}", row, name));
  std::vector<char> bytes(static_cast<std::size_t>(size));
  std::uint32_t filters_skipped = 0;
  check(H5Dread_chunk(series_sets_[series], H5P_DEFAULT, offset.data(), &filters_skipped,
                      bytes.data()),
        path_, fmt::format("cannot read replication {} of {}", row, name));
  if (filters_skipped != 0)
    throw RuntimeError(
        fmt::format("{}: replication {} of {} is stored unfiltered", path_, row, name));
  return bytes;
}

std::vector<std::uint64_t> ResultsFile::replication_events() const {
  ErrorSilencer silence;
  std::vector<std::uint64_t> events(replications_, 0);
  if (!events.empty()) {
    check(
        H5Dread(events_count_set_, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, events.data()),
        path_, "cannot read /replication_events");
  }
  return events;
}

void ResultsFile::mark_merged(std::uint64_t shards) {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  attributes_.shard_index = 0;
  attributes_.shard_count = 1;
  const hid_t owner = attribute_owner();
  write_number_attribute(owner, "shard_index", H5T_STD_U64LE, H5T_NATIVE_UINT64, std::uint64_t{0},
                         path_);
  write_number_attribute(owner, "shard_count", H5T_STD_U64LE, H5T_NATIVE_UINT64, std::uint64_t{1},
                         path_);
  write_number_attribute(owner, "merged_shards", H5T_STD_U64LE, H5T_NATIVE_UINT64, shards, path_);
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::set_wall_seconds(double seconds) {
  ErrorSilencer silence;
  attributes_.wall_seconds = seconds;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  write_number_attribute(attribute_owner(), "wall_seconds", H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE,
                         seconds, path_);
}

std::uint64_t ResultsFile::room_to_grow() const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  std::uint64_t room = std::numeric_limits<std::uint64_t>::max();
  std::string directory = std::filesystem::path(path_).parent_path().string();
  if (directory.empty()) directory = ".";
  struct statvfs disk {};
  if (::statvfs(directory.c_str(), &disk) == 0)
    room = static_cast<std::uint64_t>(disk.f_bavail) * disk.f_frsize;
  rlimit limit{};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    hsize_t size = 0;
    check(H5Fget_filesize(file_, &size), path_, "cannot read the file's size");
    room = std::min<std::uint64_t>(room, limit.rlim_cur > size ? limit.rlim_cur - size : 0);
  }
  return room;
}

void ResultsFile::mark_complete() {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  attributes_.complete = true;
  write_number_attribute(attribute_owner(), "complete", H5T_STD_U8LE, H5T_NATIVE_UINT8,
                         std::uint8_t{1}, path_);
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::record_failures(const std::vector<std::string>& failures) {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  const hid_t owner = attribute_owner();
  if (failures.empty()) {
    if (attribute_exists(owner, "failed_replications", path_))
      check(H5Adelete(owner, "failed_replications"), path_,
            "cannot remove attribute failed_replications");
  } else {
    write_string_array_attribute(owner, "failed_replications", failures, path_);
  }
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::set_trace_event_names(const std::vector<std::string>& names) {
  if (trace_set_ < 0) layout_.trace_event_names = names;
}

void ResultsFile::keep_committed_trace_in_order() {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  if (trace_set_ < 0) return;
  const std::vector<TraceRow> rows = read_trace();
  const auto by_replication = [](const TraceRow& a, const TraceRow& b) {
    return a.replication < b.replication;
  };
  const auto committed = [&](const TraceRow& row) {
    return row.replication < committed_.size() && committed_[row.replication] != 0;
  };
  if (std::all_of(rows.begin(), rows.end(), committed) &&
      std::is_sorted(rows.begin(), rows.end(), by_replication))
    return;
  std::vector<TraceRow> kept;
  kept.reserve(rows.size());
  std::copy_if(rows.begin(), rows.end(), std::back_inserter(kept), committed);
  std::stable_sort(kept.begin(), kept.end(), by_replication);

  // Write the new table as events_sorted, flush, then swap the links; a kill
  // in between is repaired by finish_trace_swap() on the next open.
  const std::string sorted_name = absolute(in_group(kSortedTraceName));
  if (link_exists(file_, sorted_name))
    check(H5Ldelete(file_, sorted_name.c_str(), H5P_DEFAULT), path_,
          "cannot remove " + sorted_name);
  Handle file_type = make_trace_type(layout_.trace_event_names, true, path_);
  DatasetOptions options;
  options.chunk = {kTraceChunkRows};
  options.maxdims = {H5S_UNLIMITED};  // uncompressed: see row_chunking()
  const hsize_t count = kept.size();
  Handle sorted(
      create_dataset(file_, in_group(kSortedTraceName), file_type.get(), {count}, options, path_),
      H5Dclose);
  if (count > 0)
    check(H5Dwrite(sorted.get(), trace_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, kept.data()), path_,
          "cannot write " + sorted_name);
  sorted.reset();
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
  H5Dclose(trace_set_);
  trace_set_ = -1;
  const std::string trace_name = absolute(in_group("events"));
  check(H5Ldelete(file_, trace_name.c_str(), H5P_DEFAULT), path_, "cannot remove " + trace_name);
  finish_trace_swap();
  trace_set_ = check_id(H5Dopen2(file_, trace_name.c_str(), H5P_DEFAULT), path_,
                        "cannot open dataset " + trace_name);
  trace_rows_ = count;
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::finish_trace_swap() {
  const std::string sorted_name = absolute(in_group(kSortedTraceName));
  if (!link_exists(file_, sorted_name)) return;
  const std::string trace_name = absolute(in_group("events"));
  if (link_exists(file_, trace_name)) {
    // Killed before the old table was removed: it is still whole.
    check(H5Ldelete(file_, sorted_name.c_str(), H5P_DEFAULT), path_,
          "cannot remove " + sorted_name);
  } else {
    check(H5Lmove(file_, sorted_name.c_str(), file_, trace_name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          path_, "cannot rename " + sorted_name);
  }
}

std::vector<std::uint8_t> ResultsFile::replication_status() const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  std::vector<std::uint8_t> status(replications_, 0);
  if (!status.empty()) {
    check(H5Dread(status_set_, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status.data()),
          path_, "cannot read /replication_status");
  }
  return status;
}

std::vector<double> ResultsFile::read_series(const std::string& series_path) const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  const std::string wanted = strip_slashes(series_path);
  for (std::size_t s = 0; s < layout_.series.size(); ++s) {
    if (strip_slashes(layout_.series[s].path) != wanted) continue;
    std::vector<double> values(replications_ * block_size(layout_.series[s].dims));
    if (!values.empty()) {
      check(
          H5Dread(series_sets_[s], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          path_, "cannot read " + absolute(wanted));
    }
    return values;
  }
  throw RuntimeError(fmt::format("{}: no series {}", path_, absolute(wanted)));
}

std::vector<TraceRow> ResultsFile::read_trace() const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  std::vector<TraceRow> rows(trace_set_ >= 0 ? trace_rows_ : 0);
  if (!rows.empty())
    check(H5Dread(trace_set_, trace_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), path_,
          "cannot read /events");
  return rows;
}

std::string ResultsFile::root_string_attribute(const std::string& name) const {
  ErrorSilencer silence;
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
  return read_string_attribute(attribute_owner(), name, path_);
}

void skip_hdf5_cleanup_at_exit() {
  H5dont_atexit();
}

void create_results_file(const std::string& path, const FileAdditions& additions, bool overwrite) {
  ErrorSilencer silence;
  refuse_to_overwrite(path, overwrite);
  const std::string creating = creating_name(path);
  check(H5Fclose(create_empty_file(creating, true)), creating, "cannot create the results file");
  try {
    add_to_results_file(creating, additions);
    move_into_place(path);
  } catch (...) {
    std::remove(creating.c_str());
    throw;
  }
}

void add_to_results_file(const std::string& path, const FileAdditions& additions) {
  ErrorSilencer silence;
  Handle file(check_id(H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT), path,
                       "cannot open the results file"),
              H5Fclose);
  for (const std::string& object : additions.removals) {
    const std::string name = absolute(object);
    if (link_exists(file.get(), name))
      check(H5Ldelete(file.get(), name.c_str(), H5P_DEFAULT), path, "cannot remove " + name);
  }
  for (const auto& [name, value] : additions.root_strings)
    write_string_attribute(file.get(), name, value, path);
  for (const auto& [name, values] : additions.root_string_lists)
    write_string_array_attribute(file.get(), name, values, path);
  for (const auto& [name, value] : additions.root_counts)
    write_number_attribute(file.get(), name, H5T_STD_U64LE, H5T_NATIVE_UINT64, value, path);
  for (const FloatDataset& set : additions.datasets) {
    if (set.values.size() != block_size(set.dims)) {
      throw RuntimeError(fmt::format("{}: {} has {} values for its shape", path, absolute(set.path),
                                     set.values.size()));
    }
    std::vector<hsize_t> dims(set.dims.begin(), set.dims.end());
    Handle data(create_dataset(file.get(), set.path, H5T_IEEE_F64LE, dims, DatasetOptions{}, path),
                H5Dclose);
    if (!set.values.empty()) {
      check(
          H5Dwrite(data.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, set.values.data()),
          path, "cannot write dataset " + absolute(set.path));
    }
    for (const auto& [name, value] : set.attributes)
      write_string_attribute(data.get(), name, value, path);
  }
  for (const StringDataset& set : additions.string_datasets) {
    Handle type = make_vlen_string_type(path);
    Handle data(create_dataset(file.get(), set.path, type.get(), {set.values.size()},
                               DatasetOptions{}, path),
                H5Dclose);
    std::vector<const char*> texts;
    for (const auto& v : set.values) texts.push_back(v.c_str());
    if (!texts.empty())
      check(H5Dwrite(data.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), path,
            "cannot write dataset " + absolute(set.path));
  }
  const auto open_object = [&](const std::string& object) {
    const std::string name = absolute(object);
    if (name != "/" && !link_exists(file.get(), name)) fail(path, "no object " + name);
    return Handle(
        check_id(H5Oopen(file.get(), name.c_str(), H5P_DEFAULT), path, "cannot open " + name),
        H5Oclose);
  };
  for (const ObjectFloatAttribute& a : additions.object_floats) {
    Handle owner = open_object(a.object);
    write_number_attribute(owner.get(), a.name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, a.value, path);
  }
  for (const ObjectStringListAttribute& a : additions.object_string_lists) {
    Handle owner = open_object(a.object);
    write_string_array_attribute(owner.get(), a.name, a.values, path);
  }
  check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), path, "cannot flush the results file");
}

namespace {
Handle open_for_reading(const std::string& path) {
  return Handle(check_id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), path,
                         "cannot open the results file"),
                H5Fclose);
}

// A dataset or group that must exist ("/" is the root).
Handle open_existing_object(hid_t file, const std::string& path, const std::string& object) {
  const std::string name = absolute(object);
  if (name != "/" && !link_exists(file, name)) fail(path, "no object " + name);
  return Handle(check_id(H5Oopen(file, name.c_str(), H5P_DEFAULT), path, "cannot open " + name),
                H5Oclose);
}
}  // namespace

std::vector<double> read_float_dataset(const std::string& path, const std::string& dataset) {
  ErrorSilencer silence;
  const Handle file = open_for_reading(path);
  const std::string name = absolute(dataset);
  if (!link_exists(file.get(), name)) fail(path, "no dataset " + name);
  Handle set(check_id(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), path,
                      "cannot open dataset " + name),
             H5Dclose);
  const auto dims = dataset_dims(set.get(), path, name);
  std::size_t count = 1;
  for (hsize_t d : dims) count *= static_cast<std::size_t>(d);
  std::vector<double> values(count);
  if (count > 0)
    check(H5Dread(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), path,
          "cannot read " + name);
  return values;
}

std::string read_string_attribute_of(const std::string& path, const std::string& object,
                                     const std::string& name) {
  ErrorSilencer silence;
  const Handle file = open_for_reading(path);
  const Handle owner = open_existing_object(file.get(), path, object);
  return read_string_attribute(owner.get(), name, path);
}

double read_float_attribute_of(const std::string& path, const std::string& object,
                               const std::string& name) {
  ErrorSilencer silence;
  const Handle file = open_for_reading(path);
  const Handle owner = open_existing_object(file.get(), path, object);
  return read_number_attribute<double>(owner.get(), name, H5T_NATIVE_DOUBLE, path);
}

std::vector<std::string> read_string_dataset(const std::string& path, const std::string& dataset) {
  ErrorSilencer silence;
  Handle file = open_for_reading(path);
  const std::string name = absolute(dataset);
  if (!link_exists(file.get(), name)) fail(path, "no dataset " + name);
  Handle set(check_id(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), path,
                      "cannot open dataset " + name),
             H5Dclose);
  Handle space(check_id(H5Dget_space(set.get()), path, "cannot read " + name), H5Sclose);
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  if (count < 0) fail(path, "cannot read " + name);
  std::vector<std::string> out;
  if (count == 0) return out;
  Handle type = make_vlen_string_type(path);
  std::vector<char*> texts(static_cast<std::size_t>(count), nullptr);
  check(H5Dread(set.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), path,
        "cannot read " + name);
  for (char* t : texts) out.emplace_back(t ? t : "");
  H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, texts.data());
  return out;
}

bool results_object_exists(const std::string& path, const std::string& object) {
  ErrorSilencer silence;
  Handle file = open_for_reading(path);
  return link_exists(file.get(), absolute(object));
}

std::vector<std::string> read_string_list_attribute_of(const std::string& path,
                                                       const std::string& object,
                                                       const std::string& name) {
  ErrorSilencer silence;
  const Handle file = open_for_reading(path);
  const Handle owner = open_existing_object(file.get(), path, object);
  const htri_t exists = H5Aexists(owner.get(), name.c_str());
  if (exists < 0) fail(path, "cannot look up attribute " + name);
  if (exists == 0) return {};
  return read_string_attribute_values(owner.get(), name, path);
}

namespace {
herr_t collect_group_name(hid_t parent, const char* name, const H5L_info_t*, void* client) {
  H5O_info_t info{};
  if (H5Oget_info_by_name(parent, name, &info, H5P_DEFAULT) >= 0 && info.type == H5O_TYPE_GROUP)
    static_cast<std::vector<std::string>*>(client)->push_back(name);
  return 0;
}
}  // namespace

std::vector<std::string> list_groups(const std::string& path, const std::string& group) {
  ErrorSilencer silence;
  const Handle file = open_for_reading(path);
  const std::string abs_name = absolute(group);
  std::vector<std::string> names;
  if (abs_name != "/" && !link_exists(file.get(), abs_name)) return names;
  Handle parent(check_id(H5Gopen2(file.get(), abs_name.c_str(), H5P_DEFAULT), path,
                         "cannot open group " + abs_name),
                H5Gclose);
  check(H5Literate(parent.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect_group_name, &names),
        path, "cannot list " + abs_name);
  return names;
}

}  // namespace wfsim::engine
