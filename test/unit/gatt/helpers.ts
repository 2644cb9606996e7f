// Test helpers: hex strings as in bluetooth-gatt.md, and every on/off combination of options.
export const hex = (s: string): Uint8Array =>
  Uint8Array.from(
    s
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((x) => parseInt(x, 16)),
  );

export const toHex = (b: Uint8Array): string =>
  [...b].map((x) => x.toString(16).toUpperCase().padStart(2, '0')).join(' ');

/** All 2^n assignments of the keys, e.g. for "every optional field on and off". */
export function combos<K extends string>(keys: readonly K[]): Record<K, boolean>[] {
  return Array.from({ length: 2 ** keys.length }, (_, i) =>
    Object.fromEntries(keys.map((k, b) => [k, ((i >> b) & 1) === 1])),
  ) as Record<K, boolean>[];
}

/** "time+pulse" style label for a combination. */
export const label = (c: Record<string, boolean>): string =>
  Object.entries(c)
    .filter(([, on]) => on)
    .map(([k]) => k)
    .join('+') || 'none';

export const STOCKHOLM = { timeZone: 'Europe/Stockholm' };
