#include "csv_file.h"

#include <fmt/core.h>

#include <cmath>

#include "wfsim/engine/error.h"

namespace wfsim::cli {

CsvFile::CsvFile(const std::string& path) : path_(path), out_(std::fopen(path.c_str(), "w")) {
  if (out_ == nullptr) throw engine::RuntimeError(path_ + ": cannot write the CSV file");
}

CsvFile::~CsvFile() {
  if (out_ != nullptr) std::fclose(out_);
}

void CsvFile::row(const std::vector<std::string>& cells) {
  for (std::size_t c = 0; c < cells.size(); ++c) fmt::print(out_, "{}{}", c ? "," : "", cells[c]);
  fmt::print(out_, "\n");
}

void CsvFile::close() {
  std::FILE* out = out_;
  out_ = nullptr;
  if (std::ferror(out) != 0 || std::fclose(out) != 0)
    throw engine::RuntimeError(path_ + ": cannot write the CSV file");
}

std::string CsvFile::number(double value) {
  return std::isnan(value) ? std::string("n/a") : fmt::format("{}", value);
}

}  // namespace wfsim::cli
