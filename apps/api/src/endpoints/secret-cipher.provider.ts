import { secretCipherFromEnv, SecretCipher } from '@herald/signing';

/** The master-key cipher, built once from HERALD_MASTER_KEY / HERALD_PREVIOUS_MASTER_KEYS. */
export const secretCipherProvider = { provide: SecretCipher, useFactory: () => secretCipherFromEnv() };
