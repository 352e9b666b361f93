// Delivers batches to a JS callback through a ThreadSafeFunction: a blocking call for
// file-only engines (nothing is lost; capture slows down instead), a non-blocking call
// for live ones (a full queue drops the batch and counts it).
#pragma once
#include <napi.h>

#include <atomic>
#include <functional>
#include <vector>

#include "../engine/batch_sink.h"

namespace netifyd {

class TsfnSink final : public BatchSink {
 public:
  // JS thread. `on_batch(buffer: ArrayBuffer | null, done: boolean)`; `on_done` runs on the
  // JS thread after the last batch was handed to on_batch.
  TsfnSink(Napi::Env env, Napi::Function on_batch, bool blocking, std::function<void()> on_done);
  ~TsfnSink() override;

  bool deliver(std::vector<uint8_t>&& batch, uint32_t records) override;
  void done() override;
  // Any thread: unblocks a pending blocking call (teardown).
  void abort();

 private:
  struct Payload {
    std::vector<uint8_t> bytes;
    bool last;
  };
  static void call_js(Napi::Env env, Napi::Function fn, TsfnSink* self, Payload* payload);
  using Tsfn = Napi::TypedThreadSafeFunction<TsfnSink, Payload, &TsfnSink::call_js>;

  Tsfn tsfn_;
  const bool blocking_;
  std::function<void()> on_done_;
  std::atomic<bool> released_{false};  // exactly one Release() or Abort()
};

}  // namespace netifyd
