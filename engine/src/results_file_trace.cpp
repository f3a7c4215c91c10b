// The event trace of a results file (/events, --trace): a chunked,
// extendible table of TraceRow whose event column is an HDF5 enum of the
// layout's trace_event_names.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "wfsim/engine/error.h"
#include "wfsim/engine/h5_primitives.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_schema.h"

namespace wfsim::engine {

using h5::absolute;
using h5::check;
using h5::check_id;
using h5::ErrorSilencer;
using h5::fail;
using h5::Handle;
namespace schema = results_schema;

namespace {

constexpr hsize_t kTraceChunkRows = 8192;

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
  const std::string what =
      fmt::format("cannot read the event names of {}", absolute(schema::kEventTrace));
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

// An empty trace table (file layout) at `name`; chunked but uncompressed, as
// the chunks are rewritten (see row_chunking() in results_file.cpp).
Handle create_trace_table(hid_t file, const std::string& name,
                          const std::vector<std::string>& names, hsize_t rows,
                          const std::string& path) {
  Handle file_type = make_trace_type(names, true, path);
  h5::DatasetOptions options;
  options.chunk = {kTraceChunkRows};
  options.maxdims = {H5S_UNLIMITED};
  return h5::create_dataset(file, name, file_type.get(), {rows}, options, path);
}

}  // namespace

void ResultsFile::open_trace(bool read_only) {
  const hid_t file = file_;
  std::string trace_name = absolute(in_group(schema::kEventTrace));
  if (!read_only) {
    finish_trace_swap();
  } else if (!h5::link_exists(file, trace_name)) {
    // Killed as the sorted table was swapped in: it is the whole one.
    trace_name = absolute(in_group(schema::kSortedEventTrace));
  }
  if (!h5::link_exists(file, trace_name)) return;
  trace_set_ = check_id(H5Dopen2(file, trace_name.c_str(), H5P_DEFAULT), path_,
                        "cannot open dataset " + trace_name);
  layout_.trace_event_names = read_event_names(trace_set_, path_);
  trace_type_ = make_trace_type(layout_.trace_event_names, false, path_).release();
  trace_rows_ = h5::dataset_dims(trace_set_, path_, absolute(schema::kEventTrace)).at(0);
}

void ResultsFile::append_trace(const std::vector<TraceRow>& rows) {
  ErrorSilencer silence;
  require_open();
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
    trace_set_ =
        create_trace_table(file_, in_group(schema::kEventTrace), names, 0, path_).release();
    trace_type_ = make_trace_type(names, false, path_).release();
    trace_rows_ = 0;
  }
  if (rows.empty()) return;
  const std::string table = absolute(schema::kEventTrace);
  const hsize_t start = trace_rows_;
  const hsize_t count = rows.size();
  const hsize_t total = start + count;
  check(H5Dset_extent(trace_set_, &total), path_, "cannot extend " + table);
  Handle file_space(check_id(H5Dget_space(trace_set_), path_, "cannot select in " + table),
                    H5Sclose);
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
        path_, "cannot select in " + table);
  Handle mem_space = h5::make_space({count}, path_);
  check(H5Dwrite(trace_set_, trace_type_, mem_space.get(), file_space.get(), H5P_DEFAULT,
                 rows.data()),
        path_, "cannot write " + table);
  trace_rows_ = total;
}

void ResultsFile::set_trace_event_names(const std::vector<std::string>& names) {
  if (trace_set_ < 0) layout_.trace_event_names = names;
}

void ResultsFile::keep_committed_trace_in_order() {
  ErrorSilencer silence;
  require_open();
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

  // Write the new table beside the old one, flush, then swap the links; a
  // kill in between is repaired by finish_trace_swap() on the next open.
  const std::string sorted_name = absolute(in_group(schema::kSortedEventTrace));
  h5::remove_link_if_present(file_, sorted_name, path_);
  const hsize_t count = kept.size();
  Handle sorted = create_trace_table(file_, sorted_name, layout_.trace_event_names, count, path_);
  if (count > 0)
    check(H5Dwrite(sorted.get(), trace_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, kept.data()), path_,
          "cannot write " + sorted_name);
  sorted.reset();
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
  H5Dclose(trace_set_);
  trace_set_ = -1;
  const std::string trace_name = absolute(in_group(schema::kEventTrace));
  check(H5Ldelete(file_, trace_name.c_str(), H5P_DEFAULT), path_, "cannot remove " + trace_name);
  finish_trace_swap();
  trace_set_ = check_id(H5Dopen2(file_, trace_name.c_str(), H5P_DEFAULT), path_,
                        "cannot open dataset " + trace_name);
  trace_rows_ = count;
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

void ResultsFile::finish_trace_swap() {
  const std::string sorted_name = absolute(in_group(schema::kSortedEventTrace));
  if (!h5::link_exists(file_, sorted_name)) return;
  const std::string trace_name = absolute(in_group(schema::kEventTrace));
  if (h5::link_exists(file_, trace_name)) {
    // Killed before the old table was removed: it is still whole.
    check(H5Ldelete(file_, sorted_name.c_str(), H5P_DEFAULT), path_,
          "cannot remove " + sorted_name);
  } else {
    check(H5Lmove(file_, sorted_name.c_str(), file_, trace_name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
          path_, "cannot rename " + sorted_name);
  }
}

std::vector<TraceRow> ResultsFile::read_trace() const {
  ErrorSilencer silence;
  require_open();
  std::vector<TraceRow> rows(trace_set_ >= 0 ? trace_rows_ : 0);
  if (!rows.empty())
    check(H5Dread(trace_set_, trace_type_, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()), path_,
          "cannot read " + absolute(schema::kEventTrace));
  return rows;
}

}  // namespace wfsim::engine
