#include "yaml_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <sstream>
#include <unordered_map>
#include <utility>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/yaml.h>

#include "wfsim/models/scenario_loader.h"

namespace wfsim::models::detail {

using engine::InputError;
using engine::SourceMark;

engine::SourceMark YamlNode::mark() const {
  return SourceMark{origin ? *origin : std::string(), line, column};
}

const YamlEntry* YamlNode::find_entry(const std::string& key) const {
  for (const YamlEntry& entry : entries)
    if (entry.key == key) return &entry;
  return nullptr;
}

const YamlNode* YamlNode::find(const std::string& key) const {
  const YamlEntry* entry = find_entry(key);
  return entry ? &entry->value : nullptr;
}

YamlNode* YamlNode::find(const std::string& key) {
  for (YamlEntry& entry : entries)
    if (entry.key == key) return &entry.value;
  return nullptr;
}

bool YamlNode::erase(const std::string& key) {
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->key == key) {
      entries.erase(it);
      return true;
    }
  }
  return false;
}

engine::SourceMark YamlEntry::key_mark() const {
  return SourceMark{key_origin ? *key_origin : std::string(), key_line, key_column};
}

ParseLimits default_parse_limits() {
  return ParseLimits{LoaderLimits::max_file_bytes, LoaderLimits::max_depth, LoaderLimits::max_nodes,
                     LoaderLimits::max_scalar_bytes};
}

bool valid_utf8(const std::string& text, std::size_t& bad_offset) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char c = bytes[i];
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      length = 2;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4;
      code = c & 0x07;
    } else {
      bad_offset = i;
      return false;
    }
    if (i + length > size) {
      bad_offset = i;
      return false;
    }
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char next = bytes[i + k];
      if ((next & 0xC0) != 0x80) {
        bad_offset = i;
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and code points beyond U+10FFFF.
    const bool overlong = (length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
                          (length == 4 && code < 0x10000);
    if (overlong || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      bad_offset = i;
      return false;
    }
    i += length;
  }
  return true;
}

namespace {

// 1-based line and column of a byte offset.
std::pair<int, int> position_of(const std::string& text, std::size_t offset) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// yaml-cpp's scanner looks ahead over a whole run of unclosed flow brackets
// (about 230 bytes of memory per '[' in the input) before the parser reports
// anything. A cheap lexical scan catches absurd flow nesting first; it skips
// comments and quoted scalars, so it can only over-count, and its threshold is
// well above the real depth limit that the event handler enforces exactly.
std::size_t absurd_flow_nesting(const std::string& text, int threshold) {
  int depth = 0;
  bool token_start = true;  // at the start of a line or after a separator
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (c == '#' && token_start) {
      while (i < size && text[i] != '\n') ++i;
      token_start = true;
      continue;
    }
    if ((c == '\'' || c == '"') && token_start) {
      const char quote = c;
      for (++i; i < size; ++i) {
        if (quote == '"' && text[i] == '\\') {
          ++i;
        } else if (text[i] == quote) {
          if (quote == '\'' && i + 1 < size && text[i + 1] == '\'') {
            ++i;
          } else {
            break;
          }
        }
      }
      token_start = false;
      continue;
    }
    if (c == '[' || c == '{') {
      if (++depth > threshold) return i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    }
    token_start = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '[' || c == '{' ||
                  c == ',' || c == ':' || c == '-';
  }
  return std::string::npos;
}

std::string describe_tag(const std::string& tag) {
  static const std::string core = "tag:yaml.org,2002:";
  if (tag.compare(0, core.size(), core) == 0) return "!!" + tag.substr(core.size());
  return tag;
}

