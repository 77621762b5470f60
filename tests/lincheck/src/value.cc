#include "lincheck/value.h"

#include <cstdio>

namespace lincheck {

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = Kind::Bool;
  v.scalar_.b = b;
  return v;
}

Value Value::integer(std::int64_t i) {
  Value v;
  v.kind_ = Kind::Int;
  v.scalar_.i = i;
  return v;
}

Value Value::real(double d) {
  Value v;
  v.kind_ = Kind::Double;
  v.scalar_.d = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = Kind::String;
  v.text_ = std::move(s);
  return v;
}

Value Value::keyword(std::string name) {
  Value v;
  v.kind_ = Kind::Keyword;
  v.text_ = std::move(name);
  return v;
}

Value Value::symbol(std::string name) {
  Value v;
  v.kind_ = Kind::Symbol;
  v.text_ = std::move(name);
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::List;
  v.items_ = std::move(items);
  return v;
}

Value Value::map(std::vector<Value> flat_entries) {
  Value v;
  v.kind_ = Kind::Map;
  v.items_ = std::move(flat_entries);
  return v;
}

const Value* Value::get(std::string_view keyword_name) const {
  if (kind_ != Kind::Map) return nullptr;
  for (std::size_t k = 0; k + 1 < items_.size(); k += 2) {
    if (items_[k].is_keyword(keyword_name)) return &items_[k + 1];
  }
  return nullptr;
}

namespace {

void append_escaped(std::string& out, const std::string& s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('"');
}

void append_edn(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Nil: out += "nil"; break;
    case Value::Kind::Bool: out += v.as_bool() ? "true" : "false"; break;
    case Value::Kind::Int: out += std::to_string(v.as_int()); break;
    case Value::Kind::Double: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", v.as_double());
      out += buf;
      break;
    }
    case Value::Kind::String: append_escaped(out, v.text()); break;
    case Value::Kind::Keyword: out += ':'; out += v.text(); break;
    case Value::Kind::Symbol: out += v.text(); break;
    case Value::Kind::List:
    case Value::Kind::Map: {
      const bool map = v.is_map();
      out.push_back(map ? '{' : '[');
      for (std::size_t k = 0; k < v.items().size(); ++k) {
        if (k > 0) out += (map && k % 2 == 0) ? ", " : " ";
        append_edn(out, v.items()[k]);
      }
      out.push_back(map ? '}' : ']');
      break;
    }
  }
}

std::size_t mix(std::size_t h, std::size_t x) {
  return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

}  // namespace

std::string Value::to_edn() const {
  std::string out;
  append_edn(out, *this);
  return out;
}

std::string Value::to_text() const { return kind_ == Kind::String ? text_ : to_edn(); }

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Value::Kind::Nil: return true;
    case Value::Kind::Bool: return a.scalar_.b == b.scalar_.b;
    case Value::Kind::Int: return a.scalar_.i == b.scalar_.i;
    case Value::Kind::Double: return a.scalar_.d == b.scalar_.d;
    case Value::Kind::String:
    case Value::Kind::Keyword:
    case Value::Kind::Symbol: return a.text_ == b.text_;
    case Value::Kind::List:
    case Value::Kind::Map: return a.items_ == b.items_;
  }
  return false;
}

std::size_t Value::hash() const {
  std::size_t h = static_cast<std::size_t>(kind_) * 0x100000001b3ULL;
  switch (kind_) {
    case Kind::Nil: return h;
    case Kind::Bool: return mix(h, scalar_.b ? 1 : 0);
    case Kind::Int: return mix(h, static_cast<std::size_t>(scalar_.i));
    case Kind::Double: return mix(h, std::hash<double>{}(scalar_.d));
    case Kind::String:
    case Kind::Keyword:
    case Kind::Symbol: return mix(h, std::hash<std::string>{}(text_));
    case Kind::List:
    case Kind::Map:
      for (const Value& item : items_) h = mix(h, item.hash());
      return h;
  }
  return h;
}

}  // namespace lincheck
