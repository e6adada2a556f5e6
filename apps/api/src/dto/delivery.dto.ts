import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { Transform, Type } from 'class-transformer';
import { BODY_REMOVAL_REASONS, DELIVERY_STATUSES, type DeliveryStatus } from '@herald/persistence';
import { OPERATIONAL_EVENT_TYPES } from '@herald/contracts';

const PAGE_LIMIT_DESCRIPTION =
  'Page size; default HERALD_API_DEFAULT_PAGE_SIZE, above HERALD_API_MAX_PAGE_SIZE refused with 422';

export class DeliveryListQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) endpointId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES as DeliveryStatus[])
  status?: DeliveryStatus;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) eventType?: string;
  @ApiPropertyOptional({ description: 'false hides test pings, true lists only them' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  test?: boolean;
  @ApiPropertyOptional({ description: 'ISO-8601; deliveries requested at or after' })
  @IsOptional()
  @IsString()
  since?: string;
  @ApiPropertyOptional({ description: 'ISO-8601; deliveries requested before' })
  @IsOptional()
  @IsString()
  until?: string;
  @ApiPropertyOptional({ description: PAGE_LIMIT_DESCRIPTION })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;
  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class PageQueryDto {
  @ApiPropertyOptional({ description: PAGE_LIMIT_DESCRIPTION })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}

export class DeliveryView {
  @ApiProperty() id!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty() eventId!: string;
  @ApiProperty() eventType!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ nullable: true, type: String }) trigger!: string | null;
  @ApiProperty({
    description: 'A test ping (POST .../endpoints/:id/test, verify-on-create): never retried or counted',
  })
  test!: boolean;
  @ApiProperty() attemptCount!: number;
  @ApiProperty({ nullable: true, type: String }) occurredAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) lastAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: Number }) lastResponseStatus!: number | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt!: string | null;
}

/** Says a stored body was removed on purpose, so a null body is never mistaken for an empty one. */
export class BodyRemovedView {
  @ApiProperty({
    enum: BODY_REMOVAL_REASONS,
    description: 'purged: an erasure request; retention: it aged out',
  })
  reason!: string;
  @ApiProperty({ description: 'When it was removed' }) at!: string;
}

export class AttemptView {
  @ApiProperty() id!: string;
  @ApiProperty() attempt!: number;
  @ApiProperty() startedAt!: string;
  @ApiProperty() durationMs!: number;
  @ApiProperty() outcome!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) request!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'After a removal only status and bodyTruncated are kept; body and headers are null',
  })
  response!: Record<string, unknown> | null;
  @ApiProperty({
    type: BodyRemovedView,
    nullable: true,
    description: "Set when the response's body and headers were removed; null while they are kept",
  })
  responseRemoved!: BodyRemovedView | null;
  @ApiProperty({ nullable: true, type: String }) remoteIp!: string | null;
  @ApiProperty({ nullable: true, type: String }) errorClass!: string | null;
  @ApiProperty({ nullable: true, type: String }) errorMessage!: string | null;
  @ApiProperty({ nullable: true, type: String }) nextAttemptAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) traceId!: string | null;
}

export class DeliveryDetailView extends DeliveryView {
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The exact body every attempt sends; null before it is projected or once removed',
  })
  payload!: string | null;
  @ApiProperty({
    type: BodyRemovedView,
    nullable: true,
    description: 'Set when the payload was removed (purge or retention); null while it is kept',
  })
  payloadRemoved!: BodyRemovedView | null;
  @ApiProperty({ type: [AttemptView] }) attempts!: AttemptView[];
}

export class DeliveryListView {
  @ApiProperty({ type: [DeliveryView] }) data!: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RetryAcceptedView {
  @ApiProperty() deliveryId!: string;
  @ApiProperty() attempt!: number;
}

/** Jobs' views live with the jobs; re-exported for the routes that start them. */
export { JobView } from '../jobs/job.view';

export class OperationalEventView {
  @ApiProperty({ enum: OPERATIONAL_EVENT_TYPES })
  type!: string;
  @ApiProperty() endpointId!: string;
  @ApiProperty({ nullable: true, type: String }) deliveryId!: string | null;
  @ApiProperty() reason!: string;
  @ApiProperty() at!: string;
}

export class OperationalEventListView {
  @ApiProperty({ type: [OperationalEventView] }) data!: OperationalEventView[];
}
