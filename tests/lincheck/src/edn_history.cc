// Event-form EDN histories (Jepsen, Maelstrom, Porcupine kv) → History.
#include <optional>

#include "event_pairer.h"
#include "lincheck/edn.h"
#include "lincheck/parse.h"

namespace lincheck {

namespace {

using detail::EventPairer;
using detail::EventType;

// Maelstrom lin-kv packs the key into the value: read/write [k v], cas [k [from to]].
bool is_key_tuple(const std::string& f, const Value& v) {
  if (!v.is_list() || v.items().size() != 2) return false;
  if (f == "read" || f == "write") return true;
  if (f == "cas") return v.items()[1].is_list();
  return false;
}

std::optional<std::string> name_of(const Value* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_keyword() || v->is_string() || v->kind() == Value::Kind::Symbol) return v->text();
  return std::nullopt;
}

// `event` is consumed: its value is moved into the history.
std::optional<Error> add_event(EventPairer& pairer, Value& event, const std::string& source, std::size_t line) {
  auto err = [&](std::string m) { return Error{source, line, std::move(m)}; };
  if (!event.is_map()) return err("expected an operation map {:process …, :type …, :f …}, found " + event.to_edn());
  const Value* process = event.get("process");
  if (process == nullptr) return err("expected a :process entry in the operation map");
  if (!process->is_int()) return std::nullopt;  // :nemesis and other non-client events
  const std::optional<std::string> type_name = name_of(event.get("type"));
  const std::optional<EventType> type = type_name ? detail::event_type(*type_name) : std::nullopt;
  if (!type) return err("expected :type to be :invoke, :ok, :fail or :info");
  const std::optional<std::string> f = name_of(event.get("f"));
  if (!f) return err("expected an :f entry naming the operation (a keyword such as :read)");
  Value* value_ptr = event.get("value");
  Value value = value_ptr ? std::move(*value_ptr) : Value::nil();
  const Value* key_ptr = event.get("key");
  const std::int64_t p = process->as_int();

  if (*type == EventType::Invoke) {
    std::string key;
    if (key_ptr != nullptr) {
      key = key_ptr->to_text();
    } else if (is_key_tuple(*f, value)) {
      key = value.items()[0].to_text();
      Value v = std::move(*value.get_item(1));
      value = std::move(v);
    }
    return pairer.invoke(p, *f, std::move(key), std::move(value), line);
  }
  // A completion repeats its invocation's [k v] tuple; keep only v.
  const std::string* pending_key = pairer.pending_key(p);
  if (key_ptr == nullptr && pending_key != nullptr && !pending_key->empty() && value.is_list() &&
      value.items().size() == 2 && value.items()[0].to_text() == *pending_key) {
    Value v = std::move(*value.get_item(1));
    value = std::move(v);
  }
  const Value* error = event.get("error");
  return pairer.complete(p, *type, *f, std::move(value), error ? error->to_text() : std::string(), line);
}

}  // namespace

Result<History> parse_edn_history(std::string_view text, const std::string& source) {
  EdnReader reader(text, source);
  EventPairer pairer(source, text.size() / 120);  // about two events of ~60 bytes per op
  const bool in_vector = reader.enter('[') || reader.enter('(');
  while (true) {
    if (in_vector && (reader.at_close(']') || reader.at_close(')'))) break;
    Result<std::optional<Value>> form = reader.next();
    if (!form) return form.error();
    if (!form->has_value()) {
      if (in_vector) return Error{source, 0, "expected ']' to close the history vector, found end of input"};
      break;
    }
    if (auto e = add_event(pairer, **form, source, reader.form_line())) return *e;
  }
  if (in_vector) {
    Result<std::optional<Value>> rest = reader.next();
    if (!rest) return rest.error();
    if (rest->has_value()) return Error{source, reader.form_line(), "expected end of input after the history vector"};
  }
  return std::move(pairer).finish();
}

}  // namespace lincheck
