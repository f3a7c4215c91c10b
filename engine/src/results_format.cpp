#include "wfsim/engine/results_format.h"

#include <fmt/format.h>

#include "wfsim/engine/error.h"
#include "wfsim/engine/results_schema.h"

namespace wfsim::engine {

namespace schema = results_schema;

void write_results_format_version(hid_t file, const std::string& path) {
  h5::write_number_attribute(file, schema::kResultsFormatVersion,
                             std::int32_t{schema::kCurrentResultsFormat}, path);
}

int results_format_version(hid_t file, const std::string& path) {
  if (!h5::attribute_exists(file, schema::kResultsFormatVersion, path)) return 1;
  return h5::read_number_attribute<std::int32_t>(file, schema::kResultsFormatVersion, path);
}

h5::Handle open_results_file(const std::string& path, bool writable) {
  h5::Handle file = h5::open_file(path, writable);
  const int version = results_format_version(file.get(), path);
  if (version > schema::kCurrentResultsFormat)
    throw InputError(SourceMark{path, 0, 0}, schema::kResultsFormatVersion,
                     fmt::format("the file has results format {}, and this wfsim reads formats up "
                                 "to {}: read it with the wfsim that wrote it, or a later one",
                                 version, schema::kCurrentResultsFormat));
  return file;
}

}  // namespace wfsim::engine
