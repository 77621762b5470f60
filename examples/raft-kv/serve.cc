#include "serve.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <thread>

#include "http_api.h"
#include "kv/state_machine.h"
#include "serve_options.h"

namespace raftkv {

int run_serve(const std::vector<std::string>& args) {
  std::string error;
  const std::optional<ServeOptions> opt = parse_serve_options(args, error);
  if (!opt) {
    std::fprintf(stderr, "raft-kv serve: %s\n%s", error.c_str(), kServeUsage);
    return 2;
  }
  if (opt->help) {
    std::fputs(kServeUsage, stdout);
    return 0;
  }
  // Signals go to one waiting thread, not to whichever thread they hit: block them before
  // any thread starts (threads inherit the mask).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client that hangs up must not kill the server

  kv::StateMachine machine;
  auto runtime = Runtime::start(opt->runtime, machine);
  if (!runtime) {
    spdlog::critical("{}", runtime.error());
    std::fprintf(stderr, "raft-kv serve: %s\n", runtime.error().c_str());
    return 1;
  }
  HttpApi http(**runtime, *opt);
  if (error = http.bind(); !error.empty()) {
    std::fprintf(stderr, "raft-kv serve: %s\n", error.c_str());
    return 1;
  }
  spdlog::info("node {}: serving HTTP on {}:{}, peers on port {}", opt->runtime.id.value(), opt->http.host,
               opt->http.port, (*runtime)->peer_port());
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    http.stop();
  });
  http.run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // http stopped on its own: release the waiter
  waiter.join();
  (*runtime)->stop();
  return 0;
}

}  // namespace raftkv
