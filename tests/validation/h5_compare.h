// Comparing results files dataset by dataset, as h5diff would: the tests of
// reproducibility and of interrupted and resumed runs.
#pragma once

#include <hdf5.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <iterator>
#include <string>
#include <vector>

#include "wfsim/engine/results_file.h"

namespace wfsim::testing {

struct H5File {
  hid_t id;
  explicit H5File(const std::string& path)
      : id(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT)) {}
  ~H5File() {
    if (id >= 0) H5Fclose(id);
  }
};

inline herr_t collect_dataset(hid_t group, const char* name, const H5L_info_t*, void* data) {
  const hid_t object = H5Oopen(group, name, H5P_DEFAULT);
  if (object < 0) return 0;
  if (H5Iget_type(object) == H5I_DATASET)
    static_cast<std::vector<std::string>*>(data)->push_back(name);
  H5Oclose(object);
  return 0;
}

// The path of every dataset in the file, sorted.
inline std::vector<std::string> dataset_paths(const H5File& file) {
  std::vector<std::string> paths;
  H5Lvisit(file.id, H5_INDEX_NAME, H5_ITER_INC, collect_dataset, &paths);
  std::sort(paths.begin(), paths.end());
  return paths;
}

// A dataset's contents as comparable bytes: the raw native values, or the
// strings themselves for variable-length strings.
inline std::string dataset_bytes(const H5File& file, const std::string& path) {
  const hid_t dataset = H5Dopen2(file.id, path.c_str(), H5P_DEFAULT);
  REQUIRE(dataset >= 0);
  const hid_t file_type = H5Dget_type(dataset);
  const hid_t space = H5Dget_space(dataset);
  const auto points = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
  std::string bytes;
  if (H5Tget_class(file_type) == H5T_STRING && H5Tis_variable_str(file_type) > 0) {
    const hid_t memory_type = H5Tcopy(H5T_C_S1);
    H5Tset_size(memory_type, H5T_VARIABLE);
    H5Tset_cset(memory_type, H5Tget_cset(file_type));
    std::vector<char*> strings(points, nullptr);
    if (points > 0)
      REQUIRE(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, strings.data()) >= 0);
    for (const char* s : strings) {
      bytes += s ? s : "";
      bytes += '\0';
    }
    if (points > 0) H5Dvlen_reclaim(memory_type, space, H5P_DEFAULT, strings.data());
    H5Tclose(memory_type);
  } else {
    const hid_t memory_type = H5Tget_native_type(file_type, H5T_DIR_ASCEND);
    bytes.assign(points * H5Tget_size(memory_type), '\0');
    if (points > 0)
      REQUIRE(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) >= 0);
    H5Tclose(memory_type);
  }
  H5Sclose(space);
  H5Tclose(file_type);
  H5Dclose(dataset);
  return bytes;
}

// The datasets that differ in contents, or exist in one file only.
inline std::vector<std::string> different_datasets(const std::string& a_path,
                                                   const std::string& b_path) {
  const H5File a(a_path), b(b_path);
  REQUIRE(a.id >= 0);
  REQUIRE(b.id >= 0);
  const std::vector<std::string> a_paths = dataset_paths(a), b_paths = dataset_paths(b);
  REQUIRE(a_paths.size() > 10);
  std::vector<std::string> different;
  std::set_symmetric_difference(a_paths.begin(), a_paths.end(), b_paths.begin(), b_paths.end(),
                                std::back_inserter(different));
  for (const std::string& path : a_paths)
    if (std::binary_search(b_paths.begin(), b_paths.end(), path) &&
        dataset_bytes(a, path) != dataset_bytes(b, path))
      different.push_back(path);
  return different;
}

// Every dataset of `actual` equals `expected`'s, byte for byte, and no
// dataset is in one file only; names the first that differs.
inline void require_same_datasets(const std::string& expected, const std::string& actual) {
  const std::vector<std::string> different = different_datasets(expected, actual);
  INFO(different.size() << " datasets differ, the first: "
                        << (different.empty() ? "" : different.front()));
  CHECK(different.empty());
}

// Every series of two results files, replication by replication.
inline void require_same_committed_rows(const std::string& a_path, const std::string& b_path) {
  const auto a = wfsim::engine::ResultsFile::open_existing(a_path);
  const auto b = wfsim::engine::ResultsFile::open_existing(b_path);
  const auto status = a.replication_status();
  const auto b_status = b.replication_status();
  REQUIRE(a.layout().series.size() == b.layout().series.size());
  for (const auto& spec : a.layout().series) {
    const std::vector<double> x = a.read_series(spec.path);
    const std::vector<double> y = b.read_series(spec.path);
    const std::size_t per = x.size() / status.size();
    REQUIRE(y.size() / b_status.size() == per);
    std::size_t mismatched_rows = 0;
    for (std::size_t r = 0; r < status.size(); ++r) {
      if (status[r] != 1) continue;
      REQUIRE(r < b_status.size());
      REQUIRE(b_status[r] == 1);
      if (!std::equal(x.begin() + r * per, x.begin() + (r + 1) * per, y.begin() + r * per))
        ++mismatched_rows;
    }
    INFO(spec.path);
    CHECK(mismatched_rows == 0);
  }
}

}  // namespace wfsim::testing
