// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Pub/sub commands. (Being written: this registers none yet.)
#include "server/command_table.h"

namespace ringkv::server {

void RegisterPubSubCommands(CommandTable& /*table*/) {}

}  // namespace ringkv::server
