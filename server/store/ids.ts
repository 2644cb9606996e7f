import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789'; // no 0/o, 1/l: ids get read aloud

/** An opaque id such as `pat_k3x9m2qh7wze`: random, so it never encodes who the patient is. */
export function newId(prefix: string, length = 12): string {
  const bytes = randomBytes(length);
  let s = '';
  for (const b of bytes) s += ALPHABET[b % ALPHABET.length];
  return `${prefix}_${s}`;
}
