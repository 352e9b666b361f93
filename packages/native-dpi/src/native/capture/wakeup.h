// Lets a thread sleep until another one has work for it, without a syscall on the fast
// path: the notifier only locks when the sleeper announced it is sleeping.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

namespace netifyd {

class Wakeup {
 public:
  // Sleeper: waits up to `timeout` unless `ready()` is already true.
  template <typename Ready>
  void sleep(std::chrono::milliseconds timeout, Ready ready) {
    std::unique_lock<std::mutex> lock(mutex_);
    sleeping_.store(true, std::memory_order_seq_cst);
    if (!ready()) cv_.wait_for(lock, timeout);
    sleeping_.store(false, std::memory_order_relaxed);
  }

  // Notifier: cheap when nobody sleeps.
  void notify() {
    if (sleeping_.load(std::memory_order_seq_cst)) {
      std::lock_guard<std::mutex> lock(mutex_);
      cv_.notify_all();
    }
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::atomic<bool> sleeping_{false};
};

}  // namespace netifyd
