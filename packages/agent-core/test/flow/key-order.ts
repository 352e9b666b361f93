import { expect } from 'vitest';

/** Every object's own keys are in byte order (all keys here are ASCII). */
export function expectKeysInByteOrder(value: unknown, path = '$'): void {
  if (Array.isArray(value)) return value.forEach((item, i) => expectKeysInByteOrder(item, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return;
  const keys = Object.keys(value);
  expect(keys, path).toEqual([...keys].sort());
  for (const key of keys) expectKeysInByteOrder((value as Record<string, unknown>)[key], `${path}.${key}`);
}
