#include "lincheck/edn.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace lincheck {

namespace {

constexpr int kMaxDepth = 200;

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '\f'; }
bool is_delimiter(char c) {
  return is_space(c) || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '"' ||
         c == ';';
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, unsigned cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

bool parse_hex4(std::string_view s, unsigned& cp) {
  if (s.size() != 4) return false;
  cp = 0;
  for (char c : s) {
    cp <<= 4;
    if (c >= '0' && c <= '9') cp |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') cp |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') cp |= static_cast<unsigned>(c - 'A' + 10);
    else return false;
  }
  return true;
}

}  // namespace

std::string EdnReader::found() const {
  if (pos_ >= text_.size()) return "end of input";
  const char c = text_[pos_];
  if (c == '\n') return "end of line";
  if (static_cast<unsigned char>(c) < 0x20) return "control character " + std::to_string(static_cast<int>(c));
  return std::string("'") + c + "'";
}

void EdnReader::skip_space() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ';') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
    } else if (is_space(c)) {
      if (c == '\n') ++line_;
      ++pos_;
    } else {
      return;
    }
  }
}

Result<std::optional<Value>> EdnReader::next() {
  if (auto e = skip_ignorable(0)) return *e;
  if (pos_ >= text_.size()) return std::optional<Value>();
  form_line_ = line_;
  Result<Value> v = read(0);
  if (!v) return v.error();
  return std::optional<Value>(std::move(v).value());
}

std::optional<Error> EdnReader::skip_ignorable(int depth) {
  while (true) {
    skip_space();
    if (text_.substr(pos_, 2) != "#_") return std::nullopt;
    pos_ += 2;  // #_ discards the next form
    Result<Value> discarded = read(depth + 1);
    if (!discarded) return discarded.error();
  }
}

bool EdnReader::enter(char open) {
  if (skip_ignorable(0)) return false;
  if (pos_ < text_.size() && text_[pos_] == open) {
    ++pos_;
    return true;
  }
  return false;
}

bool EdnReader::at_close(char close) {
  if (skip_ignorable(0)) return false;
  if (pos_ < text_.size() && text_[pos_] == close) {
    ++pos_;
    return true;
  }
  return false;
}

