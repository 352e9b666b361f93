// Where every thread appends serialised records, and where the emitter thread takes them
// as batches: every `batch_max_records` records or `batch_max_ms` after the first pending
// record. In lossless (file) mode appenders wait while too much is pending, so a slow JS
// consumer slows capture down instead of losing records.
#pragma once
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace netifyd {

class RecordOutput {
 public:
  RecordOutput(uint32_t batch_max_records, uint32_t batch_max_ms, bool lossless);

  // Any thread. `records` = how many records `data` holds.
  void append(const uint8_t* data, size_t len, uint32_t records = 1);
  // After the final tick: the emitter delivers what is left, then `done`.
  void finish();
  // Teardown: wakes every waiter; pending records are dropped.
  void abort();

  enum class Next { batch, done, aborted };
  // Emitter thread only. A batch starts with the format word and its record count.
  Next next_batch(std::vector<uint8_t>& out, uint32_t& records);

 private:
  struct Batch {
    std::vector<uint8_t> bytes;
    uint32_t records;
  };
  void reset_pending();
  void seal();  // pending -> ready_

  const uint32_t batch_max_records_;
  const std::chrono::milliseconds batch_max_age_;
  const bool lossless_;
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::condition_variable space_;
  std::deque<Batch> ready_;  // full batches waiting for the emitter
  std::vector<uint8_t> pending_;
  uint32_t pending_records_ = 0;
  std::chrono::steady_clock::time_point first_pending_at_;
  bool finished_ = false;
  bool aborted_ = false;
};

}  // namespace netifyd
