#include "tests/workbench/src/child.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "tests/workbench/src/reaper.h"

namespace workbench {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const SpawnSpec& spec, char* const* argv, pid_t parent, int in_r, int out_w,
                             int err_w, int status_w) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);  // the workbench died before prctl took effect
  setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);  // ignored dispositions survive exec; give the node the default
  if (dup2(in_r, 0) < 0 || dup2(out_w, 1) < 0 || dup2(err_w, 2) < 0) {
    int e = errno;
    [[maybe_unused]] auto n = write(status_w, &e, sizeof e);
    _exit(127);
  }
  if (!spec.cwd.empty() && chdir(spec.cwd.c_str()) != 0) {
    // Not fatal: Maelstrom's choice of directory is a convenience, not a contract.
  }
  execv(spec.bin.c_str(), argv);
  int e = errno;
  [[maybe_unused]] auto n = write(status_w, &e, sizeof e);
  _exit(127);
}

}  // namespace

std::variant<Child, std::string> Child::spawn(const SpawnSpec& spec) {
  std::vector<std::string> words;
  words.push_back(spec.bin);
  words.insert(words.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);

  int in[2], out[2], err[2], status[2];
  if (pipe2(in, O_CLOEXEC) != 0) return std::string("pipe: ") + std::strerror(errno);
  if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0) {
    return std::string("pipe: ") + std::strerror(errno);
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], status[0], status[1]}) close(fd);
    return std::string("fork: ") + std::strerror(errno);
  }
  if (pid == 0) exec_child(spec, argv.data(), parent, in[0], out[1], err[1], status[1]);

  setpgid(pid, pid);  // also done by the child; whichever runs first wins the race
  register_child_group(pid);
  for (int fd : {in[0], out[1], err[1], status[1]}) close(fd);
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(status[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(status[0]);

  Child c;
  c.pid_ = pid;
  c.in_ = in[1];
  c.out_ = out[0];
  c.err_ = err[0];
  if (n > 0) {
    c.kill_and_reap();
    return "cannot execute " + spec.bin + ": " + std::strerror(child_errno);
  }
  for (int fd : {c.in_, c.out_, c.err_}) set_nonblocking(fd);
  return c;
}

Child::Child(Child&& o) noexcept { *this = std::move(o); }

Child& Child::operator=(Child&& o) noexcept {
  if (this != &o) {
    release();
    pid_ = o.pid_;
    in_ = o.in_;
    out_ = o.out_;
    err_ = o.err_;
    status_ = o.status_;
    o.pid_ = -1;
    o.in_ = o.out_ = o.err_ = -1;
  }
  return *this;
}

Child::~Child() { release(); }

void Child::release() {
  if (pid_ > 0) kill_and_reap();
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
  pid_ = -1;
}

void Child::close_stdin() { close_fd(in_); }
void Child::close_stdout() { close_fd(out_); }
void Child::close_stderr() { close_fd(err_); }

void Child::signal_group(int sig) const {
  if (pid_ > 0 && !status_) kill(-pid_, sig);
}

int Child::kill_and_reap() {
  if (pid_ <= 0) return 0;
  if (!status_) {
    // The leader is not reaped yet, so its pid (and group id) cannot have been reused.
    kill(-pid_, SIGKILL);
    int st = 0;
    pid_t r;
    do {
      r = waitpid(pid_, &st, 0);
    } while (r < 0 && errno == EINTR);
    status_ = r == pid_ ? st : 0;
  }
  unregister_child_group(pid_);
  return *status_;
}

std::optional<int> Child::poll_exit() {
  if (status_ || pid_ <= 0) return status_;
  // Peek without reaping, kill what the node may have left in its group while the zombie
  // still pins the group id, then reap.
  siginfo_t info{};
  if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid != pid_) {
    return std::nullopt;
  }
  kill(-pid_, SIGKILL);
  int st = 0;
  if (waitpid(pid_, &st, 0) == pid_) status_ = st;
  unregister_child_group(pid_);
  return status_;
}

std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "wait status " + std::to_string(status);
}

}  // namespace workbench
