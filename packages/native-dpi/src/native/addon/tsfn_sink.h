// Delivers batches to a JS callback through a ThreadSafeFunction. JS acknowledges each batch
// (acknowledge()) once its event loop turned after handling it; at most a few batches are
// unacknowledged at a time. File-only engines wait for an acknowledgement (nothing is lost;
// capture slows down instead, and timers and I/O of the JS thread keep running); live ones
// drop the batch and count it when JS is that far behind.
#pragma once
#include <napi.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

#include "../engine/batch_sink.h"

namespace netifyd {

class TsfnSink final : public BatchSink {
 public:
  // JS thread. `on_batch(buffer: ArrayBuffer | null, done: boolean)`; `on_done` runs on the
  // JS thread after the last batch was handed to on_batch.
  TsfnSink(Napi::Env env, Napi::Function on_batch, bool lossless, std::function<void()> on_done);
  ~TsfnSink() override;

  bool deliver(std::vector<uint8_t>&& batch, uint32_t records) override;
  void done() override;
  // JS thread: the oldest unacknowledged batch was handled.
  void acknowledge();
  // Any thread: unblocks a waiting deliver() (teardown).
  void abort();

 private:
  struct Payload {
    std::vector<uint8_t> bytes;
    bool last;
  };
  static void call_js(Napi::Env env, Napi::Function fn, TsfnSink* self, Payload* payload);
  using Tsfn = Napi::TypedThreadSafeFunction<TsfnSink, Payload, &TsfnSink::call_js>;

  Tsfn tsfn_;
  const bool lossless_;
  std::mutex mutex_;
  std::condition_variable space_;
  uint32_t unacknowledged_ = 0;
  bool aborted_ = false;
  std::function<void()> on_done_;
  std::atomic<bool> released_{false};  // exactly one Release() or Abort()
};

}  // namespace netifyd
