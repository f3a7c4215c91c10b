// The version of the results format (results_schema.h): written on the root
// of every results file when it is created, checked wherever one is opened,
// so that a reader never misreads a file laid out by a later wfsim.
#pragma once

#include <string>

#include "wfsim/engine/h5_primitives.h"

namespace wfsim::engine {

// Writes the current format version on the root of `file`.
void write_results_format_version(hid_t file, const std::string& path);

// The format version of `file`: its root attribute, or 1 for a file written
// before the attribute existed.
int results_format_version(hid_t file, const std::string& path);

// Opens an existing results file (read-only or for reading and writing).
// Throws InputError if its format version is newer than this build knows,
// RuntimeError if it cannot be opened.
h5::Handle open_results_file(const std::string& path, bool writable);

}  // namespace wfsim::engine
