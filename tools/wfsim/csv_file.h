// The CSV files of `compare`, `sweep` and `sensitivity`: a row at a time,
// numbers at full precision and NaN as "n/a"; write errors become
// RuntimeError.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

namespace wfsim::cli {

class CsvFile {
 public:
  explicit CsvFile(const std::string& path);
  ~CsvFile();
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;

  void row(const std::vector<std::string>& cells);
  // Flushes and closes; throws if anything could not be written.
  void close();

  static std::string number(double value);

 private:
  std::string path_;
  std::FILE* out_;
};

}  // namespace wfsim::cli
