#include "lincheck/parse.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "lincheck/jsonl.h"

namespace lincheck {

std::string_view to_string(Format f) {
  switch (f) {
    case Format::Auto: return "auto";
    case Format::Edn: return "edn";
    case Format::JepsenLog: return "jepsen-log";
    case Format::JsonLines: return "jsonl";
  }
  return "?";
}

std::optional<Format> format_from_string(std::string_view name) {
  if (name == "auto") return Format::Auto;
  if (name == "edn") return Format::Edn;
  if (name == "jepsen-log" || name == "jepsen") return Format::JepsenLog;
  if (name == "jsonl" || name == "json" || name == "jsonlines") return Format::JsonLines;
  return std::nullopt;
}

Semantics default_semantics(Format f) { return f == Format::JepsenLog ? Semantics::Porcupine : Semantics::Knossos; }

Result<Format> detect_format(std::string_view text, const std::string& source) {
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t eol = text.find('\n');
    const std::string_view l = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    const std::size_t b = l.find_first_not_of(" \t\r,");
    if (b == std::string_view::npos || l[b] == ';') continue;  // blank or EDN comment line
    if (l.find("jepsen.util - ") != std::string_view::npos) return Format::JepsenLog;
    const std::size_t c = l.find_first_not_of(" \t\r", b + 1);
    if (l[b] == '{' && c != std::string_view::npos && l[c] == '"') return Format::JsonLines;
    if (l[b] == '{' || l[b] == '[' || l[b] == '(' || l[b] == '#') return Format::Edn;
    return Error{source, line,
                 "cannot tell the history format: expected EDN maps ({:process 0, :type :invoke, …}), JSON lines "
                 "({\"process\": 0, …}) or Jepsen log lines (INFO jepsen.util - 0 :invoke :read nil)"};
  }
  return Format::Edn;  // nothing but blanks and comments: an empty history
}

Result<History> parse_text(std::string_view text, Format format, const std::string& source) {
  if (format == Format::Auto) {
    Result<Format> detected = detect_format(text, source);
    if (!detected) return detected.error();
    format = *detected;
  }
  switch (format) {
    case Format::JepsenLog: return parse_jepsen_log(text, source);
    case Format::JsonLines: return parse_jsonl(text, source);
    case Format::Edn:
    case Format::Auto: break;
  }
  return parse_edn_history(text, source);
}

Result<std::string> read_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error{path, 0, "is a directory, expected a history file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path, 0, std::string("cannot open: ") + std::strerror(errno)};
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Error{path, 0, "read error"};
  return buffer.str();
}

Result<History> parse_file(const std::string& path, Format format) {
  Result<std::string> text = read_file(path);
  if (!text) return text.error();
  return parse_text(*text, format, path);
}

}  // namespace lincheck
