#include "engine_wrap.h"

#include <string>

#include "../capture/capture_error.h"
#include "counters_js.h"
#include "js_error.h"

namespace netifyd {
namespace {

uint64_t get_number(const Napi::Object& o, const char* key, uint64_t fallback) {
  Napi::Value v = o.Get(key);
  return v.IsNumber() ? static_cast<uint64_t>(v.As<Napi::Number>().DoubleValue()) : fallback;
}
bool get_bool(const Napi::Object& o, const char* key, bool fallback) {
  Napi::Value v = o.Get(key);
  return v.IsBoolean() ? v.As<Napi::Boolean>().Value() : fallback;
}
std::string get_string(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

EngineConfig parse_config(const Napi::Value& value) {
  EngineConfig c;
  if (!value.IsObject()) return c;
  Napi::Object o = value.As<Napi::Object>();
  c.detection_threads = static_cast<uint32_t>(get_number(o, "detectionThreads", c.detection_threads));
  c.detection.max_packets = static_cast<uint32_t>(get_number(o, "maxDetectionPackets", c.detection.max_packets));
  c.detection.reader_limits = get_bool(o, "ndpiReaderLimits", false);
  c.max_flows = get_number(o, "maxFlows", c.max_flows);
  c.tcp_idle_ttl_ms = get_number(o, "tcpIdleTtlMs", c.tcp_idle_ttl_ms);
  c.idle_ttl_ms = get_number(o, "idleTtlMs", c.idle_ttl_ms);
  c.idle_expiry = get_bool(o, "idleExpiry", c.idle_expiry);
  c.dns_flow_reuse = get_bool(o, "dnsFlowReuse", c.dns_flow_reuse);
  c.update_interval_ms = get_number(o, "updateIntervalMs", c.update_interval_ms);
  c.batch_max_records = static_cast<uint32_t>(get_number(o, "batchMaxRecords", c.batch_max_records));
  c.batch_max_ms = static_cast<uint32_t>(get_number(o, "batchMaxMs", c.batch_max_ms));
  if (c.update_interval_ms == 0) c.update_interval_ms = 1;
  return c;
}

}  // namespace

Napi::Function EngineWrap::define(Napi::Env env) {
  return DefineClass(env, "NativeEngine",
                     {
                         InstanceMethod<&EngineWrap::add_file_source>("addFileSource"),
                         InstanceMethod<&EngineWrap::add_live_source>("addLiveSource"),
                         InstanceMethod<&EngineWrap::start>("start"),
                         InstanceMethod<&EngineWrap::stop>("stop"),
                         InstanceMethod<&EngineWrap::acknowledge>("acknowledge"),
                         InstanceMethod<&EngineWrap::dispose>("dispose"),
                         InstanceMethod<&EngineWrap::counters>("counters"),
                     });
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
  engine_ = std::make_unique<Engine>(parse_config(info[0]));
}

EngineWrap::~EngineWrap() { teardown(); }

// Env teardown (process exit, worker termination) while threads may still run.
void EngineWrap::on_env_cleanup(void* arg) {
  EngineWrap* self = static_cast<EngineWrap*>(arg);
  self->cleanup_hook_ = false;
  self->teardown();
}

void EngineWrap::teardown() {
  if (cleanup_hook_) {
    napi_remove_env_cleanup_hook(Env(), &EngineWrap::on_env_cleanup, this);
    cleanup_hook_ = false;
  }
  if (sink_) sink_->abort();
  if (engine_) {
    engine_->abort();
    engine_->join();
    engine_.reset();
  }
  sink_.reset();
}

Napi::Value EngineWrap::add_file_source(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!engine_) throw make_error(env, "ERR_ENGINE_STATE", "the engine was closed");
  Napi::Object o = info[0].As<Napi::Object>();
  try {
    return Napi::Number::New(env, engine_->add_file_source(get_string(o, "name"), get_string(o, "path"),
                                                           get_string(o, "filter"), get_bool(o, "replay", false)));
  } catch (const CaptureError& e) {
    throw make_error(env, e.code(), e.what());
  }
}

Napi::Value EngineWrap::add_live_source(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!engine_) throw make_error(env, "ERR_ENGINE_STATE", "the engine was closed");
  Napi::Object o = info[0].As<Napi::Object>();
  try {
    return Napi::Number::New(
        env, engine_->add_live_source(get_string(o, "name"), get_string(o, "iface"), get_string(o, "filter"),
                                      static_cast<int>(get_number(o, "snaplen", 65535)),
                                      get_bool(o, "promiscuous", true)));
  } catch (const CaptureError& e) {
    throw make_error(env, e.code(), e.what());
  }
}

// start(onBatch(buffer: ArrayBuffer | null, done: boolean))
Napi::Value EngineWrap::start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!engine_) throw make_error(env, "ERR_ENGINE_STATE", "the engine was closed");
  if (engine_->started()) throw make_error(env, "ERR_ENGINE_STATE", "the engine was already started");
  sink_ = std::make_unique<TsfnSink>(env, info[0].As<Napi::Function>(), engine_->lossless(),
                                     [this] { self_.Reset(); });
  self_ = Napi::Persistent(Value());
  napi_add_env_cleanup_hook(env, &EngineWrap::on_env_cleanup, this);
  cleanup_hook_ = true;
  try {
    engine_->start(*sink_);
  } catch (const std::exception& e) {
    const std::string reason = e.what();
    teardown();  // releases the ThreadSafeFunction so the event loop is not held open
    self_.Reset();
    throw make_error(env, "ERR_ENGINE_START", "the engine could not start: " + reason);
  }
  return env.Undefined();
}

Napi::Value EngineWrap::stop(const Napi::CallbackInfo& info) {
  if (engine_) engine_->stop();
  return info.Env().Undefined();
}

Napi::Value EngineWrap::acknowledge(const Napi::CallbackInfo& info) {
  if (sink_) sink_->acknowledge();
  return info.Env().Undefined();
}

// After the final batch (or instead of start()): joins threads and frees everything.
Napi::Value EngineWrap::dispose(const Napi::CallbackInfo& info) {
  teardown();
  self_.Reset();
  return info.Env().Undefined();
}

Napi::Value EngineWrap::counters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!engine_) return env.Null();
  return counters_to_js(env, engine_->counters());
}

}  // namespace netifyd
