#include "record_output.h"

#include <cstring>

#include "record.h"

namespace netifyd {
namespace {
constexpr size_t kHeaderBytes = 8;
constexpr uint32_t kPendingBatchesBeforeWaiting = 4;
constexpr auto kIdleWait = std::chrono::milliseconds(200);
}  // namespace

RecordOutput::RecordOutput(uint32_t batch_max_records, uint32_t batch_max_ms, bool lossless)
    : batch_max_records_(batch_max_records ? batch_max_records : 1),
      batch_max_age_(batch_max_ms),
      lossless_(lossless) {
  reset_pending();
}

void RecordOutput::reset_pending() {
  pending_.clear();
  pending_.resize(kHeaderBytes);
  const uint32_t format = kRecordFormat;
  std::memcpy(pending_.data(), &format, 4);
  pending_records_ = 0;
}

void RecordOutput::append(const uint8_t* data, size_t len, uint32_t records) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (lossless_) {
    space_.wait(lock, [this] {
      return aborted_ || pending_records_ < batch_max_records_ * kPendingBatchesBeforeWaiting;
    });
  }
  if (aborted_) return;
  if (pending_records_ == 0) first_pending_at_ = std::chrono::steady_clock::now();
  pending_.insert(pending_.end(), data, data + len);
  pending_records_ += records;
  if (pending_records_ >= batch_max_records_) ready_.notify_one();
}

void RecordOutput::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  ready_.notify_one();
}

void RecordOutput::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  aborted_ = true;
  ready_.notify_all();
  space_.notify_all();
}

void RecordOutput::take(std::vector<uint8_t>& out, uint32_t& records) {
  std::memcpy(pending_.data() + 4, &pending_records_, 4);
  out.swap(pending_);
  records = pending_records_;
  reset_pending();
  space_.notify_all();
}

// Runs on the emitter thread.
RecordOutput::Next RecordOutput::next_batch(std::vector<uint8_t>& out, uint32_t& records) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (aborted_) return Next::aborted;
    if (pending_records_ >= batch_max_records_ || (finished_ && pending_records_ > 0)) {
      take(out, records);
      return Next::batch;
    }
    if (finished_) return Next::done;
    if (pending_records_ > 0) {
      const auto due = first_pending_at_ + batch_max_age_;
      if (std::chrono::steady_clock::now() >= due) {
        take(out, records);
        return Next::batch;
      }
      ready_.wait_until(lock, due);
    } else {
      ready_.wait_for(lock, kIdleWait);
    }
  }
}

}  // namespace netifyd