class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& text, std::shared_ptr<const std::string> origin, bool positions,
              const ParseLimits& limits)
      : text_(text), origin_(std::move(origin)), positions_(positions), limits_(limits) {}

  int documents() const { return documents_; }
  bool has_root() const { return has_root_; }
  YamlNode& root() { return root_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents_;
    if (documents_ > 1) {
      if (!has_root_ || root_.is_null())
        fail(mark, "cannot read this as a scenario (empty, or a stray ',' or ':' at top level)");
      fail(mark, "a second YAML document starts here; a scenario file holds exactly one");
    }
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    check_anchor(mark, anchor);
    if (expecting_key()) fail(mark, "a map key is missing here");
    YamlNode node = make(YamlNode::Kind::null, mark);
    if (!explicit_null(mark) && !stack_.empty() && stack_.back().node->is_map()) {
      // An empty value (`key:`): yaml-cpp marks the next token; the key's
      // position is the useful one.
      node.line = stack_.back().key_line;
      node.column = stack_.back().key_column;
    }
    place(std::move(node), mark);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    fail(mark, "aliases (*name) are not supported in scenarios; write the value out");
  }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    fail(mark, "anchors (&" + name + ") are not supported in scenarios; write the value out");
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (value.size() > limits_.max_scalar_bytes)
      fail(mark, "a scalar of " + std::to_string(value.size()) +
                     " bytes is longer than the limit of " +
                     std::to_string(limits_.max_scalar_bytes));
    count_node(mark);
    if (expecting_key()) {
      Frame& frame = stack_.back();
      auto [it, inserted] = frame.keys.emplace(value, std::make_pair(line(mark), column(mark)));
      if (!inserted) {
        std::string first = positions_ ? "line " + std::to_string(it->second.first) + ", column " +
                                             std::to_string(it->second.second)
                                       : "earlier";
        throw InputError(SourceMark{*origin_, line(mark), column(mark)}, path(value),
                         "duplicate key \"" + value + "\" (first defined at " + first + ")");
      }
      frame.key = value;
      frame.key_line = line(mark);
      frame.key_column = column(mark);
      frame.have_key = true;
      return;
    }
    YamlNode node = make(YamlNode::Kind::scalar, mark);
    node.value = value;
    node.quoted = tag != "?";
    place(std::move(node), mark);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, style, YamlNode::Kind::sequence);
  }
  void OnSequenceEnd() override { close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    open(mark, tag, anchor, style, YamlNode::Kind::map);
  }
  void OnMapEnd() override { close(); }

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& message) const {
    throw InputError(SourceMark{*origin_, line(mark), column(mark)}, path(), message);
  }

  static constexpr std::size_t kMaxPathSteps = 8;

  // The key path of the node being read, as the loader writes it
  // (`roles[fc_associate].attrition`, `automation_waves[0]`): a list item is
  // named by its id when the id has been read already, else by its index.
  // `leaf` is a key being read that has no value yet.
  std::string path(const std::string& leaf = std::string()) const {
    std::string result;
    for (std::size_t i = 0; i < stack_.size(); ++i) {
      const Frame& frame = stack_[i];
      if (frame.key_error) break;
      if (i == kMaxPathSteps) {  // absurd nesting: its start is what locates it
        result += "...";
        break;
      }
      const bool innermost = i + 1 == stack_.size();
      if (!innermost && stack_[i + 1].key_error) break;  // inside a collection used as a key
      if (frame.node->is_map()) {
        std::string key;
        if (!innermost) {
          if (!frame.node->entries.empty()) key = frame.node->entries.back().key;
        } else if (frame.have_key) {
          key = frame.key;
        } else {
          key = leaf;
        }
        if (key.empty()) break;
        if (!result.empty()) result += '.';
        result += key;
      } else {
        const std::size_t index =
            innermost ? frame.node->items.size() : frame.node->items.size() - 1;
        std::string name = std::to_string(index);
        if (!innermost && !frame.node->items.empty() && frame.node->items.back().is_map()) {
          const YamlNode* id = frame.node->items.back().find("id");
          if (id && id->is_scalar() && !id->value.empty()) name = id->value;
        }
        result += "[" + name + "]";
      }
    }
    return result;
  }

 private:
  struct Frame {
    YamlNode* node = nullptr;
    bool have_key = false;
    std::string key;
    int key_line = 0;
    int key_column = 0;
    std::unordered_map<std::string, std::pair<int, int>> keys;  // maps: key -> first position
    bool key_error = false;                                     // a collection in key position
  };

  // Whether a null event comes from a written `~` / `null` rather than an
  // empty value.
  bool explicit_null(const YAML::Mark& mark) const {
    if (mark.pos < 0 || static_cast<std::size_t>(mark.pos) >= text_.size()) return false;
    const std::size_t pos = static_cast<std::size_t>(mark.pos);
    if (text_[pos] == '~') return true;
    for (const char* word : {"null", "Null", "NULL"})
      if (text_.compare(pos, 4, word) == 0) return true;
    return false;
  }

  int line(const YAML::Mark& mark) const { return positions_ ? mark.line + 1 : 0; }
  int column(const YAML::Mark& mark) const { return positions_ ? mark.column + 1 : 0; }

  bool expecting_key() const {
    return !stack_.empty() && stack_.back().node->is_map() && !stack_.back().have_key;
  }

  void check_anchor(const YAML::Mark& mark, YAML::anchor_t anchor) const {
    if (anchor != 0) fail(mark, "anchors (&name) are not supported in scenarios");
  }

  void check_tag(const YAML::Mark& mark, const std::string& tag) const {
    // "?" marks an untagged plain node, "!" an untagged quoted scalar.
    if (tag.empty() || tag == "?" || tag == "!") return;
    fail(mark, "explicit tags (" + describe_tag(tag) + ") are not supported in scenarios");
  }

  void count_node(const YAML::Mark& mark) {
    if (++nodes_ > limits_.max_nodes)
      fail(mark, "more than " + std::to_string(limits_.max_nodes) + " YAML nodes");
  }

  YamlNode make(YamlNode::Kind kind, const YAML::Mark& mark) {
    YamlNode node;
    node.kind = kind;
    node.origin = origin_;
    node.line = line(mark);
    node.column = column(mark);
    return node;
  }

  // Adds a finished or opening node at the current place; returns where it lives.
  YamlNode* place(YamlNode&& node, const YAML::Mark& mark) {
    if (node.kind == YamlNode::Kind::null) count_node(mark);
    if (stack_.empty()) {
      root_ = std::move(node);
      has_root_ = true;
      return &root_;
    }
    Frame& frame = stack_.back();
    if (frame.node->is_sequence()) {
      frame.node->items.push_back(std::move(node));
      return &frame.node->items.back();
    }
    YamlEntry entry;
    entry.key = std::move(frame.key);
    entry.key_origin = origin_;
    entry.key_line = frame.key_line;
    entry.key_column = frame.key_column;
    entry.value = std::move(node);
    frame.node->entries.push_back(std::move(entry));
    frame.have_key = false;
    return &frame.node->entries.back().value;
  }

  void open(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YAML::EmitterStyle::value style, YamlNode::Kind kind) {
    // A collection used as a map key is an error, reported when it closes:
    // yaml-cpp also presents an unclosed '[' or '{' as a key, and its own
    // message ("end of sequence flow not found") is the right one then.
    const bool as_key = expecting_key();
    check_anchor(mark, anchor);
    check_tag(mark, tag);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels");
    count_node(mark);
    YamlNode node = make(kind, mark);
    node.flow = style == YAML::EmitterStyle::Flow;
    Frame frame;
    if (as_key) {
      key_scratch_.push_back(std::move(node));
      frame.node = &key_scratch_.back();
      frame.key_error = true;
      frame.key_line = line(mark);
      frame.key_column = column(mark);
    } else {
      frame.node = place(std::move(node), mark);
    }
    stack_.push_back(std::move(frame));
  }

  void close() {
    if (stack_.back().key_error) {
      const Frame& frame = stack_.back();
      throw InputError(SourceMark{*origin_, frame.key_line, frame.key_column}, path(),
                       std::string("map keys must be plain strings, not a ") +
                           (frame.node->is_map() ? "map" : "list"));
    }
    stack_.pop_back();
  }

  const std::string& text_;
  std::shared_ptr<const std::string> origin_;
  bool positions_;
  ParseLimits limits_;
  std::vector<Frame> stack_;
  std::deque<YamlNode> key_scratch_;  // collections in key position (stable addresses)
  YamlNode root_;
  bool has_root_ = false;
  int documents_ = 0;
  std::size_t nodes_ = 0;
};

}  // namespace

