// echo: the smallest useful Maelstrom node, for `maelstrom test -w echo --bin build/bin/echo`.
//
// Each {"type":"echo","msg_id":M,"echo":X} is answered with
// {"type":"echo_ok","in_reply_to":M,"echo":X}. Everything else (init, unknown types, bad
// lines, logging) is the node API's job.
#include <cstdio>
#include <string>
#include <vector>

#include "transport/maelstrom.h"

namespace {

constexpr const char* kUsage =
    "usage: echo [--log-level LEVEL]\n"
    "A Maelstrom echo node: reads protocol messages on stdin, answers on stdout.\n";

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args = maelstrom::init_logging_from_args(argc, argv);
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      std::fputs(std::string(maelstrom::kLogLevelUsage).c_str(), stdout);
      return 0;
    }
    std::fprintf(stderr, "echo: unknown argument '%s'\n%s", arg.c_str(), kUsage);
    return 2;
  }

  maelstrom::Node node;
  node.handle("echo", [&node](const maelstrom::Message& request) {
    // at() throws error 12 ("field 'echo' is missing") if the field is absent.
    node.reply(request, {{"type", "echo_ok"}, {"echo", request.at("echo")}});
  });
  return node.run();
}
