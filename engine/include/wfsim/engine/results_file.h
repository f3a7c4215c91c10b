// The results file: one HDF5 file per command, written by one thread,
// replication blocks stored at their index and committed in batches; results
// groups sharing one file (`compare`) and datasets added to it. Names of what
// it writes: results_schema.h; the HDF5 calls: h5_primitives.h.
//
// Crash safety: a replication's rows are written first; commit() then sets
// its /replication_status entry to 1, updates the root attributes and
// flushes the whole file (H5Fflush GLOBAL). A process killed at any point
// leaves a file that opens, and every replication whose status reads 1 was
// completely written before the flush. Unwritten float rows read as NaN. A
// new file is built under PATH.creating and renamed once whole.
//
// The writer knows nothing about what it stores: series names, shapes and
// summary locations come from the caller's OutputLayout.
//
// Byte identity: object timestamps are switched off, so two runs that make the
// same calls with the same data and attributes produce identical files.
//
// Thread safety: none. Exactly one thread may use a ResultsFile (HDF5's C
// library serialises itself with a global lock anyway).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wfsim/engine/trace.h"

namespace wfsim::engine {

// One per-replication block of float64 values, stored at /<path> with shape
// [replications, dims...].
struct SeriesSpec {
  std::string path;               // e.g. "trajectories/headcount", "totals/exits"
  std::vector<std::size_t> dims;  // per-replication shape: {T, R}; {} for a scalar; {P}
  std::string summary_path;       // e.g. "summary/headcount"; empty = no summary
  // String attributes of the dataset, (name, value), and of its summary
  // datasets; open_existing() reads them back in name order.
  std::vector<std::pair<std::string, std::string>> attributes = {};
};

struct OutputLayout;
// Whether two layouts have the same series (paths and per-replication
// shapes, in order): files or groups whose rows can be joined or resumed.
bool same_series(const OutputLayout& a, const OutputLayout& b);

struct OutputLayout {
  std::vector<SeriesSpec> series;
  // Datasets written once at creation, e.g. {"time", {...}}, {"roles", {ids}}.
  std::vector<std::pair<std::string, std::vector<double>>> float_datasets;
  std::vector<std::pair<std::string, std::vector<std::string>>> string_datasets;
  // Names of the values of TraceRow::event (the HDF5 enum); used only if tracing.
  std::vector<std::string> trace_event_names;
};

// The attributes of a results group (results_schema.h names them).
struct RunAttributes {
  std::string wfsim_version;
  std::string scenario_name;
  std::string scenario_yaml;  // the fully resolved scenario text
  std::string git_sha;
  std::string created_utc;
  int schema_version = 1;
  std::uint64_t seed = 0;
  std::uint64_t replications = 0;
  int threads = 1;
  std::uint64_t trace_replications = 0;  // --trace K: the first K replications have /events rows
  int ranks = 1;                         // MPI ranks of the process that made the file
  // --shard i/n: the file is to hold the replications r with r % n == i.
  std::uint64_t shard_index = 0;
  std::uint64_t shard_count = 1;
  // Maintained by the writer (commit(), set_wall_seconds()).
  std::uint64_t replications_completed = 0;
  std::uint64_t events_processed = 0;
  double wall_seconds = 0.0;
  // 0 until mark_complete(): a file whose process was interrupted, killed or
  // ran out of disk says so.
  bool complete = false;
};

class ResultsFile {
 public:
  // Creates the file (its root stamped with the results format version,
  // results_format.h) and every fixed dataset. Throws RuntimeError if the
  // file exists and !overwrite, or if HDF5 fails (the message names the path).
  static ResultsFile create(const std::string& path, const OutputLayout& layout,
                            const RunAttributes& attributes, bool overwrite);

  // The same inside the group `group` (e.g. "scenarios/base") of an existing
  // file: the group's attributes and datasets are what create() puts at the
  // root but the format version, which is the file's. Several results groups
  // share a file this way, one after the other (one ResultsFile open at a
  // time). Throws RuntimeError if the group exists, InputError if the file
  // is of a newer results format.
  static ResultsFile create_in_group(const std::string& path, const std::string& group,
                                     const OutputLayout& layout, const RunAttributes& attributes);

