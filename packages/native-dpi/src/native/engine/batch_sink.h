// Where the emitter thread delivers batches (implemented by the addon with a
// ThreadSafeFunction). Keeps Node-API out of the engine.
#pragma once
#include <cstdint>
#include <vector>

namespace netifyd {

class BatchSink {
 public:
  virtual ~BatchSink() = default;
  // Emitter thread. Returns false when the batch was dropped (JS queue full, live mode).
  virtual bool deliver(std::vector<uint8_t>&& batch, uint32_t records) = 0;
  // Emitter thread: everything was delivered; no call follows.
  virtual void done() = 0;
};

}  // namespace netifyd
