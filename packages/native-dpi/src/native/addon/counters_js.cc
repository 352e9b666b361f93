#include "counters_js.h"

#include "../events/source_counters.h"

namespace netifyd {
namespace {
Napi::Number num(Napi::Env env, uint64_t v) { return Napi::Number::New(env, static_cast<double>(v)); }
}  // namespace

Napi::Object counters_to_js(Napi::Env env, const EngineCountersSnapshot& c) {
  Napi::Object out = Napi::Object::New(env);
  Napi::Array sources = Napi::Array::New(env, c.sources.size());
  for (size_t i = 0; i < c.sources.size(); ++i) {
    const SourceCountersSnapshot& s = c.sources[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set("source", num(env, s.id));
    o.Set("name", s.name);
    o.Set("target", s.target);
    o.Set("live", s.live);
    o.Set("linkType", s.link_type);
    o.Set("packetsRead", num(env, s.packets_read));
    o.Set("filePosition", num(env, s.file_position));
    o.Set("ended", s.ended);
    o.Set("error", s.error);
    Napi::Object discards = Napi::Object::New(env);
    for (const auto& d : s.discards) discards.Set(d.first, num(env, d.second));
    o.Set("discards", discards);
    Napi::Object totals = Napi::Object::New(env);
    for (int k = 0; k < kSourceCounterCount && k < static_cast<int>(s.totals.size()); ++k)
      totals.Set(source_counter_name(k), num(env, s.totals[k]));
    o.Set("totals", totals);
    sources.Set(i, o);
  }
  out.Set("sources", sources);
  out.Set("activeFlows", Napi::Number::New(env, static_cast<double>(c.active_flows)));
  out.Set("flowsCreated", num(env, c.flows_created));
  out.Set("flowsExpired", num(env, c.flows_expired));
  out.Set("ticks", num(env, c.ticks));
  out.Set("batchesDelivered", num(env, c.batches_delivered));
  out.Set("recordsDelivered", num(env, c.records_delivered));
  out.Set("batchesDropped", num(env, c.batches_dropped));
  out.Set("recordsDropped", num(env, c.records_dropped));
  return out;
}

}  // namespace netifyd
