// Text from devices as the hub can keep it. Pure; imports nothing of the stages.

/**
 * Text as PostgreSQL can store it, at most `max` characters: NUL becomes U+FFFD, as does half a
 * surrogate pair (neither has a place in text or jsonb, and one refused value failed the whole
 * commit, which was then split message by message: a device sending them slowed everyone).
 * Used where the hub quotes what a device sent, and by the store on every rejection it records.
 */
export function storableText(s: string, max: number): string {
  const cut = s.length > max ? `${s.slice(0, max - 1)}…` : s;
  return cut.replaceAll('\u0000', '\uFFFD').toWellFormed();
}