Result<Value> EdnReader::read(int depth) {
  if (depth > kMaxDepth) return error("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  skip_space();
  if (pos_ >= text_.size()) return error("expected a value, found end of input");
  const char c = text_[pos_];
  switch (c) {
    case '(': ++pos_; return read_collection(')', depth, Value::Kind::List);
    case '[': ++pos_; return read_collection(']', depth, Value::Kind::List);
    case '{': ++pos_; return read_collection('}', depth, Value::Kind::Map);
    case ')': case ']': case '}': return error("unexpected '" + std::string(1, c) + "' (no open bracket)");
    case '"': return read_string();
    case '\\': return read_char();
    case '#': return read_dispatch(depth);
    default: return read_token();
  }
}

Result<Value> EdnReader::read_collection(char close, int depth, Value::Kind kind) {
  const std::size_t open_line = line_;
  std::vector<Value> items;
  while (true) {
    if (auto e = skip_ignorable(depth + 1)) return *e;
    if (pos_ >= text_.size()) {
      return Error{source_, open_line,
                   std::string("expected '") + close + "' to close the collection opened on this line, found end of input"};
    }
    if (text_[pos_] == close) {
      ++pos_;
      break;
    }
    Result<Value> item = read(depth + 1);
    if (!item) return item.error();
    items.push_back(std::move(item).value());
  }
  if (kind == Value::Kind::Map) {
    if (items.size() % 2 != 0) return Error{source_, open_line, "expected a value for every key of the map opened on this line"};
    return Value::map(std::move(items));
  }
  return Value::list(std::move(items));
}

Result<Value> EdnReader::read_string() {
  const std::size_t open_line = line_;
  ++pos_;  // opening quote
  std::string s;
  while (pos_ < text_.size() && text_[pos_] != '"') {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    if (c != '\\') {
      s.push_back(c);
      continue;
    }
    if (pos_ >= text_.size()) break;
    c = text_[pos_++];
    switch (c) {
      case 'n': s.push_back('\n'); break;
      case 't': s.push_back('\t'); break;
      case 'r': s.push_back('\r'); break;
      case 'b': s.push_back('\b'); break;
      case 'f': s.push_back('\f'); break;
      case '"': case '\\': case '/': s.push_back(c); break;
      case 'u': {
        unsigned cp = 0;
        if (!parse_hex4(text_.substr(pos_, 4), cp)) return error("expected 4 hex digits after \\u in a string");
        pos_ += 4;
        append_utf8(s, cp);
        break;
      }
      default: return error(std::string("unknown escape \\") + c + " in a string");
    }
  }
  if (pos_ >= text_.size()) {
    return Error{source_, open_line, "expected '\"' to close the string opened on this line, found end of input"};
  }
  ++pos_;  // closing quote
  return Value::string(std::move(s));
}

Result<Value> EdnReader::read_char() {
  ++pos_;  // backslash
  std::size_t end = pos_ + 1;
  while (end < text_.size() && !is_delimiter(text_[end])) ++end;
  if (pos_ >= text_.size()) return error("expected a character after '\\', found end of input");
  const std::string_view name = text_.substr(pos_, end - pos_);
  pos_ = end;
  if (name.size() == 1) return Value::string(std::string(name));
  if (name == "newline") return Value::string("\n");
  if (name == "space") return Value::string(" ");
  if (name == "tab") return Value::string("\t");
  if (name == "return") return Value::string("\r");
  unsigned cp = 0;
  if (name[0] == 'u' && parse_hex4(name.substr(1), cp)) {
    std::string s;
    append_utf8(s, cp);
    return Value::string(std::move(s));
  }
  return error("unknown character literal \\" + std::string(name));
}

Result<Value> EdnReader::read_dispatch(int depth) {
  ++pos_;  // '#'
  if (pos_ >= text_.size()) return error("expected a form after '#', found end of input");
  const char c = text_[pos_];
  if (c == '{') {
    ++pos_;
    return read_collection('}', depth, Value::Kind::List);  // a set reads as a list
  }
  if (c == '#') {  // ##Inf, ##-Inf, ##NaN
    Result<Value> sym = read_token();
    if (!sym) return sym;
    const std::string& t = sym->text();
    if (t == "#Inf") return Value::real(std::numeric_limits<double>::infinity());
    if (t == "#-Inf") return Value::real(-std::numeric_limits<double>::infinity());
    if (t == "#NaN") return Value::real(std::numeric_limits<double>::quiet_NaN());
    return error("unknown symbolic value #" + t);
  }
  // A tagged literal: #tag form. The tag's meaning does not matter to a history: keep the form.
  Result<Value> tag = read_token();
  if (!tag) return tag;
  if (tag->kind() != Value::Kind::Symbol) return error("expected a tag symbol after '#'");
  return read(depth + 1);
}

Result<Value> EdnReader::read_token() {
  const std::size_t start = pos_;
  while (pos_ < text_.size() && !is_delimiter(text_[pos_])) ++pos_;
  const std::string_view token = text_.substr(start, pos_ - start);
  if (token.empty()) return error("expected a value, found " + found());
  const bool signed_number = (token[0] == '-' || token[0] == '+') && token.size() > 1 && is_digit(token[1]);
  if (is_digit(token[0]) || signed_number) return parse_number(token);
  if (token == "nil") return Value::nil();
  if (token == "true") return Value::boolean(true);
  if (token == "false") return Value::boolean(false);
  if (token[0] == ':') {
    if (token.size() == 1) return error("expected a keyword name after ':'");
    return Value::keyword(std::string(token.substr(1)));
  }
  for (char ch : token) {
    if (static_cast<unsigned char>(ch) < 0x20) return error("unexpected control character in '" + std::string(token) + "'");
  }
  return Value::symbol(std::string(token));
}

Result<Value> EdnReader::parse_number(std::string_view token) {
  std::string t(token);
  const bool is_float = t.find_first_of(".eE") != std::string::npos || t.back() == 'M';
  if (t.back() == 'N' || t.back() == 'M') t.pop_back();
  errno = 0;
  char* end = nullptr;
  if (is_float) {
    const double d = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size()) return error("malformed number '" + std::string(token) + "'");
    return Value::real(d);
  }
  const long long i = std::strtoll(t.c_str(), &end, 10);
  if (end != t.c_str() + t.size()) return error("malformed number '" + std::string(token) + "'");
  if (errno == ERANGE) return error("integer '" + std::string(token) + "' does not fit in 64 bits");
  return Value::integer(i);
}

Result<Value> parse_edn_value(std::string_view text, const std::string& source, std::size_t line) {
  EdnReader reader(text, source);
  Result<std::optional<Value>> v = reader.next();
  if (!v) return Error{source, line, v.error().message};
  if (!v->has_value()) return Error{source, line, "expected a value, found nothing"};
  Result<std::optional<Value>> rest = reader.next();
  if (!rest) return Error{source, line, rest.error().message};
  if (rest->has_value()) return Error{source, line, "expected one value, found more: '" + std::string(text) + "'"};
  return std::move(**v);
}

}  // namespace lincheck
