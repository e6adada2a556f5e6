import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { DomainError, ErrorCode } from '@herald/contracts';

const FORMAT = 'hs1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Short, non-secret fingerprint of a master key, stored in each envelope so decryption picks the right key. */
export function masterKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * AES-256-GCM envelope for signing secrets at rest and on the subscriptions changelog.
 * Format: `hs1.<keyId>.<iv b64url>.<ciphertext b64url>.<tag b64url>`. The key id lets an operator rotate
 * the master key: new envelopes use the current key, old ones still open with a previous key until
 * re-encrypted (see isCurrent).
 */
export class SecretCipher {
  private readonly currentId: string;
  private readonly keys = new Map<string, Buffer>();

  constructor(currentKey: Buffer, previousKeys: Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) {
        throw new DomainError(ErrorCode.InvalidSecret, `master keys must be 32 bytes, got ${key.length}`);
      }
    }
    this.currentId = masterKeyId(currentKey);
    this.keys.set(this.currentId, currentKey);
    for (const key of previousKeys) {
      const id = masterKeyId(key);
      if (!this.keys.has(id)) this.keys.set(id, key);
    }
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentId)!, iv);
    // The key id is authenticated too, so an envelope cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(`${FORMAT}.${this.currentId}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      FORMAT,
      this.currentId,
      iv.toString('base64url'),
      body.toString('base64url'),
      tag.toString('base64url'),
    ].join('.');
  }

  /** Opens an envelope with the key named in it, else tries the current then every previous key. */
  decrypt(ciphertext: string): string {
    const parts = ciphertext.split('.');
    if (parts.length !== 5 || parts[0] !== FORMAT) {
      throw new DomainError(ErrorCode.DecryptionFailed, 'not a Herald secret envelope');
    }
    const [, keyId, ivText, bodyText, tagText] = parts;
    const iv = Buffer.from(ivText, 'base64url');
    const tag = Buffer.from(tagText, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
      throw new DomainError(ErrorCode.DecryptionFailed, 'malformed secret envelope');
    }
    const body = Buffer.from(bodyText, 'base64url');
    const named = this.keys.get(keyId);
    const candidates = named ? [named] : [...this.keys.values()];
    for (const key of candidates) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(`${FORMAT}.${keyId}`));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // wrong key or tampered envelope: try the next key
      }
    }
    throw new DomainError(
      ErrorCode.DecryptionFailed,
      `no configured master key opens this secret (key id ${keyId})`,
    );
  }

  /** True when the envelope was sealed with the current master key (no re-encryption needed). */
  isCurrent(ciphertext: string): boolean {
    const parts = ciphertext.split('.');
    return parts.length === 5 && parts[0] === FORMAT && parts[1] === this.currentId;
  }
}
