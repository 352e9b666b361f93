// Single-producer/single-consumer ring of variable-size entries (capture thread ->
// detection thread). Entries are 8-byte aligned and start with RingEntryHeader; an entry
// that would wrap is preceded by a padding entry.
#pragma once
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>

#include "wakeup.h"

namespace netifyd {

struct RingEntryHeader {
  uint32_t size;  // whole entry, header included, multiple of 8
  uint8_t type;   // 0 = padding, otherwise the user's entry type
  uint8_t reserved[3];
};

class PacketRing {
 public:
  // capacity: power of two bytes; entries must stay below capacity / 2.
  explicit PacketRing(size_t capacity)
      : buf_(new uint8_t[capacity]), capacity_(capacity), mask_(capacity - 1) {}

  static constexpr uint32_t align(uint32_t n) { return (n + 7u) & ~7u; }
  size_t capacity() const { return capacity_; }
  size_t used() const {
    return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire);
  }

  // Producer: room for an entry of `size` bytes (aligned), or nullptr when full.
  uint8_t* reserve(uint32_t size) {
    const uint64_t index = head_local_ & mask_;
    const uint64_t contiguous = capacity_ - index;
    const uint64_t need = contiguous < size ? contiguous + size : size;
    if (head_local_ + need - tail_cached_ > capacity_) {
      tail_cached_ = tail_.load(std::memory_order_acquire);
      if (head_local_ + need - tail_cached_ > capacity_) return nullptr;
    }
    if (contiguous < size) {
      RingEntryHeader pad{static_cast<uint32_t>(contiguous), 0, {0, 0, 0}};
      std::memcpy(buf_.get() + index, &pad, sizeof(pad));
      head_local_ += contiguous;
    }
    reserved_ = size;
    return buf_.get() + (head_local_ & mask_);
  }
  // Producer: whether at least `bytes` wait for the consumer. Judged from the consumer's
  // position as last seen, and re-read only when that says yes: reading it for every
  // entry would pull its cache line from the consumer's core each time.
  bool backlog_at_least(size_t bytes) {
    if (head_local_ - tail_cached_ < bytes) return false;
    tail_cached_ = tail_.load(std::memory_order_acquire);
    return head_local_ - tail_cached_ >= bytes;
  }
  // Producer: publishes the entry from the last reserve().
  void commit() {
    head_local_ += reserved_;
    head_.store(head_local_, std::memory_order_release);
  }

  // Consumer: the next entry, or nullptr when empty.
  const uint8_t* peek() {
    for (;;) {
      if (tail_local_ == head_cached_) {
        head_cached_ = head_.load(std::memory_order_acquire);
        if (tail_local_ == head_cached_) return nullptr;
      }
      const uint8_t* entry = buf_.get() + (tail_local_ & mask_);
      RingEntryHeader h;
      std::memcpy(&h, entry, sizeof(h));
      if (h.type != 0) return entry;
      tail_local_ += h.size;  // skip padding
    }
  }
  // Consumer: releases the entry returned by peek().
  void pop(uint32_t size) {
    tail_local_ += size;
    tail_.store(tail_local_, std::memory_order_release);
  }

  Wakeup* consumer = nullptr;  // the detection thread
  Wakeup* producer = nullptr;  // the capture thread

 private:
  std::unique_ptr<uint8_t[]> buf_;
  const size_t capacity_;
  const uint64_t mask_;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  // Producer-private.
  alignas(64) uint64_t head_local_ = 0;
  uint64_t tail_cached_ = 0;
  uint32_t reserved_ = 0;
  // Consumer-private.
  alignas(64) uint64_t tail_local_ = 0;
  uint64_t head_cached_ = 0;
};

}  // namespace netifyd
