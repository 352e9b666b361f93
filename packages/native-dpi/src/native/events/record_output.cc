#include "record_output.h"

#include <cstring>

#include "record.h"

namespace netifyd {
namespace {
constexpr size_t kHeaderBytes = 8;
constexpr size_t kReadyBatchesBeforeWaiting = 4;
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
    space_.wait(lock, [this] { return aborted_ || ready_.size() < kReadyBatchesBeforeWaiting; });
  }
  if (aborted_) return;
  if (pending_records_ == 0) first_pending_at_ = std::chrono::steady_clock::now();
  pending_.insert(pending_.end(), data, data + len);
  pending_records_ += records;
  if (pending_records_ >= batch_max_records_) {
    seal();
    ready_cv_.notify_one();
  }
}

void RecordOutput::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_ = true;
  ready_cv_.notify_one();
}

void RecordOutput::abort() {
  std::lock_guard<std::mutex> lock(mutex_);
  aborted_ = true;
  ready_cv_.notify_all();
  space_.notify_all();
}

void RecordOutput::seal() {
  std::memcpy(pending_.data() + 4, &pending_records_, 4);
  ready_.push_back(Batch{std::move(pending_), pending_records_});
  pending_ = std::vector<uint8_t>();
  reset_pending();
}

// Runs on the emitter thread.
RecordOutput::Next RecordOutput::next_batch(std::vector<uint8_t>& out, uint32_t& records) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    if (aborted_) return Next::aborted;
    if (ready_.empty() && pending_records_ > 0 &&
        (finished_ || std::chrono::steady_clock::now() >= first_pending_at_ + batch_max_age_))
      seal();
    if (!ready_.empty()) {
      out = std::move(ready_.front().bytes);
      records = ready_.front().records;
      ready_.pop_front();
      space_.notify_all();
      return Next::batch;
    }
    if (finished_) return Next::done;
    if (pending_records_ > 0)
      ready_cv_.wait_until(lock, first_pending_at_ + batch_max_age_);
    else
      ready_cv_.wait_for(lock, kIdleWait);
  }
}

}  // namespace netifyd
