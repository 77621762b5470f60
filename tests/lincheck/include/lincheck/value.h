// A small dynamically typed value: what a history operation carries as input and output.
//
// Histories come from EDN (Jepsen, Maelstrom, Porcupine's kv files), Jepsen console logs and
// JSON lines, so the value type is the common subset of EDN and JSON: nil, booleans,
// integers, doubles, strings, keywords, symbols, lists (EDN vectors, lists and sets) and maps.
// Models translate these values into compact internal states once, before the search
// (see model.h), so nothing here needs to be fast.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lincheck {

class Value {
 public:
  enum class Kind : std::uint8_t { Nil, Bool, Int, Double, String, Keyword, Symbol, List, Map };

  Value() = default;  // nil
  static Value nil() { return {}; }
  static Value boolean(bool b);
  static Value integer(std::int64_t i);
  static Value real(double d);
  static Value string(std::string s);
  static Value keyword(std::string name);  // name without the leading ':'
  static Value symbol(std::string name);
  static Value list(std::vector<Value> items);
  // Map entries flattened as key0, value0, key1, value1, ... (insertion order kept).
  static Value map(std::vector<Value> flat_entries);

  Kind kind() const { return kind_; }
  bool is_nil() const { return kind_ == Kind::Nil; }
  bool is_int() const { return kind_ == Kind::Int; }
  bool is_string() const { return kind_ == Kind::String; }
  bool is_keyword() const { return kind_ == Kind::Keyword; }
  bool is_keyword(std::string_view name) const { return kind_ == Kind::Keyword && text_ == name; }
  bool is_list() const { return kind_ == Kind::List; }
  bool is_map() const { return kind_ == Kind::Map; }

  bool as_bool() const { return scalar_.b; }
  std::int64_t as_int() const { return scalar_.i; }
  double as_double() const { return scalar_.d; }
  // Text of a String, Keyword or Symbol (keyword without ':').
  const std::string& text() const { return text_; }
  // Elements of a List; for a Map the flattened key/value sequence.
  const std::vector<Value>& items() const { return items_; }
  Value* get_item(std::size_t i) { return i < items_.size() ? &items_[i] : nullptr; }

  // Map lookup by keyword name (EDN histories key their maps with keywords); nullptr if absent.
  const Value* get(std::string_view keyword_name) const;
  Value* get(std::string_view keyword_name) {
    return const_cast<Value*>(static_cast<const Value&>(*this).get(keyword_name));
  }

  // EDN rendering: nil, 3, "s", :kw, [1 2], {:a 1}. Used in reports and as canonical key text.
  std::string to_edn() const;
  // Compact text for keys and reports: strings without quotes, everything else as EDN.
  std::string to_text() const;

  friend bool operator==(const Value& a, const Value& b);
  std::size_t hash() const;

 private:
  Kind kind_ = Kind::Nil;
  union {
    bool b;
    std::int64_t i;
    double d;
  } scalar_{.i = 0};
  std::string text_;
  std::vector<Value> items_;
};

struct ValueHash {
  std::size_t operator()(const Value& v) const { return v.hash(); }
};

}  // namespace lincheck
