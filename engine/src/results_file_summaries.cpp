// The summaries of a results file's series: statistics over the committed
// replications, written under each series' summary path.
#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "wfsim/engine/h5_primitives.h"
#include "wfsim/engine/results_file.h"
#include "wfsim/engine/results_schema.h"
#include "wfsim/engine/statistics.h"

namespace wfsim::engine {

using h5::absolute;
using h5::check;
using h5::check_id;
using h5::Handle;
using h5::strip_slashes;
namespace schema = results_schema;

namespace {

// Values held in memory at once by write_summaries() (64 MB of doubles).
constexpr std::size_t kSummaryBudgetValues = std::size_t{8} << 20;

// A summary dataset carries its series' attributes (what the values are).
void write_summary_set(hid_t file, const std::string& name, const std::vector<std::size_t>& dims,
                       const std::vector<double>& values,
                       const std::vector<std::pair<std::string, std::string>>& attributes,
                       const std::string& path) {
  const std::string abs_name = absolute(name);
  Handle set;
  if (h5::link_exists(file, abs_name)) {
    set = Handle(check_id(H5Dopen2(file, abs_name.c_str(), H5P_DEFAULT), path,
                          "cannot open dataset " + abs_name),
                 H5Dclose);
  } else {
    std::vector<hsize_t> shape(dims.begin(), dims.end());
    set = h5::create_dataset(file, abs_name, H5T_IEEE_F64LE, shape, h5::DatasetOptions{}, path);
  }
  if (!values.empty()) {
    check(H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
          path, "cannot write dataset " + abs_name);
  }
  for (const auto& [key, value] : attributes)
    h5::write_string_attribute(set.get(), key, value, path);
}

}  // namespace

void ResultsFile::write_summaries() {
  h5::ErrorSilencer silence;
  require_open();
  std::vector<std::size_t> rows;  // committed replications in index order
  for (std::size_t i = 0; i < replications_; ++i) {
    if (committed_[i]) rows.push_back(i);
  }
  const std::size_t n = rows.size();
  for (std::size_t s = 0; s < layout_.series.size(); ++s) {
    const SeriesSpec& spec = layout_.series[s];
    if (strip_slashes(spec.summary_path).empty()) continue;
    const std::string name = absolute(spec.path);
    const std::size_t block = h5::block_size(spec.dims);
    std::vector<double> mean(block), sd(block), p05(block), p50(block), p95(block);
    // Columns [c0, c1) of every committed row are held at once, column-major,
    // so that memory stays bounded however many replications there are.
    const std::size_t columns_per_pass =
        std::max<std::size_t>(1, n == 0 ? block : kSummaryBudgetValues / n);
    std::vector<double> row(block);
    std::vector<double> columns;
    Handle mem_space = h5::make_space({static_cast<hsize_t>(block)}, path_);
    for (std::size_t c0 = 0; c0 < block; c0 += columns_per_pass) {
      const std::size_t c1 = std::min(block, c0 + columns_per_pass);
      columns.assign((c1 - c0) * n, 0.0);
      for (std::size_t k = 0; k < n; ++k) {
        Handle file_space = h5::select_row(series_sets_[s], rows[k], path_, name);
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
    // In the order of results_schema::kSummaryStatistics.
    const std::string base = strip_slashes(spec.summary_path) + "/";
    const std::vector<double>* statistics[] = {&mean, &sd, &p05, &p50, &p95};
    static_assert(std::size(statistics) == std::size(schema::kSummaryStatistics));
    for (std::size_t k = 0; k < std::size(statistics); ++k)
      write_summary_set(file_, in_group(base + schema::kSummaryStatistics[k]), spec.dims,
                        *statistics[k], spec.attributes, path_);
  }
  check(H5Fflush(file_, H5F_SCOPE_GLOBAL), path_, "cannot flush the results file");
}

}  // namespace wfsim::engine
