import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from './optional-not-null';

const FORMATS =
  ' Its format depends on signatureScheme: standard-webhooks whsec_ + base64 of 24 to 64 bytes; ' +
  'ed25519 whsk_ + base64 of the 32-byte private seed; hmac-base64, hmac-hex and hmac-sha256-prefixed ' +
  '32 to 256 printable ASCII characters, no surrounding spaces. Anything else: 422 INVALID_SECRET ' +
  'naming the field (never the value). Stored sealed like a generated secret; leave it out to get one.';

const PURPOSE = {
  create:
    'Sign with this secret instead of a generated one, so a receiver set up in advance can verify ' +
    'the very first (verify-on-create) ping.',
  rotate: 'The new secret, instead of a generated one.',
};

/** The optional caller-supplied signing secret (create and rotate); formats: supplied-secret.policy. */
export function SuppliedSecretField(use: keyof typeof PURPOSE): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: PURPOSE[use] + FORMATS, writeOnly: true }),
    IsOptionalNotNull(),
    IsString(),
    // The per-scheme limits are lower; this only bounds what reaches the check.
    MaxLength(1_000),
  );
}
