// A reader for EDN (https://github.com/edn-format/edn), the format of Jepsen's and
// Maelstrom's history.edn and of Porcupine's kv histories. It reads the whole language we can
// meet there: nil, booleans, integers (with an optional N), floats, strings, characters,
// keywords, symbols, lists, vectors, maps, sets, tagged literals (#inst "…" reads as its
// string), #_ discards and ; comments; commas are whitespace and forms may span lines.
// Lists, vectors and sets all read as Value lists.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "lincheck/result.h"
#include "lincheck/value.h"

namespace lincheck {

class EdnReader {
 public:
  EdnReader(std::string_view text, std::string source) : text_(text), source_(std::move(source)) {}

  // The next top-level form, or nullopt at the end of the input.
  Result<std::optional<Value>> next();
  // Line on which the form last returned by next() started.
  std::size_t form_line() const { return form_line_; }
  // If the next form opens with `open` ('[' or '('), consumes that bracket and returns true:
  // the caller then reads the collection's elements with next() until at_close() is true.
  bool enter(char open);
  // At the closing bracket of an entered collection: consumes it and returns true.
  bool at_close(char close);

 private:
  Result<Value> read(int depth);
  Result<Value> read_collection(char close, int depth, Value::Kind kind);
  Result<Value> read_string();
  Result<Value> read_char();
  Result<Value> read_dispatch(int depth);
  Result<Value> read_token();
  Result<Value> parse_number(std::string_view token);
  void skip_space();
  std::optional<Error> skip_ignorable(int depth);  // whitespace, comments and #_ forms
  Error error(std::string message) const { return Error{source_, line_, std::move(message)}; }
  std::string found() const;

  std::string_view text_;
  std::string source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t form_line_ = 0;
};

// Parses text that must hold exactly one EDN form (used for values in Jepsen log lines).
Result<Value> parse_edn_value(std::string_view text, const std::string& source, std::size_t line);

}  // namespace lincheck
