import { randomBytes } from 'node:crypto';
import { hashApiKey } from './api-key.codec';

export const PORTAL_TOKEN_PREFIX = 'hpl_';

/** 32 random bytes, like API keys: stored only as sha256 (hashApiKey), which needs no salt at this entropy. */
export function generatePortalToken(): { token: string; hash: string } {
  const token = PORTAL_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  return { token, hash: hashApiKey(token) };
}

export function isPortalToken(token: string): boolean {
  return token.startsWith(PORTAL_TOKEN_PREFIX);
}
