#include "flow_table.h"

#include <new>

namespace netifyd {
namespace {
constexpr size_t kInitialSlots = 1024;
constexpr size_t kChunkFlows = 512;
}  // namespace

FlowTable::FlowTable() : slots_(kInitialSlots, nullptr), mask_(kInitialSlots - 1) {}

FlowTable::~FlowTable() {
  for (Flow*& f : slots_) {
    if (f) {
      f->~Flow();
      f = nullptr;
    }
  }
}

Flow* FlowTable::find(const FlowKey& key, uint64_t hash) const {
  for (size_t i = slot_of(hash);; i = (i + 1) & mask_) {
    Flow* f = slots_[i];
    if (!f) return nullptr;
    if (f->hash == hash && f->key == key) return f;
  }
}

Flow* FlowTable::insert(const FlowKey& key, uint64_t hash) {
  if ((size_ + 1) * 2 > slots_.size()) grow();
  Flow* flow = allocate();
  flow->key = key;
  flow->hash = hash;
  size_t i = slot_of(hash);
  while (slots_[i]) i = (i + 1) & mask_;
  slots_[i] = flow;
  ++size_;
  return flow;
}

void FlowTable::erase(Flow* flow) {
  size_t i = slot_of(flow->hash);
  while (slots_[i] != flow) i = (i + 1) & mask_;
  // Backward-shift: move later entries of the probe run into the hole.
  size_t hole = i;
  for (size_t j = (i + 1) & mask_; slots_[j]; j = (j + 1) & mask_) {
    const size_t home = slot_of(slots_[j]->hash);
    const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
    if (movable) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = nullptr;
  --size_;
  release(flow);
}

void FlowTable::grow() {
  std::vector<Flow*> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, nullptr);
  mask_ = slots_.size() - 1;
  for (Flow* f : old) {
    if (!f) continue;
    size_t i = slot_of(f->hash);
    while (slots_[i]) i = (i + 1) & mask_;
    slots_[i] = f;
  }
}

Flow* FlowTable::allocate() {
  if (free_.empty()) {
    std::unique_ptr<unsigned char[]> chunk(new unsigned char[sizeof(Flow) * kChunkFlows]);
    for (size_t i = kChunkFlows; i-- > 0;)
      free_.push_back(reinterpret_cast<Flow*>(chunk.get() + i * sizeof(Flow)));
    chunks_.push_back(std::move(chunk));
  }
  Flow* slot = free_.back();
  free_.pop_back();
  return new (slot) Flow();
}

void FlowTable::release(Flow* flow) {
  flow->~Flow();
  free_.push_back(flow);
}

}  // namespace netifyd
