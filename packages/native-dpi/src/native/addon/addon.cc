// Module entry: exports NativeEngine, nDPI facts and the record format constants.
#include <napi.h>

#include "../detect/ndpi_module.h"
#include "../detect/ndpi_snprintf.h"
#include "../events/record.h"
#include "../events/source_counters.h"
#include "engine_wrap.h"
#include "js_error.h"

namespace netifyd {
namespace {

Napi::Value ndpi_protocols(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<ProtocolInfo> table;
  try {
    table = ndpi_protocol_table();
  } catch (const std::exception& e) {
    throw make_error(env, "ERR_NDPI", e.what());
  }
  Napi::Array out = Napi::Array::New(env, table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("id", table[i].id);
    o.Set("name", table[i].name);
    o.Set("category", table[i].category);
    o.Set("categoryName", table[i].category_name);
    out.Set(i, o);
  }
  return out;
}

Napi::Value ndpi_version(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), ndpi_version_string());
}

Napi::Value check_fast_snprintf(const Napi::CallbackInfo& info) {
  const std::vector<std::string> mismatches = fast_snprintf_mismatches();
  Napi::Array out = Napi::Array::New(info.Env(), mismatches.size());
  for (size_t i = 0; i < mismatches.size(); ++i) out.Set(i, mismatches[i]);
  return out;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  exports.Set("NativeEngine", EngineWrap::define(env));
  exports.Set("ndpiProtocols", Napi::Function::New(env, ndpi_protocols, "ndpiProtocols"));
  exports.Set("ndpiVersion", Napi::Function::New(env, ndpi_version, "ndpiVersion"));
  exports.Set("checkFastSnprintf", Napi::Function::New(env, check_fast_snprintf, "checkFastSnprintf"));
  exports.Set("recordFormat", Napi::Number::New(env, kRecordFormat));
  Napi::Array names = Napi::Array::New(env, kSourceCounterCount);
  for (int i = 0; i < kSourceCounterCount; ++i) names.Set(i, source_counter_name(i));
  exports.Set("sourceCounterNames", names);
  return exports;
}

}  // namespace
}  // namespace netifyd

static Napi::Object init_module(Napi::Env env, Napi::Object exports) {
  return netifyd::init(env, exports);
}

NODE_API_MODULE(netifyd_native_dpi, init_module)
