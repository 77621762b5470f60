// Reading histories. Every parser returns a History or an Error naming the file, the line and
// what was expected there; none throws or aborts on bad input.
//
// Formats:
//  * Edn — Jepsen / Maelstrom history.edn and Porcupine's kv files: one EDN map per event,
//    {:process 3, :type :invoke|:ok|:fail|:info, :f :read, :value …, :key …}. Events with a
//    non-integer :process (:nemesis) are skipped; :time, :index, :error and unknown keys are
//    tolerated (:error is kept as text). Without :key, Maelstrom lin-kv tuples are split: a
//    read or write whose :value is [k v], or a cas whose :value is [k [from to]], acts on key k.
//    The file may also be a single vector of such maps.
//  * JepsenLog — Jepsen console logs (Porcupine's etcd_NNN.log): lines
//    `LEVEL jepsen.util - <process> <type> <f> <value…>` split on whitespace; other log lines
//    are ignored. A :fail whose value is :timed-out is indefinite, i.e. Outcome::Info.
//  * JsonLines — our own format, one operation per line with call and return times; see
//    jsonl.h and docs/lincheck.md.
// Operations still pending at the end of an event-form history never returned (Info).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lincheck/history.h"
#include "lincheck/model.h"
#include "lincheck/result.h"

namespace lincheck {

enum class Format : std::uint8_t { Auto, Edn, JepsenLog, JsonLines };

std::string_view to_string(Format f);
// "auto", "edn", "jepsen-log", "jsonl" (also "json", "jsonlines").
std::optional<Format> format_from_string(std::string_view name);

// Guesses the format from the first meaningful line. An empty text is Edn (an empty history).
Result<Format> detect_format(std::string_view text, const std::string& source);

Result<History> parse_edn_history(std::string_view text, const std::string& source);
Result<History> parse_jepsen_log(std::string_view text, const std::string& source);
Result<History> parse_jsonl(std::string_view text, const std::string& source);
Result<History> parse_text(std::string_view text, Format format, const std::string& source);
Result<History> parse_file(const std::string& path, Format format = Format::Auto);
// The whole file, or an error saying why it cannot be read.
Result<std::string> read_file(const std::string& path);

// A Maelstrom lin-kv history.edn; check it with check_maelstrom_lin_kv (check.h).
inline Result<History> parse_maelstrom_history(const std::string& path) { return parse_file(path, Format::Edn); }

// The semantics a format's :fail means by default: Jepsen etcd logs record compare failures
// as :fail (Porcupine); Maelstrom and our own format record "did not happen" (Knossos).
Semantics default_semantics(Format f);

}  // namespace lincheck