  // Opens a file written by create() for reading and writing (resume). The
  // layout's series and trace_event_names, the attributes and the status are
  // read back; pending (written but uncommitted) rows from before are ignored.
  // With a `group`, the results group made by create_in_group(). Throws
  // InputError if the file is of a newer results format.
  static ResultsFile open_existing(const std::string& path, const std::string& group = "");
  // The same for reading only (every writing call fails).
  static ResultsFile open_read_only(const std::string& path, const std::string& group = "");

  ResultsFile(ResultsFile&& other) noexcept;
  ResultsFile& operator=(ResultsFile&& other) noexcept;
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;
  ~ResultsFile();  // closes; errors are swallowed (call close() to see them)

  // Stores replication `index`'s blocks: data[i] holds the product of
  // layout.series[i].dims values, row-major, unless encoded[i] holds the
  // block's stored chunk (chunk_encoding.h; then data[i] is ignored). `events`
  // is its event count. The replication counts as done only after the next
  // commit().
  void write_replication(std::size_t index, const std::vector<std::vector<double>>& data,
                         std::uint64_t events, const std::vector<std::vector<char>>& encoded = {});

  // Appends rows to /events (created on first use: chunked, extendible).
  void append_trace(const std::vector<TraceRow>& rows);

  // Marks every replication written since the last commit as committed in
  // /replication_status, updates replications_completed and events_processed
  // and flushes the file. Readers trust a row only where its status is 1.
  void commit();

  // Forces the flushed file to stable storage (fsync). commit() alone survives
  // a killed process but not a power loss.
  void sync_to_disk();

  // Writes /<summary_path>/{mean,sd,p05,p50,p95} for every series with a
  // summary path, over the committed replications in index order (each of the
  // per-replication shape; NaN everywhere if none is committed), each with
  // the series' attributes. Reads the data back from the file one series at
  // a time with bounded memory.
  void write_summaries();

  void set_wall_seconds(double seconds);  // written to the root attribute now

  // Makes a shard's file (shard_index/shard_count) the whole run's:
  // shard_index 0, shard_count 1 and merged_shards = `shards`, written now.
  void mark_merged(std::uint64_t shards);

  // Every replication's event count (/replication_events; 0 where not written).
  std::vector<std::uint64_t> replication_events() const;

  // Bytes the file can still grow by: the free space of its file system for
  // an unprivileged user, and no more than the file-size limit (ulimit -f)
  // allows. HDF5 leaves a file that cannot be opened when a write fails, so
  // writers check this before they write rather than after.
  std::uint64_t room_to_grow() const;

  // Sets the `complete` attribute to 1 (every replication committed, the
  // summaries written) and flushes.
  void mark_complete();

  // Records replications that failed, one text each ("replication 3, seed 42:
  // what"), in the string-list attribute `failed_replications`; an empty list
  // removes it. Written at once.
  void record_failures(const std::vector<std::string>& failures);

  // Leaves /events with the rows of committed replications only, ordered by
  // replication (each replication's rows in event order), so that the table
  // does not depend on the thread count or on an interruption. The sorted
  // table is written beside the old one and swapped in, so a kill midway
  // leaves one whole table.
  void keep_committed_trace_in_order();

  // The event names of /events, for a resumed file whose trace has no rows
  // yet (open_existing() finds them only in an existing table).
  void set_trace_event_names(const std::vector<std::string>& names);

  // Closes every HDF5 object and the file. Uncommitted rows stay status 0.
  // Idempotent.
  void close();
  bool is_open() const { return file_ >= 0; }

  const std::string& path() const { return path_; }
  const OutputLayout& layout() const { return layout_; }
  // For each series of layout(), whether it is stored in compressed chunks.
  const std::vector<bool>& compressed_series() const { return compressed_; }
  const RunAttributes& attributes() const { return attributes_; }
  std::size_t replications() const { return replications_; }

  // 1 = committed, 0 = not (read from the file).
  std::vector<std::uint8_t> replication_status() const;
  // Every row of a series, flattened row-major ([replications, dims...]);
  // rows not written read as NaN. Throws RuntimeError for an unknown path.
  std::vector<double> read_series(const std::string& series_path) const;
  // The stored chunk of replication `row` of series `series` (an index into
  // layout().series), for a series stored compressed (chunk_encoding.h):
  // the bytes write_replication() takes as encoded. Throws RuntimeError.
  std::vector<char> read_stored_chunk(std::size_t series, std::size_t row) const;
  // The rows of /events (none if the file has no trace).
  std::vector<TraceRow> read_trace() const;
  // A root attribute (of the group, for a results group) that is a string
  // (throws RuntimeError if missing).
  std::string root_string_attribute(const std::string& name) const;

