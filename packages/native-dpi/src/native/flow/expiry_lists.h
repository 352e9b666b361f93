// Flows ordered by last activity, one list per expiry rule, so a tick looks only at the
// flows that may expire instead of scanning the whole table. Packet times of one source
// never go backwards, so moving a flow to the tail keeps a list sorted; a flow moves at
// most once per capture second (fewer cache misses), so a list is sorted to within a
// second and an idle flow may expire one tick late.
#pragma once
#include <cstdint>

#include "flow.h"

namespace netifyd {

enum ExpiryList : uint8_t {
  kListNone = 0,
  kListTcpOpen = 1,  // TCP without FIN+ACK or RST: TCP idle TTL
  kListIdle = 2,     // other flows: idle TTL
  kListClosed = 3,   // FIN+ACK or RST seen: purged at the next tick
  kListCount = 4
};

class LruList {
 public:
  Flow* head() const { return head_; }

  void push_back(Flow* f, uint8_t list) {
    f->lru_list = list;
    f->lru_prev = tail_;
    f->lru_next = nullptr;
    if (tail_)
      tail_->lru_next = f;
    else
      head_ = f;
    tail_ = f;
  }

  void unlink(Flow* f) {
    if (f->lru_prev)
      f->lru_prev->lru_next = f->lru_next;
    else
      head_ = f->lru_next;
    if (f->lru_next)
      f->lru_next->lru_prev = f->lru_prev;
    else
      tail_ = f->lru_prev;
    f->lru_prev = f->lru_next = nullptr;
    f->lru_list = kListNone;
  }

 private:
  Flow* head_ = nullptr;
  Flow* tail_ = nullptr;
};

// The lists of one source.
struct SourceExpiry {
  LruList lists[kListCount];

  static uint8_t list_for(const Flow& f) {
    if (f.has(flow_state::kTcpFinAck) || f.has(flow_state::kTcpRst)) return kListClosed;
    return f.key.protocol == 6 ? kListTcpOpen : kListIdle;
  }
  // After each packet of `f`.
  void touch(Flow* f) {
    const uint8_t list = list_for(*f);
    const uint64_t second = f->last_seen_us / 1000000;
    if (f->lru_list == list && f->lru_second == second) return;
    if (f->lru_list != kListNone) lists[f->lru_list].unlink(f);
    lists[list].push_back(f, list);
    f->lru_second = second;
  }
  void remove(Flow* f) {
    if (f->lru_list != kListNone) lists[f->lru_list].unlink(f);
  }
};

}  // namespace netifyd
