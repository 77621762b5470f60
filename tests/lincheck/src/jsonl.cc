#include "lincheck/jsonl.h"

#include <nlohmann/json.hpp>

#include "lincheck/parse.h"

namespace lincheck {

namespace {

using nlohmann::json;

json to_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Nil: return nullptr;
    case Value::Kind::Bool: return v.as_bool();
    case Value::Kind::Int: return v.as_int();
    case Value::Kind::Double: return v.as_double();
    case Value::Kind::String:
    case Value::Kind::Symbol: return v.text();
    case Value::Kind::Keyword: return ":" + v.text();
    case Value::Kind::List: {
      json a = json::array();
      for (const Value& item : v.items()) a.push_back(to_json(item));
      return a;
    }
    case Value::Kind::Map: {
      json o = json::object();
      for (std::size_t k = 0; k + 1 < v.items().size(); k += 2) o[v.items()[k].to_text()] = to_json(v.items()[k + 1]);
      return o;
    }
  }
  return nullptr;
}

Value from_json(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return Value::nil();
    case json::value_t::boolean: return Value::boolean(j.get<bool>());
    case json::value_t::number_integer: return Value::integer(j.get<std::int64_t>());
    case json::value_t::number_unsigned: {
      const auto u = j.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return Value::real(static_cast<double>(u));
      return Value::integer(static_cast<std::int64_t>(u));
    }
    case json::value_t::number_float: return Value::real(j.get<double>());
    case json::value_t::string: return Value::string(j.get<std::string>());
    case json::value_t::array: {
      std::vector<Value> items;
      for (const json& e : j) items.push_back(from_json(e));
      return Value::list(std::move(items));
    }
    case json::value_t::object: {
      std::vector<Value> flat;
      for (const auto& [k, e] : j.items()) {
        flat.push_back(Value::string(k));
        flat.push_back(from_json(e));
      }
      return Value::map(std::move(flat));
    }
    default: return Value::nil();
  }
}

std::optional<std::int64_t> integer_field(const json& o, const char* name) {
  auto it = o.find(name);
  if (it == o.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

std::optional<std::string> string_field(const json& o, const char* name) {
  auto it = o.find(name);
  if (it == o.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

Result<Operation> operation_from_json(const json& o, const std::string& source, std::size_t line) {
  auto err = [&](std::string m) { return Error{source, line, std::move(m)}; };
  if (!o.is_object()) return err("expected a JSON object (one operation per line)");
  Operation op;
  op.line = line;
  const auto process = integer_field(o, "process");
  if (!process) return err("expected \"process\": an integer");
  op.process = *process;
  const auto f = string_field(o, "f");
  if (!f || f->empty()) return err("expected \"f\": the operation name as a string, e.g. \"read\"");
  op.f = *f;
  const auto outcome = string_field(o, "outcome");
  if (outcome == "ok") op.outcome = Outcome::Ok;
  else if (outcome == "fail") op.outcome = Outcome::Fail;
  else if (outcome == "info") op.outcome = Outcome::Info;
  else return err("expected \"outcome\": \"ok\", \"fail\" or \"info\"");
  const auto call = integer_field(o, "call");
  if (!call) return err("expected \"call\": the invocation time as an integer");
  op.call = *call;
  if (op.outcome == Outcome::Info) {
    op.ret = kNever;
  } else {
    const auto ret = integer_field(o, "ret");
    if (!ret) return err("expected \"ret\": the completion time as an integer (only \"info\" ops may omit it)");
    if (*ret < *call) return err("expected \"ret\" >= \"call\", found ret " + std::to_string(*ret) + " < call " + std::to_string(*call));
    if (*ret == kNever) return err("\"ret\" is too large");
    op.ret = *ret;
  }
  if (auto k = o.find("key"); k != o.end() && !k->is_null()) {
    if (k->is_string()) op.key = k->get<std::string>();
    else if (k->is_number_integer()) op.key = std::to_string(k->get<std::int64_t>());
    else return err("expected \"key\" to be a string or an integer");
  }
  if (auto in = o.find("input"); in != o.end()) op.input = from_json(*in);
  if (auto out = o.find("output"); out != o.end()) op.output = from_json(*out);
  if (auto e = o.find("error"); e != o.end() && !e->is_null()) op.error = e->is_string() ? e->get<std::string>() : e->dump();
  return op;
}

}  // namespace

std::string to_jsonl(const Operation& op) {
  json o = json::object();
  o["process"] = op.process;
  o["f"] = op.f;
  o["key"] = op.key;
  o["input"] = to_json(op.input);
  o["output"] = to_json(op.output);
  o["outcome"] = std::string(to_string(op.outcome));
  o["call"] = op.call;
  o["ret"] = op.returned() ? json(op.ret) : json(nullptr);
  if (!op.error.empty()) o["error"] = op.error;
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

void write_jsonl(const History& h, std::ostream& out) {
  for (const Operation& op : h.ops) out << to_jsonl(op) << '\n';
}

namespace {

// As deep as the EDN reader goes. nlohmann::json parses without recursion, but from_json
// (and copying or writing a value) recurses: a line 100,000 levels deep overflowed the
// stack (found by fuzzing).
constexpr int kMaxJsonDepth = 200;

// A parser callback that drops anything nested deeper than kMaxJsonDepth and notes it.
json::parser_callback_t shallow_only(bool& too_deep) {
  return [&too_deep](int depth, json::parse_event_t event, json&) {
    const bool opens =
        event == json::parse_event_t::object_start || event == json::parse_event_t::array_start;
    if (!opens || depth < kMaxJsonDepth) return true;
    too_deep = true;
    return false;
  };
}

}  // namespace

Result<History> parse_jsonl(std::string_view text, const std::string& source) {
  History h;
  h.source = source;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t eol = text.find('\n');
    const std::string_view l = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (l.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    json j;
    bool too_deep = false;
    try {
      j = json::parse(l, shallow_only(too_deep));
    } catch (const json::exception& e) {
      return Error{source, line, std::string("expected one JSON object per line: ") + e.what()};
    }
    if (too_deep) {
      return Error{source, line, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels"};
    }
    Result<Operation> op = operation_from_json(j, source, line);
    if (!op) return op.error();
    h.ops.push_back(std::move(op).value());
  }
  return h;
}

}  // namespace lincheck
