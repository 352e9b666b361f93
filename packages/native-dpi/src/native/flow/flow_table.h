// A detection thread's flows: open addressing with linear probing and backward-shift
// deletion, over flows allocated from a chunked pool (no allocation per packet).
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "flow.h"

namespace netifyd {

class FlowTable {
 public:
  FlowTable();
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  Flow* find(const FlowKey& key, uint64_t hash) const;
  // Inserts a fresh flow for `key` (the caller checked it is absent).
  Flow* insert(const FlowKey& key, uint64_t hash);
  // Removes and destroys `flow`.
  void erase(Flow* flow);
  size_t size() const { return size_; }

  // Calls fn(Flow&) for every flow; fn must not insert or erase.
  template <typename Fn>
  void for_each(Fn&& fn) {
    for (Flow* f : slots_)
      if (f) fn(*f);
  }

 private:
  void grow();
  size_t slot_of(uint64_t hash) const { return hash & mask_; }
  Flow* allocate();
  void release(Flow* flow);

  std::vector<Flow*> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
  std::vector<std::unique_ptr<unsigned char[]>> chunks_;
  std::vector<Flow*> free_;
};

}  // namespace netifyd
