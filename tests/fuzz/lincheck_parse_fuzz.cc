// Fuzz target: a history file as one of lincheck's parsers reads it. Built once per parser
// (LINCHECK_FUZZ_FORMAT: 0 EDN -- Maelstrom and Porcupine kv histories, 1 Jepsen console log
// -- Porcupine etcd logs, 2 JSON lines, 3 auto-detection then the detected parser).
//
// Property (parse.h): every parser returns a History or an Error; none crashes, throws or
// aborts on bad input.
#include <cstdint>
#include <string>
#include <string_view>

#include "lincheck/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string source = "fuzz";
#if LINCHECK_FUZZ_FORMAT == 0
  (void)lincheck::parse_edn_history(text, source);
#elif LINCHECK_FUZZ_FORMAT == 1
  (void)lincheck::parse_jepsen_log(text, source);
#elif LINCHECK_FUZZ_FORMAT == 2
  (void)lincheck::parse_jsonl(text, source);
#else
  (void)lincheck::parse_text(text, lincheck::Format::Auto, source);
#endif
  return 0;
}
