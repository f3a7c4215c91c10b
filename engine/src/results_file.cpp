#include "wfsim/engine/results_file.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>

#include <fmt/format.h>

#include "wfsim/engine/chunk_encoding.h"
#include "wfsim/engine/error.h"
#include "wfsim/engine/h5_primitives.h"
#include "wfsim/engine/results_format.h"
#include "wfsim/engine/results_schema.h"

namespace wfsim::engine {

using h5::absolute;
using h5::check;
using h5::check_id;
using h5::ErrorSilencer;
using h5::fail;
using h5::Handle;
using h5::strip_slashes;
namespace schema = results_schema;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr hsize_t kSmallBlockChunkValues = 4096;  // chunk target for scalars and small blocks

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

void flush(hid_t file, const std::string& path) {
  check(H5Fflush(file, H5F_SCOPE_GLOBAL), path, "cannot flush the results file");
}

// ---- the attributes of a results group ------------------------------------

void write_counters(hid_t owner, const RunAttributes& a, const std::string& path) {
  h5::write_number_attribute(owner, schema::kReplicationsCompleted,
                             std::uint64_t{a.replications_completed}, path);
  h5::write_number_attribute(owner, schema::kEventsProcessed, std::uint64_t{a.events_processed},
                             path);
  h5::write_number_attribute(owner, schema::kWallSeconds, a.wall_seconds, path);
}

// Every attribute of a new results group, in a fixed order.
void write_run_attributes(hid_t owner, const RunAttributes& a, const OutputLayout& layout,
                          const std::string& path) {
  h5::write_string_attribute(owner, schema::kWfsimVersion, a.wfsim_version, path);
  h5::write_number_attribute(owner, schema::kSchemaVersion, std::int32_t{a.schema_version}, path);
  h5::write_string_attribute(owner, schema::kScenarioName, a.scenario_name, path);
  h5::write_number_attribute(owner, schema::kSeed, std::uint64_t{a.seed}, path);
  h5::write_number_attribute(owner, schema::kReplications, std::uint64_t{a.replications}, path);
  h5::write_number_attribute(owner, schema::kThreads, std::int32_t{a.threads}, path);
  h5::write_number_attribute(owner, schema::kTraceReplications, std::uint64_t{a.trace_replications},
                             path);
  h5::write_number_attribute(owner, schema::kRanks, std::int32_t{a.ranks}, path);
  h5::write_number_attribute(owner, schema::kShardIndex, std::uint64_t{a.shard_index}, path);
  h5::write_number_attribute(owner, schema::kShardCount, std::uint64_t{a.shard_count}, path);
  h5::write_number_attribute(owner, schema::kComplete, std::uint8_t{0}, path);
  write_counters(owner, a, path);
  h5::write_string_attribute(owner, schema::kCreatedUtc, a.created_utc, path);
  h5::write_string_attribute(owner, schema::kGitSha, a.git_sha, path);
  h5::write_string_attribute(owner, schema::kScenarioYaml, a.scenario_yaml, path);
  // What open_existing() needs to find the series again.
  std::vector<std::string> series_paths, summary_paths;
  for (const auto& s : layout.series) {
    series_paths.push_back(strip_slashes(s.path));
    summary_paths.push_back(strip_slashes(s.summary_path));
  }
  h5::write_string_list_attribute(owner, schema::kSeriesPaths, series_paths, path);
  h5::write_string_list_attribute(owner, schema::kSummaryPaths, summary_paths, path);
}

// The attributes of an existing results group but the counters, which the
// caller recounts from the datasets. Those added since the first files are
// optional.
RunAttributes read_run_attributes(hid_t owner, const std::string& path) {
  RunAttributes a;
  a.wfsim_version = h5::read_string_attribute(owner, schema::kWfsimVersion, path);
  a.scenario_name = h5::read_string_attribute(owner, schema::kScenarioName, path);
  a.scenario_yaml = h5::read_string_attribute(owner, schema::kScenarioYaml, path);
  a.git_sha = h5::read_string_attribute(owner, schema::kGitSha, path);
  a.created_utc = h5::read_string_attribute(owner, schema::kCreatedUtc, path);
  a.schema_version = h5::read_number_attribute<std::int32_t>(owner, schema::kSchemaVersion, path);
  a.seed = h5::read_number_attribute<std::uint64_t>(owner, schema::kSeed, path);
  a.replications = h5::read_number_attribute<std::uint64_t>(owner, schema::kReplications, path);
  a.threads = h5::read_number_attribute<std::int32_t>(owner, schema::kThreads, path);
  a.wall_seconds = h5::read_number_attribute<double>(owner, schema::kWallSeconds, path);
  if (h5::attribute_exists(owner, schema::kTraceReplications, path))
    a.trace_replications =
        h5::read_number_attribute<std::uint64_t>(owner, schema::kTraceReplications, path);
  if (h5::attribute_exists(owner, schema::kRanks, path))
    a.ranks = h5::read_number_attribute<std::int32_t>(owner, schema::kRanks, path);
  if (h5::attribute_exists(owner, schema::kShardCount, path)) {
    a.shard_index = h5::read_number_attribute<std::uint64_t>(owner, schema::kShardIndex, path);
    a.shard_count = h5::read_number_attribute<std::uint64_t>(owner, schema::kShardCount, path);
  }
  if (h5::attribute_exists(owner, schema::kComplete, path))
    a.complete = h5::read_number_attribute<std::uint8_t>(owner, schema::kComplete, path) != 0;
  return a;
}

// ---- files built under another name ---------------------------------------

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

// Where a results file is built before it is renamed to its path.
std::string creating_name(const std::string& path) {
  return path + ".creating";
}

// A new results file at creating_name(path), its root stamped with the
// format version.
Handle create_results_root(const std::string& path) {
  const std::string creating = creating_name(path);
  Handle file = h5::create_empty_file(creating, true);
  write_results_format_version(file.get(), creating);
  return file;
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

bool same_series(const OutputLayout& a, const OutputLayout& b) {
  if (a.series.size() != b.series.size()) return false;
  for (std::size_t s = 0; s < a.series.size(); ++s)
    if (a.series[s].path != b.series[s].path || a.series[s].dims != b.series[s].dims) return false;
  return true;
}

// ---- making and opening ---------------------------------------------------

std::string ResultsFile::in_group(const std::string& name) const {
  return group_.empty() ? strip_slashes(name) : group_ + "/" + strip_slashes(name);
}

void ResultsFile::require_open() const {
  if (file_ < 0) throw RuntimeError(fmt::format("{}: the results file is closed", path_));
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
  try {
    out.file_ = create_results_root(path).release();
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
  out.file_ = open_results_file(path, true).release();
  const std::string abs_group = absolute(name);
  if (h5::link_exists(out.file_, abs_group)) {
    throw RuntimeError(fmt::format("{}: {} exists already", path, abs_group));
  }
  h5::ensure_parent_groups(out.file_, abs_group + "/", path);
  out.group_id_ = check_id(H5Gopen2(out.file_, abs_group.c_str(), H5P_DEFAULT), path,
                           "cannot open group " + abs_group);
  out.build(layout, attributes);
  return out;
}

void ResultsFile::build(const OutputLayout& layout, const RunAttributes& attributes) {
  const std::string& path = path_;
  layout_ = layout;
  compressed_ = engine::compressed_series(layout);
  attributes_ = attributes;
  attributes_.replications_completed = 0;
  attributes_.events_processed = 0;
  replications_ = static_cast<std::size_t>(attributes.replications);
  committed_.assign(replications_, 0);
  const hid_t file = file_;
  write_run_attributes(attribute_owner(), attributes_, layout, path);

  const hsize_t n = replications_;
  {
    const std::uint8_t zero = 0;
    h5::DatasetOptions options;
    options.chunk = row_chunking({n}).chunk;  // uncompressed: rewritten in place
    options.fill_type = H5T_NATIVE_UINT8;
    options.fill_value = &zero;
    status_set_ = h5::create_dataset(file, in_group(schema::kReplicationStatus), H5T_STD_U8LE, {n},
                                     options, path)
                      .release();
    const std::uint64_t zero64 = 0;
    options.fill_type = H5T_NATIVE_UINT64;
    options.fill_value = &zero64;
    events_count_set_ = h5::create_dataset(file, in_group(schema::kReplicationEvents),
                                           H5T_STD_U64LE, {n}, options, path)
                            .release();
  }

  for (const auto& [name, values] : layout.float_datasets)
    h5::write_float_dataset(file, in_group(name), {values.size()}, values, path);
  for (const auto& [name, values] : layout.string_datasets)
    h5::write_string_dataset(file, in_group(name), values, path);

  for (const auto& spec : layout.series) {
    std::vector<hsize_t> dims{n};
    dims.insert(dims.end(), spec.dims.begin(), spec.dims.end());
    h5::DatasetOptions options;
    const RowChunking chunking = row_chunking(dims);
    options.chunk = chunking.chunk;
    if (chunking.compress) options.deflate_level = kDeflateLevel;
    options.fill_type = H5T_NATIVE_DOUBLE;
    options.fill_value = &kNaN;
    series_sets_.push_back(
        h5::create_dataset(file, in_group(spec.path), H5T_IEEE_F64LE, dims, options, path)
            .release());
    for (const auto& [name, value] : spec.attributes)
      h5::write_string_attribute(series_sets_.back(), name, value, path);
  }

  // An empty but valid file exists on disk from here on.
  flush(file, path);
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
  out.file_ = open_results_file(path, !read_only).release();
  const hid_t file = out.file_;
  out.group_ = strip_slashes(group);
  if (!out.group_.empty()) {
    const std::string abs_group = absolute(out.group_);
    if (!h5::link_exists(file, abs_group)) fail(path, "no group " + abs_group);
    out.group_id_ = check_id(H5Gopen2(file, abs_group.c_str(), H5P_DEFAULT), path,
                             "cannot open group " + abs_group);
  }
  const hid_t owner = out.attribute_owner();
  out.attributes_ = read_run_attributes(owner, path);
  RunAttributes& a = out.attributes_;

  const std::string status_name = absolute(out.in_group(schema::kReplicationStatus));
  const std::string events_name = absolute(out.in_group(schema::kReplicationEvents));
  out.status_set_ = check_id(H5Dopen2(file, status_name.c_str(), H5P_DEFAULT), path,
                             "not a results file: no " + status_name);
  out.events_count_set_ = check_id(H5Dopen2(file, events_name.c_str(), H5P_DEFAULT), path,
                                   "not a results file: no " + events_name);
  const std::string status_label = absolute(schema::kReplicationStatus);
  const auto status_dims = h5::dataset_dims(out.status_set_, path, status_label);
  if (status_dims.size() != 1 || status_dims[0] != a.replications) {
    throw RuntimeError(fmt::format("{}: {} does not match the attribute {}", path, status_label,
                                   schema::kReplications));
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

  const auto series_paths = h5::read_string_list_attribute(owner, schema::kSeriesPaths, path);
  const auto summary_paths = h5::read_string_list_attribute(owner, schema::kSummaryPaths, path);
  if (series_paths.size() != summary_paths.size()) {
    throw RuntimeError(fmt::format("{}: {} and {} differ in length", path, schema::kSeriesPaths,
                                   schema::kSummaryPaths));
  }
  for (std::size_t i = 0; i < series_paths.size(); ++i) {
    const std::string name = absolute(out.in_group(series_paths[i]));
    const hid_t set =
        check_id(H5Dopen2(file, name.c_str(), H5P_DEFAULT), path, "cannot open dataset " + name);
    out.series_sets_.push_back(set);
    const auto dims = h5::dataset_dims(set, path, name);
    if (dims.empty() || dims[0] != out.replications_) {
      throw RuntimeError(fmt::format("{}: {} does not have one row per replication", path, name));
    }
    out.layout_.series.push_back({series_paths[i],
                                  std::vector<std::size_t>(dims.begin() + 1, dims.end()),
                                  summary_paths[i], h5::read_string_attributes(set, path)});
  }
  out.compressed_ = engine::compressed_series(out.layout_);
  out.open_trace(read_only);
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
  compressed_ = std::move(other.compressed_);
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

// ---- rows, status and flush -----------------------------------------------

void ResultsFile::write_replication(std::size_t index, const std::vector<std::vector<double>>& data,
                                    std::uint64_t events,
                                    const std::vector<std::vector<char>>& encoded) {
  ErrorSilencer silence;
  require_open();
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
    const std::size_t expected = h5::block_size(layout_.series[i].dims);
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
    Handle file_space = h5::select_row(series_sets_[i], index, path_, name);
    Handle mem_space = h5::make_space({static_cast<hsize_t>(data[i].size())}, path_);
    check(H5Dwrite(series_sets_[i], H5T_NATIVE_DOUBLE, mem_space.get(), file_space.get(),
                   H5P_DEFAULT, data[i].data()),
          path_, fmt::format("cannot write replication {} of {}", index, name));
  }
  {
    const std::string name = absolute(schema::kReplicationEvents);
    Handle file_space = h5::select_row(events_count_set_, index, path_, name);
    Handle mem_space = h5::make_space({1}, path_);
    check(H5Dwrite(events_count_set_, H5T_NATIVE_UINT64, mem_space.get(), file_space.get(),
                   H5P_DEFAULT, &events),
          path_, fmt::format("cannot write replication {} of {}", index, name));
  }
  auto it = std::find(pending_.begin(), pending_.end(), index);
  if (it != pending_.end()) {
    pending_events_[static_cast<std::size_t>(it - pending_.begin())] = events;
  } else {
    pending_.push_back(index);
    pending_events_.push_back(events);
  }
}

void ResultsFile::commit() {
  ErrorSilencer silence;
  require_open();
  if (!pending_.empty()) {
    const std::string name = absolute(schema::kReplicationStatus);
    std::vector<hsize_t> coords(pending_.begin(), pending_.end());
    Handle file_space(check_id(H5Dget_space(status_set_), path_, "cannot select in " + name),
                      H5Sclose);
    check(H5Sselect_elements(file_space.get(), H5S_SELECT_SET, coords.size(), coords.data()), path_,
          "cannot select in " + name);
    Handle mem_space = h5::make_space({coords.size()}, path_);
    const std::vector<std::uint8_t> ones(coords.size(), 1);
    check(H5Dwrite(status_set_, H5T_NATIVE_UINT8, mem_space.get(), file_space.get(), H5P_DEFAULT,
                   ones.data()),
          path_, "cannot write " + name);
    for (std::size_t i = 0; i < pending_.size(); ++i) {
      committed_[pending_[i]] = 1;
      ++attributes_.replications_completed;
      attributes_.events_processed += pending_events_[i];
    }
    pending_.clear();
    pending_events_.clear();
  }
  write_counters(attribute_owner(), attributes_, path_);
  flush(file_, path_);
}

void ResultsFile::sync_to_disk() {
  ErrorSilencer silence;
  require_open();
  flush(file_, path_);
  void* handle = nullptr;
  check(H5Fget_vfd_handle(file_, H5P_DEFAULT, &handle), path_, "cannot get the file handle");
  if (handle == nullptr || ::fsync(*static_cast<int*>(handle)) != 0) {
    throw RuntimeError(fmt::format("{}: fsync failed", path_));
  }
}

std::uint64_t ResultsFile::room_to_grow() const {
  ErrorSilencer silence;
  require_open();
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

// ---- summaries and the group's attributes ---------------------------------

void ResultsFile::set_wall_seconds(double seconds) {
  ErrorSilencer silence;
  attributes_.wall_seconds = seconds;
  require_open();
  h5::write_number_attribute(attribute_owner(), schema::kWallSeconds, seconds, path_);
}

void ResultsFile::mark_merged(std::uint64_t shards) {
  ErrorSilencer silence;
  require_open();
  attributes_.shard_index = 0;
  attributes_.shard_count = 1;
  const hid_t owner = attribute_owner();
  h5::write_number_attribute(owner, schema::kShardIndex, std::uint64_t{0}, path_);
  h5::write_number_attribute(owner, schema::kShardCount, std::uint64_t{1}, path_);
  h5::write_number_attribute(owner, schema::kMergedShards, shards, path_);
  flush(file_, path_);
}

void ResultsFile::mark_complete() {
  ErrorSilencer silence;
  require_open();
  attributes_.complete = true;
  h5::write_number_attribute(attribute_owner(), schema::kComplete, std::uint8_t{1}, path_);
  flush(file_, path_);
}

void ResultsFile::record_failures(const std::vector<std::string>& failures) {
  ErrorSilencer silence;
  require_open();
  const hid_t owner = attribute_owner();
  const char* name = schema::kFailedReplications;
  if (failures.empty()) {
    if (h5::attribute_exists(owner, name, path_))
      check(H5Adelete(owner, name), path_, fmt::format("cannot remove attribute {}", name));
  } else {
    h5::write_string_list_attribute(owner, name, failures, path_);
  }
  flush(file_, path_);
}

// ---- reading --------------------------------------------------------------

std::vector<std::uint8_t> ResultsFile::replication_status() const {
  ErrorSilencer silence;
  require_open();
  std::vector<std::uint8_t> status(replications_, 0);
  if (!status.empty()) {
    check(H5Dread(status_set_, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, status.data()),
          path_, "cannot read " + absolute(schema::kReplicationStatus));
  }
  return status;
}

std::vector<std::uint64_t> ResultsFile::replication_events() const {
  ErrorSilencer silence;
  std::vector<std::uint64_t> events(replications_, 0);
  if (!events.empty()) {
    check(
        H5Dread(events_count_set_, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, events.data()),
        path_, "cannot read " + absolute(schema::kReplicationEvents));
  }
  return events;
}

std::vector<double> ResultsFile::read_series(const std::string& series_path) const {
  ErrorSilencer silence;
  require_open();
  const std::string wanted = strip_slashes(series_path);
  for (std::size_t s = 0; s < layout_.series.size(); ++s) {
    if (strip_slashes(layout_.series[s].path) != wanted) continue;
    std::vector<double> values(replications_ * h5::block_size(layout_.series[s].dims));
    if (!values.empty()) {
      check(
          H5Dread(series_sets_[s], H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          path_, "cannot read " + absolute(wanted));
    }
    return values;
  }
  throw RuntimeError(fmt::format("{}: no series {}", path_, absolute(wanted)));
}

std::vector<char> ResultsFile::read_stored_chunk(std::size_t series, std::size_t row) const {
  ErrorSilencer silence;
  require_open();
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

std::string ResultsFile::root_string_attribute(const std::string& name) const {
  ErrorSilencer silence;
  require_open();
  return h5::read_string_attribute(attribute_owner(), name, path_);
}

void skip_hdf5_cleanup_at_exit() {
  H5dont_atexit();
}

// ---- files of several results groups, and additions -----------------------

void create_results_file(const std::string& path, const FileAdditions& additions, bool overwrite) {
  ErrorSilencer silence;
  refuse_to_overwrite(path, overwrite);
  const std::string creating = creating_name(path);
  try {
    Handle file = create_results_root(path);
    check(H5Fclose(file.release()), creating, "cannot create the results file");
    add_to_results_file(creating, additions);
    move_into_place(path);
  } catch (...) {
    std::remove(creating.c_str());
    throw;
  }
}

void add_to_results_file(const std::string& path, const FileAdditions& additions) {
  ErrorSilencer silence;
  const Handle file = open_results_file(path, true);
  for (const std::string& object : additions.removals)
    h5::remove_link_if_present(file.get(), object, path);
  for (const auto& [name, value] : additions.root_strings)
    h5::write_string_attribute(file.get(), name, value, path);
  for (const auto& [name, values] : additions.root_string_lists)
    h5::write_string_list_attribute(file.get(), name, values, path);
  for (const auto& [name, value] : additions.root_counts)
    h5::write_number_attribute(file.get(), name, value, path);
  for (const FloatDataset& set : additions.datasets) {
    if (set.values.size() != h5::block_size(set.dims)) {
      throw RuntimeError(fmt::format("{}: {} has {} values for its shape", path, absolute(set.path),
                                     set.values.size()));
    }
    const Handle data = h5::write_float_dataset(
        file.get(), set.path, std::vector<hsize_t>(set.dims.begin(), set.dims.end()), set.values,
        path);
    for (const auto& [name, value] : set.attributes)
      h5::write_string_attribute(data.get(), name, value, path);
  }
  for (const StringDataset& set : additions.string_datasets)
    h5::write_string_dataset(file.get(), set.path, set.values, path);
  for (const ObjectFloatAttribute& a : additions.object_floats) {
    const Handle owner = h5::open_object(file.get(), a.object, path);
    h5::write_number_attribute(owner.get(), a.name, a.value, path);
  }
  for (const ObjectStringListAttribute& a : additions.object_string_lists) {
    const Handle owner = h5::open_object(file.get(), a.object, path);
    h5::write_string_list_attribute(owner.get(), a.name, a.values, path);
  }
  flush(file.get(), path);
}

}  // namespace wfsim::engine
