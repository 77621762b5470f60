#include "raft/testing/memory_file_system.h"

#include <algorithm>

namespace raft::testing {

namespace {

std::string dir_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string trim_slash(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

class MemoryDirLock final : public DirLock {
 public:
  MemoryDirLock(std::shared_ptr<std::set<std::string>> locked, std::string dir)
      : locked_(std::move(locked)), dir_(std::move(dir)) {}
  ~MemoryDirLock() override { locked_->erase(dir_); }

 private:
  std::shared_ptr<std::set<std::string>> locked_;
  std::string dir_;
};

}  // namespace

class MemoryAppendFile final : public AppendFile {
 public:
  MemoryAppendFile(MemoryFileSystem& fs, std::string path, std::shared_ptr<MemoryFileSystem::File> f)
      : fs_(fs), path_(std::move(path)), file_(std::move(f)) {}

  void append(std::string_view data) override {
    fs_.check_io("write to ", path_);
    if (!fs_.dead_) file_->data.append(data);
  }
  void sync() override {
    fs_.check_io("fdatasync of ", path_);
    fs_.count_sync();
    if (fs_.frozen_) {
      fs_.dead_ = true;  // the process dies in this sync
      return;
    }
    file_->synced = file_->data.size();
  }
  [[nodiscard]] std::uint64_t size() const override { return file_->data.size(); }
  // Preallocation changes no byte a reader sees but zeros past the end, which the crash
  // model's zero-padded tears already produce; so it is not modelled.
  void preallocate(std::uint64_t) override {}

 private:
  MemoryFileSystem& fs_;
  std::string path_;
  std::shared_ptr<MemoryFileSystem::File> file_;  // survives a crash() that drops it
};

MemoryFileSystem::MemoryFileSystem() : locked_(std::make_shared<std::set<std::string>>()) {}
MemoryFileSystem::~MemoryFileSystem() = default;

void MemoryFileSystem::check_io(std::string_view op, const std::string& path) const {
  // The message is built only on failure: this runs on every simulated write and sync.
  if (fail_io_) throw IoError(std::string(op) + path + ": Input/output error (injected)");
}

MemoryFileSystem::File& MemoryFileSystem::file(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) throw IoError("no such file: " + path);
  return *it->second;
}

void MemoryFileSystem::create_dirs(const std::string& dir) {
  check_io("mkdir ", dir);
  if (dead_) return;
  dirs_.insert(trim_slash(dir));
}

std::vector<std::string> MemoryFileSystem::list(const std::string& dir) {
  check_io("list ", dir);
  const std::string d = trim_slash(dir);
  if (dirs_.count(d) == 0) throw IoError("no such directory: " + dir);
  std::vector<std::string> names;
  for (const auto& [path, f] : files_) {
    if (dir_of(path) == d) names.push_back(path.substr(d.size() + 1));
  }
  return names;
}

std::string MemoryFileSystem::read(const std::string& path) {
  check_io("read ", path);
  return file(path).data;
}

std::unique_ptr<AppendFile> MemoryFileSystem::open_append(const std::string& path) {
  check_io("open ", path);
  if (dead_) return std::make_unique<MemoryAppendFile>(*this, path, std::make_shared<File>());
  if (dirs_.count(dir_of(path)) == 0) throw IoError("no such directory for " + path);
  auto& f = files_[path];
  if (!f) f = std::make_shared<File>();
  return std::make_unique<MemoryAppendFile>(*this, path, f);
}

void MemoryFileSystem::truncate(const std::string& path, std::uint64_t size) {
  check_io("truncate ", path);
  if (dead_) return;
  File& f = file(path);
  if (size < f.data.size()) f.data.resize(size);
  if (!frozen_) f.synced = std::min<std::uint64_t>(f.synced, size);
  f.synced = std::min<std::uint64_t>(f.synced, f.data.size());
}

void MemoryFileSystem::remove(const std::string& path) {
  check_io("remove ", path);
  if (dead_) return;
  if (files_.erase(path) == 0) throw IoError("no such file: " + path);
}

void MemoryFileSystem::rename(const std::string& from, const std::string& to) {
  check_io("rename ", from);
  if (dead_) return;
  auto it = files_.find(from);
  if (it == files_.end()) throw IoError("no such file: " + from);
  auto f = it->second;
  files_.erase(it);
  files_[to] = std::move(f);
}

void MemoryFileSystem::sync_dir(const std::string& dir) {
  check_io("fsync ", dir);
  count_sync();
  if (frozen_) {
    dead_ = true;
    return;
  }
  const std::string d = trim_slash(dir);
  for (auto& [path, f] : files_) {
    if (dir_of(path) == d) f->entry_durable = true;
  }
}

std::unique_ptr<DirLock> MemoryFileSystem::lock(const std::string& dir) {
  check_io("lock ", dir);
  const std::string d = trim_slash(dir);
  if (!locked_->insert(d).second) {
    throw IoError("data directory " + dir + " is in use by another process");
  }
  return std::make_unique<MemoryDirLock>(locked_, d);
}

void MemoryFileSystem::crash(const Pick& pick) {
  for (auto it = files_.begin(); it != files_.end();) {
    File& f = *it->second;
    if (!f.entry_durable && pick(1) == 1) {
      it = files_.erase(it);
      continue;
    }
    const std::uint64_t unsynced = f.data.size() - f.synced;
    if (unsynced > 0) {
      const std::uint64_t keep = pick(unsynced);
      const bool zero_pad = pick(1) == 1;
      f.data.resize(f.synced + keep);
      if (zero_pad) f.data.resize(f.synced + unsynced, '\0');
    }
    // What is there now is what the disk holds: the next process starts from it.
    auto fresh = std::make_shared<File>(f);
    fresh->synced = fresh->data.size();
    fresh->entry_durable = true;
    it->second = std::move(fresh);  // old handles keep writing into the void
    ++it;
  }
  locked_ = std::make_shared<std::set<std::string>>();
  syncs_until_death_ = 0;
  frozen_ = false;
  dead_ = false;
}

void MemoryFileSystem::flip_bit(const std::string& path, std::uint64_t offset, int bit) {
  File& f = file(path);
  f.data.at(offset) = static_cast<char>(f.data.at(offset) ^ (1 << bit));
}

const std::string& MemoryFileSystem::contents(const std::string& path) const {
  return files_.at(path)->data;
}

std::uint64_t MemoryFileSystem::synced_size(const std::string& path) const {
  return files_.at(path)->synced;
}

std::vector<std::string> MemoryFileSystem::paths() const {
  std::vector<std::string> out;
  for (const auto& [p, f] : files_) out.push_back(p);
  return out;
}

std::uint64_t MemoryFileSystem::total_bytes() const {
  std::uint64_t n = 0;
  for (const auto& [p, f] : files_) n += f->data.size();
  return n;
}

}  // namespace raft::testing
