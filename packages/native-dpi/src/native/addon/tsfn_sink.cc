#include "tsfn_sink.h"


namespace netifyd {
namespace {
constexpr uint32_t kLosslessWindow = 1;
constexpr uint32_t kLiveWindow = 64;
constexpr size_t kUnboundedQueue = 0;  // the windows bound it

// A batch lent to JS; the ArrayBuffer's finalizer deletes it.
struct LentBytes {
  std::vector<uint8_t> bytes;
};

// After the JS call, even one that threw: detach the buffer and free its bytes. If the
// buffer cannot be detached the bytes stay until the finalizer runs.
struct DetachOnExit {
  napi_env env;
  napi_value buffer;
  LentBytes* lent;
  ~DetachOnExit() {
    if (napi_detach_arraybuffer(env, buffer) == napi_ok) std::vector<uint8_t>().swap(lent->bytes);
  }
};
// The first ArrayBuffer detached in an isolate makes V8 drop every function it optimized on
// the assumption that none ever is (its ArrayBufferDetaching protector): here the record
// decoder, compiled while the first batch is decoded, just before that batch is detached.
// Detaching an empty buffer before any batch makes V8 compile the decoder once (after the
// first start in an isolate this changes nothing).
void detach_before_batches(napi_env env) {
  napi_value buffer;
  void* data = nullptr;
  if (napi_create_arraybuffer(env, 0, &data, &buffer) == napi_ok) napi_detach_arraybuffer(env, buffer);
}
}  // namespace

TsfnSink::TsfnSink(Napi::Env env, Napi::Function on_batch, bool lossless,
                   std::function<void()> on_done)
    : lossless_(lossless), on_done_(std::move(on_done)) {
  detach_before_batches(env);
  tsfn_ = Tsfn::New(env, on_batch, "netifyd-native-dpi", kUnboundedQueue, 1, this);
}

TsfnSink::~TsfnSink() {
  if (!released_.exchange(true)) tsfn_.Release();
}

// Runs on the emitter thread.
bool TsfnSink::deliver(std::vector<uint8_t>&& batch, uint32_t records) {
  (void)records;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    if (lossless_) space_.wait(lock, [this] { return aborted_ || unacknowledged_ < kLosslessWindow; });
    if (aborted_ || unacknowledged_ >= kLiveWindow) return false;
    ++unacknowledged_;
  }
  auto* payload = new Payload{std::move(batch), false};
  if (tsfn_.NonBlockingCall(payload) != napi_ok) {
    delete payload;
    acknowledge();
    return false;
  }
  return true;
}

void TsfnSink::acknowledge() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (unacknowledged_ > 0) --unacknowledged_;
  space_.notify_all();
}

// Runs on the emitter thread.
void TsfnSink::done() {
  auto* payload = new Payload{{}, true};
  if (tsfn_.BlockingCall(payload) != napi_ok) delete payload;
  if (!released_.exchange(true)) tsfn_.Release();
}

void TsfnSink::abort() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    aborted_ = true;
    space_.notify_all();
  }
  if (!released_.exchange(true)) tsfn_.Abort();
}

// Runs on the JS thread.
void TsfnSink::call_js(Napi::Env env, Napi::Function fn, TsfnSink* self, Payload* payload) {
  if (env == nullptr || fn.IsEmpty()) {  // the function is being torn down
    delete payload;
    return;
  }
  const bool last = payload->last;
  try {
    if (last) {
      fn.Call({env.Null(), Napi::Boolean::New(env, true)});
    } else {
      // JS decodes the batch during the call and keeps nothing of it: lend it the bytes
      // without a copy, then detach the buffer and free them at once instead of at GC.
      auto* lent = new LentBytes{std::move(payload->bytes)};
      Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(
          env, lent->bytes.data(), lent->bytes.size(), [](Napi::Env, void*, LentBytes* l) { delete l; }, lent);
      const DetachOnExit detach{env, buf, lent};
      fn.Call({buf, Napi::Boolean::New(env, false)});
    }
  } catch (const Napi::Error& e) {
    // The callback threw: rethrow it raw (Node reports it as uncaught), keep the engine
    // going. While the environment shuts down this throw fails quietly instead of aborting.
    delete payload;
    payload = nullptr;
    if (last && self->on_done_) self->on_done_();
    napi_value error = e.Value();
    if (error != nullptr) napi_throw(env, error);
    return;
  }
  delete payload;
  if (last && self->on_done_) self->on_done_();
}

}  // namespace netifyd