YamlNode parse_yaml(const std::string& text, const std::string& origin, bool positions,
                    bool allow_empty, const ParseLimits& limits) {
  auto origin_ptr = std::make_shared<const std::string>(origin);
  auto fail_at = [&](std::size_t offset, const std::string& message) -> void {
    int line = 0, column = 0;
    if (positions) std::tie(line, column) = position_of(text, offset);
    throw InputError(SourceMark{origin, line, column}, "", message);
  };
  if (text.size() > limits.max_bytes)
    throw InputError(SourceMark{origin}, "",
                     "input of " + std::to_string(text.size()) +
                         " bytes is larger than the limit of " + std::to_string(limits.max_bytes) +
                         " bytes");
  // UTF-16 and UTF-32 files start with a byte order mark; name the encoding
  // rather than the NUL bytes or invalid UTF-8 that follow from it.
  for (const char* mark : {"\xFF\xFE", "\xFE\xFF", "\x00\x00\xFE\xFF"}) {
    const std::size_t size = mark[0] == '\0' ? 4 : 2;
    if (text.size() >= size && text.compare(0, size, mark, size) == 0)
      fail_at(0, std::string(size == 4 ? "UTF-32" : "UTF-16") +
                     " text (byte order mark); scenarios must be UTF-8");
  }
  const std::size_t nul = text.find('\0');
  if (nul != std::string::npos) fail_at(nul, "NUL byte in input (binary file?)");
  std::size_t bad = 0;
  if (!valid_utf8(text, bad)) fail_at(bad, "invalid UTF-8 (binary file, or not UTF-8 encoded?)");
  const std::size_t deep = absurd_flow_nesting(text, 4 * limits.max_depth);
  if (deep != std::string::npos)
    fail_at(deep, "nesting deeper than " + std::to_string(limits.max_depth) + " levels");

  std::istringstream stream(text);
  TreeBuilder builder(text, origin_ptr, positions, limits);
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const InputError&) {
    throw;
  } catch (const YAML::DeepRecursion& error) {
    throw InputError(SourceMark{origin, positions ? error.mark.line + 1 : 0,
                                positions ? error.mark.column + 1 : 0},
                     builder.path(),
                     "nesting deeper than " + std::to_string(limits.max_depth) + " levels");
  } catch (const YAML::Exception& error) {
    const bool known = !error.mark.is_null() && positions;
    // yaml-cpp resolves an alias before reporting it: one whose anchor is not
    // defined (any alias, since anchors are rejected first) fails in the parser.
    std::string message = "invalid YAML: " + error.msg;
    if (error.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
      std::string name = "name";
      const auto pos = static_cast<std::size_t>(error.mark.pos);
      if (!error.mark.is_null() && pos < text.size() && text[pos] == '*') {
        const std::size_t end = text.find_first_of(" \t\r\n,[]{}", pos + 1);
        name = text.substr(pos + 1, std::min<std::size_t>(end, text.size()) - pos - 1);
      }
      message = "aliases (*" + name + ") are not supported in scenarios; write the value out";
    }
    throw InputError(
        SourceMark{origin, known ? error.mark.line + 1 : 0, known ? error.mark.column + 1 : 0},
        builder.path(), message);
  } catch (const std::bad_alloc&) {
    throw InputError(SourceMark{origin}, "", "invalid YAML: out of memory while parsing");
  } catch (const std::exception& error) {
    throw InputError(SourceMark{origin}, "", std::string("invalid YAML: ") + error.what());
  }
  if (!builder.has_root() || builder.root().is_null()) {
    if (allow_empty) {
      YamlNode node;
      node.origin = origin_ptr;
      return node;
    }
    throw InputError(SourceMark{origin, positions ? 1 : 0, positions ? 1 : 0}, "",
                     "scenario is empty");
  }
  return std::move(builder.root());
}

