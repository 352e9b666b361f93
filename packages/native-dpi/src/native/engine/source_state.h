// One capture source as every thread sees it. Counters read by JS (counters()) are
// atomics written by a single thread with relaxed stores.
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "../capture/pcap_source.h"
#include "../decode/discard_reason.h"
#include "ring_entry.h"

namespace netifyd {

// Written by one thread, read by any: a plain store, no read-modify-write.
inline void bump(std::atomic<uint64_t>& a, uint64_t by = 1) {
  a.store(a.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

struct SourceState {
  uint16_t id = 0;
  std::string name;
  std::string target;  // file path or interface name
  bool replay = false;
  std::unique_ptr<PcapSource> pcap;

  std::atomic<uint64_t> packets_read{0};
  std::atomic<uint64_t> file_position{0};
  std::atomic<uint64_t> discards[kDiscardCount] = {};  // capture thread only
  std::atomic<uint64_t> flows_refused{0};              // detection threads (fetch_add)
  std::atomic<bool> ended{false};
  std::atomic<int> workers_at_end{0};

  void set_error(const std::string& e) {
    std::lock_guard<std::mutex> lock(error_mutex_);
    error_ = e;
  }
  std::string error() const {
    std::lock_guard<std::mutex> lock(error_mutex_);
    return error_;
  }

 private:
  mutable std::mutex error_mutex_;
  std::string error_;
};

}  // namespace netifyd
