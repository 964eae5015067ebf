// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/acl.h"

namespace ringkv::server {

bool AclAllows(const ServerContext&, const ClientState&, const CommandSpec&,
               std::span<const std::string_view>, std::string*) {
  return true;
}

}  // namespace ringkv::server
