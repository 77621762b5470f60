// Jepsen console logs (as in Porcupine's etcd tests) → History.
#include <cctype>
#include <cstdlib>

#include "event_pairer.h"
#include "lincheck/edn.h"
#include "lincheck/parse.h"

namespace lincheck {

namespace {

constexpr std::string_view kMarker = "jepsen.util - ";

// Splits off the next whitespace-separated token of `rest`.
std::string_view next_token(std::string_view& rest) {
  std::size_t b = 0;
  while (b < rest.size() && std::isspace(static_cast<unsigned char>(rest[b]))) ++b;
  std::size_t e = b;
  while (e < rest.size() && !std::isspace(static_cast<unsigned char>(rest[e]))) ++e;
  const std::string_view token = rest.substr(b, e - b);
  rest.remove_prefix(e);
  return token;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t v = 0;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size()) return std::nullopt;
  for (; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) || v > (INT64_MAX - 9) / 10) return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return s[0] == '-' ? -v : v;
}

std::optional<Error> add_line(detail::EventPairer& pairer, std::string_view rest, const std::string& source,
                              std::size_t line) {
  auto err = [&](std::string m) { return Error{source, line, std::move(m)}; };
  const std::string_view process = next_token(rest);
  if (!process.empty() && process[0] == ':') return std::nullopt;  // :nemesis events
  const std::optional<std::int64_t> p = parse_int(process);
  if (!p) return err("expected a process number after 'jepsen.util - ', found '" + std::string(process) + "'");
  const std::string_view type_tok = next_token(rest);
  const auto type = type_tok.size() > 1 && type_tok[0] == ':' ? detail::event_type(type_tok.substr(1)) : std::nullopt;
  if (!type) return err("expected :invoke, :ok, :fail or :info after the process, found '" + std::string(type_tok) + "'");
  const std::string_view f_tok = next_token(rest);
  if (f_tok.size() < 2 || f_tok[0] != ':') return err("expected an operation keyword such as :read, found '" + std::string(f_tok) + "'");
  const std::string f(f_tok.substr(1));
  Value value;
  if (rest.find_first_not_of(" \t\r") != std::string_view::npos) {
    Result<Value> v = parse_edn_value(rest, source, line);
    if (!v) return v.error();
    value = std::move(v).value();
  }
  if (*type == detail::EventType::Invoke) return pairer.invoke(*p, f, "", std::move(value), line);
  detail::EventType t = *type;
  std::string error_text;
  if (value.is_keyword()) {
    error_text = value.text();
    // Jepsen's etcd client logged reads that timed out as :fail; their outcome is unknown.
    if (t == detail::EventType::Fail && value.text() == "timed-out") t = detail::EventType::Info;
    value = Value::nil();
  }
  return pairer.complete(*p, t, f, std::move(value), std::move(error_text), line);
}

}  // namespace

Result<History> parse_jepsen_log(std::string_view text, const std::string& source) {
  detail::EventPairer pairer(source, text.size() / 80);
  std::size_t line = 0, op_lines = 0, first_text_line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t eol = text.find('\n');
    const std::string_view l = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (first_text_line == 0 && l.find_first_not_of(" \t\r") != std::string_view::npos) first_text_line = line;
    const std::size_t at = l.find(kMarker);
    if (at == std::string_view::npos) continue;  // other log output
    ++op_lines;
    if (auto e = add_line(pairer, l.substr(at + kMarker.size()), source, line)) return *e;
  }
  if (op_lines == 0 && first_text_line != 0) {
    return Error{source, first_text_line,
                 "expected Jepsen log lines 'LEVEL jepsen.util - <process> <type> <f> <value>', found none"};
  }
  return std::move(pairer).finish();
}

}  // namespace lincheck
