import { randomBytes } from 'node:crypto';
import { DomainError } from '@herald/contracts';
import { SecretCipher } from './secret.cipher';
import { secretCipherFromEnv } from './master-key.env';
import { generateSigningSecret } from './signing-secret.factory';

describe('SecretCipher', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round-trips and uses a fresh IV each time', () => {
    const cipher = new SecretCipher(keyA);
    const one = cipher.encrypt('whsec_abc');
    const two = cipher.encrypt('whsec_abc');
    expect(one).not.toEqual(two);
    expect(one).not.toContain('whsec_abc');
    expect(cipher.decrypt(one)).toBe('whsec_abc');
    expect(cipher.isCurrent(one)).toBe(true);
  });

  it('opens envelopes sealed with a previous key and reports them as not current', () => {
    const old = new SecretCipher(keyA).encrypt('s3cret');
    const rotated = new SecretCipher(keyB, [keyA]);
    expect(rotated.decrypt(old)).toBe('s3cret');
    expect(rotated.isCurrent(old)).toBe(false);
    expect(rotated.isCurrent(rotated.encrypt('x'))).toBe(true);
  });

  it('refuses unknown keys and tampered envelopes', () => {
    const sealed = new SecretCipher(keyA).encrypt('s3cret');
    expect(() => new SecretCipher(keyB).decrypt(sealed)).toThrow(DomainError);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => new SecretCipher(keyA).decrypt(parts.join('.'))).toThrow(DomainError);
    expect(() => new SecretCipher(keyA).decrypt('garbage')).toThrow(DomainError);
  });

  it('rejects keys that are not 32 bytes', () => {
    expect(() => new SecretCipher(randomBytes(16))).toThrow(DomainError);
  });

  it('builds from the environment and names a bad variable', () => {
    const env = {
      HERALD_MASTER_KEY: keyB.toString('base64'),
      HERALD_PREVIOUS_MASTER_KEYS: keyA.toString('base64'),
    };
    const sealed = new SecretCipher(keyA).encrypt('hello');
    expect(secretCipherFromEnv(env).decrypt(sealed)).toBe('hello');
    expect(() => secretCipherFromEnv({ HERALD_MASTER_KEY: 'short' })).toThrow(/HERALD_MASTER_KEY/);
    expect(() => secretCipherFromEnv({})).toThrow(/HERALD_MASTER_KEY is missing/);
  });
});

describe('generateSigningSecret', () => {
  it('makes whsec_ secrets of 32 random bytes for HMAC schemes', () => {
    const { secret, publicKey } = generateSigningSecret('standard-webhooks');
    expect(secret).toMatch(/^whsec_/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(32);
    expect(publicKey).toBeNull();
    expect(generateSigningSecret('hmac-hex').secret).not.toEqual(secret);
  });

  it('makes ed25519 key pairs', () => {
    const { secret, publicKey } = generateSigningSecret('ed25519');
    expect(secret).toMatch(/^whsk_/);
    expect(publicKey).toMatch(/^whpk_/);
    expect(Buffer.from(secret.slice(5), 'base64')).toHaveLength(32);
    expect(Buffer.from(publicKey!.slice(5), 'base64')).toHaveLength(32);
  });
});