std::string read_input_file(const std::string& path, std::size_t max_bytes) {
  const SourceMark mark{path};
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw InputError(mark, "", std::string("cannot read scenario: ") + std::strerror(errno));
  auto check_type = [&](const struct stat& st) {
    if (S_ISDIR(st.st_mode)) throw InputError(mark, "", "cannot read scenario: is a directory");
    if (S_ISFIFO(st.st_mode))
      throw InputError(mark, "", "cannot read scenario: is a FIFO, not a regular file");
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))
      throw InputError(mark, "", "cannot read scenario: is a device, not a regular file");
    if (S_ISSOCK(st.st_mode))
      throw InputError(mark, "", "cannot read scenario: is a socket, not a regular file");
    if (!S_ISREG(st.st_mode))
      throw InputError(mark, "", "cannot read scenario: not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes)
      throw InputError(mark, "",
                       "scenario file of " + std::to_string(st.st_size) +
                           " bytes is larger than the limit of " + std::to_string(max_bytes) +
                           " bytes");
  };
  check_type(info);
  // O_NONBLOCK: should the path have been swapped for a FIFO since stat, the
  // open does not hang; fstat then rejects it.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    throw InputError(mark, "", std::string("cannot read scenario: ") + std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  if (::fstat(fd, &info) != 0)
    throw InputError(mark, "", std::string("cannot read scenario: ") + std::strerror(errno));
  check_type(info);
  std::string text;
  char buffer[65536];
  for (;;) {
    const ssize_t got = ::read(fd, buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw InputError(mark, "", std::string("cannot read scenario: ") + std::strerror(errno));
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
    if (text.size() > max_bytes)
      throw InputError(
          mark, "",
          "scenario file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
  }
  return text;
}

namespace {

void emit_node(YAML::Emitter& out, const YamlNode& node) {
  switch (node.kind) {
    case YamlNode::Kind::null:
      out << YAML::Null;
      break;
    case YamlNode::Kind::scalar:
      if (node.quoted) {
        out << YAML::DoubleQuoted << node.value;
      } else {
        out << node.value;
      }
      break;
    case YamlNode::Kind::sequence:
      if (node.flow) out << YAML::Flow;
      out << YAML::BeginSeq;
      for (const YamlNode& item : node.items) emit_node(out, item);
      out << YAML::EndSeq;
      break;
    case YamlNode::Kind::map:
      if (node.flow) out << YAML::Flow;
      out << YAML::BeginMap;
      for (const YamlEntry& entry : node.entries) {
        out << YAML::Key << entry.key << YAML::Value;
        emit_node(out, entry.value);
      }
      out << YAML::EndMap;
      break;
  }
}

}  // namespace

std::string emit_yaml(const YamlNode& node) {
  YAML::Emitter out;
  out.SetIndent(2);
  emit_node(out, node);
  std::string text = out.c_str();
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

}  // namespace wfsim::models::detail