 private:
  ResultsFile() = default;
  static ResultsFile open(const std::string& path, const std::string& group, bool read_only);
  void build(const OutputLayout& layout, const RunAttributes& attributes);
  void release() noexcept;
  std::string in_group(const std::string& name) const;  // dataset path in the file
  std::int64_t attribute_owner() const { return group_id_ >= 0 ? group_id_ : file_; }
  void require_open() const;  // throws RuntimeError once closed
  // The /events table of an opened file, if it has one (results_file_trace.cpp).
  void open_trace(bool read_only);
  void finish_trace_swap();  // completes a keep_committed_trace_in_order() cut short

  std::string path_;
  OutputLayout layout_;
  RunAttributes attributes_;
  std::size_t replications_ = 0;
  std::int64_t file_ = -1;  // hid_t; kept as int64 so hdf5.h stays out of this header
  std::string group_;       // empty: the file's root
  std::int64_t group_id_ = -1;
  std::vector<std::int64_t> series_sets_;
  std::int64_t status_set_ = -1;
  std::int64_t events_count_set_ = -1;
  std::int64_t trace_set_ = -1;
  std::int64_t trace_type_ = -1;  // memory type of TraceRow
  std::uint64_t trace_rows_ = 0;
  std::vector<std::size_t> pending_;  // written since the last commit
  std::vector<std::uint64_t> pending_events_;
  std::vector<std::uint8_t> committed_;  // mirror of /replication_status
  std::vector<bool> compressed_;         // compressed_series(layout_)
};

// Stops HDF5 from closing open files when the process exits: after a failed
// write (a full disk) its exit handler crashes on the file it could not
// close. Call once at the start of main(), before any other HDF5 call;
// files are closed explicitly (ResultsFile::close) anyway.
void skip_hdf5_cleanup_at_exit();

struct FloatDataset {
  std::string path;               // e.g. "comparison/policy/total_cost"
  std::vector<std::size_t> dims;  // {} for a scalar
  std::vector<double> values;     // row-major, the product of dims
  std::vector<std::pair<std::string, std::string>> attributes = {};  // string attributes
};

// An attribute of a group or dataset that exists when it is written (made by
// create_in_group or among the datasets of the same FileAdditions).
struct ObjectFloatAttribute {
  std::string object;  // e.g. "points/3"
  std::string name;
  double value = 0.0;
};
struct ObjectStringListAttribute {
  std::string object;  // e.g. "sweep/table"
  std::string name;
  std::vector<std::string> values;
};

struct StringDataset {
  std::string path;  // e.g. "sensitivity/table/path"
  std::vector<std::string> values;
};

struct FileAdditions {
  // Groups or datasets removed first (those that do not exist are skipped):
  // what a resumed command computes again.
  std::vector<std::string> removals;
  std::vector<FloatDataset> datasets;
  std::vector<StringDataset> string_datasets;  // one-dimensional, UTF-8
  // Written after the datasets.
  std::vector<ObjectFloatAttribute> object_floats;
  std::vector<ObjectStringListAttribute> object_string_lists;
  std::vector<std::pair<std::string, std::string>> root_strings;
  std::vector<std::pair<std::string, std::vector<std::string>>> root_string_lists;
  std::vector<std::pair<std::string, std::uint64_t>> root_counts;
};

// Writes the datasets (creating the groups above them) and the root
// attributes into an existing file, then flushes it. Throws RuntimeError,
// or InputError if the file is of a newer results format.
void add_to_results_file(const std::string& path, const FileAdditions& additions);

// A results file that holds several results groups (create_in_group) and
// what a command computes from them (e.g. `compare`'s /comparison), made
// with `additions` in it. Like ResultsFile::create, it is built under
// PATH.creating and renamed once whole: a process killed meanwhile leaves
// nothing under `path`. Throws RuntimeError.
void create_results_file(const std::string& path, const FileAdditions& additions, bool overwrite);

}  // namespace wfsim::engine
