// One child process with pipes on its stdin, stdout and stderr, in its own process group.
//
// Children die with the workbench: each is registered (see reaper.h) so that a signal handler
// or an exit path can SIGKILL every group, and each asks the kernel (PR_SET_PDEATHSIG) to be
// killed if the workbench itself is killed with SIGKILL.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace workbench {

struct SpawnSpec {
  std::string bin;                // absolute path
  std::vector<std::string> args;  // without argv[0]
  std::string cwd;                // working directory of the child
};

class Child {
 public:
  // Starts the process; returns an error message if it could not be executed.
  static std::variant<Child, std::string> spawn(const SpawnSpec& spec);

  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();  // SIGKILLs the group if still running, reaps it, closes the pipes

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return in_; }
  int stdout_fd() const { return out_; }
  int stderr_fd() const { return err_; }
  void close_stdin();
  void close_stdout();
  void close_stderr();

  // Sends sig to the whole process group (the node and anything it spawned).
  void signal_group(int sig) const;
  // SIGKILL, then waits for the exit; returns the wait status.
  int kill_and_reap();
  // Non-blocking: the wait status if the process has exited.
  std::optional<int> poll_exit();
  bool exited() const { return status_.has_value(); }

 private:
  Child() = default;
  void release();

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::optional<int> status_;
};

// "exit status 3" / "killed by signal 9 (Killed)".
std::string describe_wait_status(int status);

}  // namespace workbench
