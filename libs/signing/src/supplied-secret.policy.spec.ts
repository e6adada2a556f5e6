import { randomBytes } from 'node:crypto';
import { DomainError, ErrorCode, type SignatureScheme } from '@herald/contracts';
import { generateSigningSecret } from './signing-secret.factory';
import { checkSuppliedSecret, schemeChangeRefusal } from './supplied-secret.policy';
import { prepareSigningKey } from './webhook.signer';

const whsec = (bytes: number) => 'whsec_' + randomBytes(bytes).toString('base64');
const HMAC_SCHEMES = ['hmac-base64', 'hmac-hex', 'hmac-sha256-prefixed'] as const;

/** The 422 field error a refused secret raises; the value itself must not be in it. */
function refusal(scheme: SignatureScheme, secret: string): { message: string; fieldMessage: string } {
  try {
    checkSuppliedSecret(scheme, secret);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    const domain = error as DomainError;
    expect(domain.code).toBe(ErrorCode.InvalidSecret);
    const fields = domain.details?.fields as { field: string; message: string }[];
    expect(fields).toEqual([{ field: 'secret', message: expect.any(String) }]);
    expect(JSON.stringify([domain.message, domain.details])).not.toContain(secret);
    return { message: domain.message, fieldMessage: fields[0].message };
  }
  throw new Error('accepted');
}

describe('checkSuppliedSecret: standard-webhooks', () => {
  it.each([24, 32, 64])('takes whsec_ + base64 of %i bytes, usable for signing', (bytes) => {
    const secret = whsec(bytes);
    expect(checkSuppliedSecret('standard-webhooks', secret)).toEqual({ secret, publicKey: null });
    expect(prepareSigningKey('standard-webhooks', secret).hmacKey).toHaveLength(bytes);
  });

  it('takes what Herald generates itself', () => {
    const { secret } = generateSigningSecret('standard-webhooks');
    expect(checkSuppliedSecret('standard-webhooks', secret).secret).toBe(secret);
  });

  it.each([
    ['too short (23 bytes)', whsec(23)],
    ['too long (65 bytes)', whsec(65)],
  ])('refuses a key %s, naming the range', (_case, secret) => {
    expect(refusal('standard-webhooks', secret).fieldMessage).toContain('24 to 64 bytes');
  });

  it.each([
    ['no prefix', randomBytes(32).toString('base64')],
    ['another prefix', 'whsk_' + randomBytes(32).toString('base64')],
    ['not base64', 'whsec_' + 'not*base64!'.repeat(4)],
    ['unpadded base64', 'whsec_' + randomBytes(32).toString('base64').replace(/=+$/, '')],
    ['padding only after the prefix', 'whsec_===='],
  ])('refuses %s, naming the format', (_case, secret) => {
    expect(refusal('standard-webhooks', secret).fieldMessage).toContain('whsec_ followed by base64');
  });
});

describe('checkSuppliedSecret: ed25519', () => {
  it('takes a whsk_ private seed and derives its whpk_ public key', () => {
    const generated = generateSigningSecret('ed25519');
    expect(checkSuppliedSecret('ed25519', generated.secret)).toEqual(generated);
  });

  it.each([
    ['a 31-byte seed', 'whsk_' + randomBytes(31).toString('base64')],
    ['a 33-byte seed', 'whsk_' + randomBytes(33).toString('base64')],
    ['a whsec_ secret', whsec(32)],
    ['a public key', 'whpk_' + randomBytes(32).toString('base64')],
  ])('refuses %s', (_case, secret) => {
    expect(refusal('ed25519', secret).fieldMessage).toContain('whsk_ followed by base64 of the 32-byte');
  });
});

describe.each(HMAC_SCHEMES)('checkSuppliedSecret: %s', (scheme) => {
  it.each([32, 100, 256])('takes any printable string of %i characters', (length) => {
    const secret = 'nexadesk secret ~!@#$%^&*()_+{}|:"<>?'.repeat(8).slice(0, length);
    expect(checkSuppliedSecret(scheme, secret)).toEqual({ secret, publicKey: null });
  });

  it('takes a whsec_ secret, as the generated ones are', () => {
    expect(checkSuppliedSecret(scheme, whsec(32)).secret).toMatch(/^whsec_/);
  });

  it.each([
    ['too short', 'x'.repeat(31), '32 to 256 characters'],
    ['too long', 'x'.repeat(257), '32 to 256 characters'],
    ['with a newline', 'x'.repeat(40) + '\n', 'printable ASCII'],
    ['with non-ASCII', 'é'.repeat(40), 'printable ASCII'],
    ['with a leading space', ' ' + 'x'.repeat(40), 'start or end with a space'],
    ['with a trailing space', 'x'.repeat(40) + ' ', 'start or end with a space'],
  ])('refuses one %s', (_case, secret, expected) => {
    const { message, fieldMessage } = refusal(scheme, secret);
    expect(fieldMessage).toContain(expected);
    expect(message).toContain(scheme);
  });
});

describe('schemeChangeRefusal', () => {
  const nexadeskStyle = 'nxd_' + randomBytes(24).toString('hex');

  it('refuses standard-webhooks while a secret is a plain hmac-* string, naming signatureScheme', () => {
    const refusal = schemeChangeRefusal('standard-webhooks', [whsec(32), nexadeskStyle]);
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal!.code).toBe(ErrorCode.InvalidSecret);
    expect(refusal!.details?.fields).toEqual([{ field: 'signatureScheme', message: expect.any(String) }]);
    expect(JSON.stringify([refusal!.message, refusal!.details])).not.toContain(nexadeskStyle);
  });

  it('lets secrets that fit the new scheme through', () => {
    expect(schemeChangeRefusal('standard-webhooks', [whsec(32)])).toBeNull();
    for (const scheme of HMAC_SCHEMES) {
      expect(schemeChangeRefusal(scheme, [whsec(32), nexadeskStyle])).toBeNull();
      expect(schemeChangeRefusal(scheme, [generateSigningSecret('standard-webhooks').secret])).toBeNull();
    }
  });
});
