#include "tests/workbench/src/reaper.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <exception>

namespace workbench {
namespace {

constexpr int kMaxGroups = 1024;
// Lock-free slots so that the signal handler can read them at any moment.
std::atomic<pid_t> g_groups[kMaxGroups];
std::atomic<int> g_signal{0};
int g_pipe[2] = {-1, -1};
bool g_installed = false;

void wake() {
  if (g_pipe[1] >= 0) {
    const int saved = errno;
    char c = 1;
    [[maybe_unused]] auto n = write(g_pipe[1], &c, 1);
    errno = saved;
  }
}

void on_terminate_signal(int sig) {
  kill_all_child_groups();
  if (g_signal.exchange(sig) != 0) _exit(128 + sig);  // second signal: leave at once
  wake();
}

void on_child_signal(int) { wake(); }

void on_terminate() {
  kill_all_child_groups();
  std::abort();
}

}  // namespace

void install_signal_handlers() {
  if (g_installed) return;
  g_installed = true;
  if (pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) g_pipe[0] = g_pipe[1] = -1;
  struct sigaction sa {};
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sa.sa_handler = on_terminate_signal;
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &sa, nullptr);
  sa.sa_handler = on_child_signal;
  sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  std::set_terminate(on_terminate);
  std::atexit(kill_all_child_groups);
}

int wakeup_fd() { return g_pipe[0]; }

void drain_wakeups() {
  char buf[256];
  while (g_pipe[0] >= 0 && read(g_pipe[0], buf, sizeof buf) > 0) {
  }
}

bool interrupted() { return g_signal.load() != 0; }
int interrupt_signal() { return g_signal.load(); }

void register_child_group(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = 0;
    if (slot.compare_exchange_strong(expected, pgid)) return;
  }
}

void unregister_child_group(pid_t pgid) {
  for (auto& slot : g_groups) {
    pid_t expected = pgid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

void kill_all_child_groups() {
  for (auto& slot : g_groups) {
    const pid_t p = slot.load();
    if (p > 0) kill(-p, SIGKILL);
  }
}

}  // namespace workbench
