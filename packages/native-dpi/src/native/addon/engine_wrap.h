// The JS class NativeEngine: wraps one Engine. Declared in TS by src/binding.ts.
#pragma once
#include <napi.h>

#include <memory>

#include "../engine/engine.h"
#include "tsfn_sink.h"

namespace netifyd {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function define(Napi::Env env);
  explicit EngineWrap(const Napi::CallbackInfo& info);
  ~EngineWrap() override;

 private:
  Napi::Value add_file_source(const Napi::CallbackInfo& info);
  Napi::Value add_live_source(const Napi::CallbackInfo& info);
  Napi::Value start(const Napi::CallbackInfo& info);
  Napi::Value stop(const Napi::CallbackInfo& info);
  Napi::Value acknowledge(const Napi::CallbackInfo& info);
  Napi::Value dispose(const Napi::CallbackInfo& info);
  Napi::Value counters(const Napi::CallbackInfo& info);

  void teardown();
  static void on_env_cleanup(void* arg);

  std::unique_ptr<Engine> engine_;
  std::unique_ptr<TsfnSink> sink_;
  Napi::ObjectReference self_;  // keeps this object alive while threads run
  bool cleanup_hook_ = false;
};

}  // namespace netifyd
