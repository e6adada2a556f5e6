import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  EVENT_CATALOGUE,
  highestEventVersion,
  PAYLOAD_PROFILES,
  SIGNATURE_SCHEMES,
  type PayloadProfile,
  type ProductProfileName,
  type ProductProfileSettings,
  type SignatureScheme,
} from '@herald/contracts';
import { IsOptionalNotNull } from './optional-not-null';
import { SuppliedSecretField } from './supplied-secret.field';
import {
  ProductProfileField,
  ProductProfileViewField,
  ProfileOverridesViewField,
} from './product-profile.fields';

const HIGHEST_EVENT_VERSION = highestEventVersion(EVENT_CATALOGUE);

const EVENT_TYPES_DESCRIPTION =
  'Catalogued event types (GET /v1/event-types), prefix wildcards matching at least one (message.*) ' +
  'or *; anything else is refused with 422 UNKNOWN_EVENT_TYPE';

/** Fields an endpoint may set besides url and event types; absolute bounds here, configurable ones in the use case. */
export class EndpointFieldsDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Mongo-style filter on the event envelope, e.g. {"data.communicationType":"sms"}',
  })
  @IsOptional()
  @IsObject()
  filter?: Record<string, unknown> | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(1_000)
  description?: string | null;

  @ProductProfileField()
  productProfile?: ProductProfileName | null;

  @ApiPropertyOptional({ enum: PAYLOAD_PROFILES })
  @IsOptionalNotNull()
  @IsIn(PAYLOAD_PROFILES as PayloadProfile[])
  payloadProfile?: PayloadProfile;

  @ApiPropertyOptional({ enum: SIGNATURE_SCHEMES })
  @IsOptionalNotNull()
  @IsIn(SIGNATURE_SCHEMES as SignatureScheme[])
  signatureScheme?: SignatureScheme;

  @ApiPropertyOptional({ nullable: true, example: 'X-NexaDesk-Signature' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  signatureHeader?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description:
      'Custom headers sent on every attempt. Values are sealed and write-only (responses show `[redacted]`); reserved names and values with control characters or outside Latin-1 are refused with 422',
  })
  @IsOptionalNotNull()
  @IsObject()
  headers?: Record<string, string>;

  @ApiPropertyOptional({
    description:
      'Per-attempt timeout in milliseconds, at most HERALD_ENDPOINT_MAX_TIMEOUT (30000); above: 422',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(100)
  timeoutMs?: number;

  @ApiPropertyOptional({
    description:
      'Concurrent attempts towards this endpoint, at most HERALD_ENDPOINT_MAX_IN_FLIGHT (512); above: 422',
  })
  @IsOptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxInFlight?: number;

  @ApiPropertyOptional({ nullable: true, description: 'Attempts per second; null for no limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100_000)
  rateLimitPerSecond?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    description:
      'Pin an event schema version: each type is delivered only in the newest version at or below it ' +
      '(GET /v1/event-types lists the versions) and payloads carry schemaVersion; null takes every version',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(HIGHEST_EVENT_VERSION)
  eventVersion?: number | null;

  @ApiPropertyOptional({
    nullable: true,
    example: '+15551234567',
    description:
      'Scope to one line (Messages.dev): only events whose data.lineId equals it are delivered; null takes every line',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  line?: string | null;

  @ApiPropertyOptional({ type: [String], nullable: true, example: ['1m', '5m', '30m', '2h', '24h'] })
  @IsOptional()
  // Without IsArray a lone string passes `each` and reaches the use case as a string.
  @IsArray()
  @IsString({ each: true })
  retrySchedule?: string[] | null;

  @ApiPropertyOptional({ description: 'Deliver one at a time, in order' })
  @IsOptionalNotNull()
  @IsBoolean()
  fifo?: boolean;

  @ApiPropertyOptional()
  @IsOptionalNotNull()
  @IsBoolean()
  disabled?: boolean;
}

export class UpdateEndpointDto extends EndpointFieldsDto {
  @ApiPropertyOptional({ example: 'https://example.com/webhooks/herald' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(8_192)
  url?: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['message.*', 'lead.created'],
    description: EVENT_TYPES_DESCRIPTION,
  })
  @IsOptionalNotNull()
  @IsString({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  eventTypes?: string[];
}

export class CreateEndpointDto extends EndpointFieldsDto {
  @ApiProperty({ example: 'https://example.com/webhooks/herald' })
  @IsString()
  @MaxLength(8_192)
  url!: string;

  @ApiProperty({ type: [String], example: ['message.*'], description: EVENT_TYPES_DESCRIPTION })
  @IsString({ each: true })
  @ArrayMinSize(1)
  @ArrayMaxSize(1_000)
  eventTypes!: string[];

  @ApiPropertyOptional({ description: 'Send a signed test event right after creating it' })
  @IsOptionalNotNull()
  @IsBoolean()
  test?: boolean;

  @ApiPropertyOptional({
    default: false,
    description:
      'Send a signed test ping before storing the endpoint and create it only if the URL answers exactly ' +
      '200 (any other status, 2xx included, fails); otherwise 422 ENDPOINT_VERIFICATION_FAILED with ' +
      'error.details { status } or { reason: timeout|refused|dns|tls|reset|unsafe_address|unknown, message }',
  })
  @IsOptionalNotNull()
  @IsBoolean()
  verifyOnCreate?: boolean;

  @SuppliedSecretField('create') secret?: string;
}

export class DeleteEndpointByBodyDto {
  @ApiProperty()
  @IsString()
  @Length(1, 100)
  id!: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({
    description:
      'How long the previous secret keeps signing: 0s to 7d, default 24h. hmac-base64, hmac-hex and ' +
      'hmac-sha256-prefixed sign with the current secret only: default 0s, anything longer is refused (422)',
    example: '24h',
  })
  @IsOptionalNotNull()
  @IsString()
  @Length(1, 20)
  gracePeriod?: string;

  @SuppliedSecretField('rotate') secret?: string;
}

export class ReplayWindowDto {
  @ApiProperty({ example: '2026-11-22T00:00:00Z' })
  @IsString()
  since!: string;

  @ApiPropertyOptional({ example: '2026-11-23T00:00:00Z' })
  @IsOptionalNotNull()
  @IsString()
  until?: string;

  @ApiPropertyOptional({
    example: '5m',
    description: 'Ends the job as timed_out after this long; at most, and by default, HERALD_JOB_TIME_LIMIT',
  })
  @IsOptionalNotNull()
  @IsString()
  timeLimit?: string;
}

export class BackfillDto {
  @ApiProperty({ example: '2026-11-22T00:00:00Z' })
  @IsString()
  since!: string;

  @ApiPropertyOptional({
    example: '5m',
    description: 'Ends the job as timed_out after this long; at most, and by default, HERALD_JOB_TIME_LIMIT',
  })
  @IsOptionalNotNull()
  @IsString()
  timeLimit?: string;
}

export class SecretView {
  @ApiProperty() id!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
}

export class EndpointView {
  @ApiProperty() id!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() version!: number;
  @ApiProperty() url!: string;
  @ApiProperty({ type: [String] }) eventTypes!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) filter!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ProductProfileViewField() productProfile!: ProductProfileName | null;
  @ProfileOverridesViewField() profileOverrides!: (keyof ProductProfileSettings)[];
  @ApiProperty({ enum: PAYLOAD_PROFILES }) payloadProfile!: PayloadProfile;
  @ApiProperty({ enum: SIGNATURE_SCHEMES }) signatureScheme!: SignatureScheme;
  @ApiProperty({ nullable: true, type: String }) signatureHeader!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Custom header names; every value is `[redacted]` (values are write-only)',
  })
  headers!: Record<string, string>;
  @ApiProperty() timeoutMs!: number;
  @ApiProperty() maxInFlight!: number;
  @ApiProperty({ nullable: true, type: Number }) rateLimitPerSecond!: number | null;
  @ApiProperty({ nullable: true, type: Number }) eventVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) line!: string | null;
  @ApiProperty({ type: [String], nullable: true }) retrySchedule!: string[] | null;
  @ApiProperty() fifo!: boolean;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ nullable: true, type: String }) disabledReason!: string | null;
  @ApiProperty({ type: [SecretView] }) secrets!: SecretView[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class TestResultView {
  @ApiProperty({ description: 'The ping in the delivery log (GET .../deliveries/:id), marked test: true' })
  deliveryId!: string;
  @ApiProperty() delivered!: boolean;
  @ApiProperty({ nullable: true, type: Number }) status!: number | null;
  @ApiProperty() latencyMs!: number;
  @ApiProperty({ nullable: true, type: String }) responseBody!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class CreatedEndpointView extends EndpointView {
  @ApiPropertyOptional({ description: 'The signing secret, shown only when the endpoint is created' })
  secret?: string;
  @ApiPropertyOptional({ description: 'ed25519 only: the key receivers verify with' })
  publicKey?: string | null;
  @ApiPropertyOptional({ type: TestResultView }) test?: TestResultView;
  @ApiPropertyOptional({ type: TestResultView, description: 'With verifyOnCreate: the verification ping' })
  verification?: TestResultView;
}

export class EndpointListView {
  @ApiProperty({ type: [EndpointView] }) data!: EndpointView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RevealedSecretView {
  @ApiProperty() id!: string;
  @ApiProperty() secret!: string;
  @ApiProperty({ nullable: true, type: String }) publicKey!: string | null;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
}

export class RotatedSecretView {
  @ApiProperty() id!: string;
  @ApiProperty() secret!: string;
  @ApiProperty({ nullable: true, type: String }) publicKey!: string | null;
  @ApiProperty({ description: 'When the previous secret stops signing', nullable: true, type: String })
  previousExpiresAt!: string | null;
}
