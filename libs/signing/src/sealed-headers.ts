/** The secret cipher's two operations, as header sealing needs them. */
export interface HeaderCipher {
  encrypt(plaintext: string): string;
  decrypt(ciphertext: string): string;
}

/** Custom header values sealed one by one, names kept in clear (they show in views and attempt logs). */
export function sealHeaders(cipher: HeaderCipher, headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, cipher.encrypt(value)]));
}

/**
 * An endpoint's custom headers in clear: clear values saved before sealing existed (`legacy`), then the
 * sealed ones. Throws DecryptionFailed when no configured master key opens a value.
 */
export function openHeaders(
  cipher: HeaderCipher,
  sealed: Record<string, string> | undefined,
  legacy: Record<string, string> | undefined = {},
): Record<string, string> {
  const open: Record<string, string> = { ...legacy };
  for (const [name, envelope] of Object.entries(sealed ?? {})) open[name] = cipher.decrypt(envelope);
  return open;
}
