// Crockford's base32 without I, L, O, U: short codes read aloud over the phone survive.
const REF_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Short public booking code, 8 symbols = 40 random bits; never sequential. */
export function randomRef(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  let ref = ''
  for (const byte of bytes) ref += REF_ALPHABET[byte & 31]
  return ref
}
