/**
 * A message of named members (`interfaces`, `interface_stats`, `endpoints`): `type` plus the
 * members, every key in byte order, as proc-core writes an ordered object natively. A member
 * named `type` cannot replace the message's type.
 */
export function namedMessage<M extends { type: string }>(type: M['type'], members: ReadonlyMap<string, unknown>): M {
  const message: Record<string, unknown> = {};
  let typed = false;
  for (const name of [...members.keys()].sort()) {
    if (!typed && name >= 'type') {
      message.type = type;
      typed = true;
      if (name === 'type') continue;
    }
    message[name] = members.get(name);
  }
  if (!typed) message.type = type;
  return message as M;
}
