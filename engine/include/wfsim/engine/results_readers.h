// Reading single datasets and attributes of an existing results file, by
// name (readers, `wfsim info` and `merge`, tests). Each call opens the file
// read-only and closes it again. A file of a newer results format is refused
// (InputError, results_format.h); any other failure throws RuntimeError
// naming the file.
#pragma once

#include <string>
#include <vector>

namespace wfsim::engine {

// Every value of a float64 dataset of any shape, row-major.
std::vector<double> read_float_dataset(const std::string& path, const std::string& dataset);
// Every string of a one-dimensional string dataset.
std::vector<std::string> read_string_dataset(const std::string& path, const std::string& dataset);
// A string attribute of a dataset or group ("/" is the root).
std::string read_string_attribute_of(const std::string& path, const std::string& object,
                                     const std::string& name);
// A numeric scalar attribute of a dataset or group, as a double. Throws
// RuntimeError if the object or the attribute is missing.
double read_float_attribute_of(const std::string& path, const std::string& object,
                               const std::string& name);
// A string attribute of any length (a list) of a dataset or group; empty if
// the object has no such attribute.
std::vector<std::string> read_string_list_attribute_of(const std::string& path,
                                                       const std::string& object,
                                                       const std::string& name);
// The names of the groups directly under `group` (none if it does not exist),
// in name order.
std::vector<std::string> list_groups(const std::string& path, const std::string& group);
// Whether a group or dataset exists in the file.
bool results_object_exists(const std::string& path, const std::string& object);

}  // namespace wfsim::engine
