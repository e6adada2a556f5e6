import { z } from 'zod';
import { loadConfig } from '@herald/config';
import { SecretCipher } from './secret.cipher';

function isKey(text: string): boolean {
  return /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && Buffer.from(text, 'base64').length === 32;
}

/** Master keys that seal endpoint signing secrets. Previous keys only decrypt, during a master-key rotation. */
export const masterKeyEnv = z.object({
  HERALD_MASTER_KEY: z.string().trim().refine(isKey, 'expected base64 of exactly 32 bytes'),
  HERALD_PREVIOUS_MASTER_KEYS: z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    )
    .refine((keys) => keys.every(isKey), 'expected a comma list of base64 keys of 32 bytes each'),
});

export type MasterKeyEnv = z.infer<typeof masterKeyEnv>;

export function secretCipherFromEnv(env: NodeJS.ProcessEnv = process.env): SecretCipher {
  const config = loadConfig(masterKeyEnv, env);
  return new SecretCipher(
    Buffer.from(config.HERALD_MASTER_KEY, 'base64'),
    config.HERALD_PREVIOUS_MASTER_KEYS.map((key) => Buffer.from(key, 'base64')),
  );
}
