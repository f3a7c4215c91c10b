#include "wfsim/engine/error.h"

namespace wfsim::engine {

std::string SourceMark::to_string() const {
  std::string text = file.empty() ? std::string("<input>") : file;
  if (line > 0) {
    text += ":" + std::to_string(line);
    if (column > 0) text += ":" + std::to_string(column);
  }
  return text;
}

namespace {
std::string format_input_error(const SourceMark& mark, const std::string& key_path,
                               const std::string& message) {
  std::string text = mark.to_string() + ": error: ";
  if (!key_path.empty()) text += key_path + ": ";
  return text + message;
}
}  // namespace

InputError::InputError(SourceMark mark, std::string key_path, std::string message)
    : std::runtime_error(format_input_error(mark, key_path, message)),
      mark_(std::move(mark)),
      key_path_(std::move(key_path)),
      detail_(std::move(message)) {}

}  // namespace wfsim::engine
