import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsOptionalNotNull } from './optional-not-null';
import { WORKSPACE_ROLES, type WorkspaceRole } from '@herald/persistence';

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'Acme support' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({
    description:
      "The product's own workspace id, as its domain events carry it; a uuid is generated otherwise",
    example: '01K6N5WEYHS5N0796000000000',
  })
  @IsOptionalNotNull()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/, { message: 'id is 1-64 letters, digits, _ or -' })
  id?: string;
}

export class WorkspaceView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() createdAt!: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'ci deploys' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: WORKSPACE_ROLES })
  @IsIn(WORKSPACE_ROLES as WorkspaceRole[])
  role!: WorkspaceRole;
}

export class ApiKeyView {
  @ApiProperty() id!: string;
  @ApiProperty() workspaceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: WORKSPACE_ROLES }) role!: WorkspaceRole;
  @ApiProperty({ description: 'First characters of the key' }) prefix!: string;
  @ApiProperty() createdAt!: string;
}

export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The key itself, shown only in this response' }) key!: string;
}

export class EgressAllowlistDto {
  @ApiProperty({
    description:
      "CIDRs (or single addresses) this workspace's endpoints may reach beside the operator's global " +
      'allowlist, e.g. a partner VPN; at most 32, none wider than /8 (IPv4) or /32 (IPv6), never cloud ' +
      'metadata or link-local. Replaces the whole list; [] removes it.',
    example: ['10.20.0.0/16', 'fd00:1:2::/48'],
  })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  cidrs!: string[];
}

export class EgressAllowlistView {
  @ApiProperty({ description: 'The stored list, canonical (network address and prefix)' })
  cidrs!: string[];
}

export class WorkspaceRetentionDto {
  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      "Days the delivery log keeps this workspace's deliveries and attempts; null or absent: the operator's " +
      'default. Must lie within the bounds the operator set (HERALD_RETENTION_MIN_DAYS..MAX_DAYS), else 422 ' +
      'RETENTION_OUT_OF_BOUNDS.',
    example: 60,
  })
  @IsOptional()
  @IsInt()
  retentionDays?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      'Days it keeps payloads and response bodies; within the same bounds and at most the records retention.',
    example: 14,
  })
  @IsOptional()
  @IsInt()
  bodyRetentionDays?: number | null;
}

class RetentionDaysView {
  @ApiProperty() retentionDays!: number;
  @ApiProperty() bodyRetentionDays!: number;
}

class RetentionBoundsView {
  @ApiProperty() minDays!: number;
  @ApiProperty() maxDays!: number;
}

export class WorkspaceRetentionView {
  @ApiProperty({ type: Number, nullable: true, description: "The workspace's own value; null: the default" })
  retentionDays!: number | null;

  @ApiProperty({ type: Number, nullable: true, description: "The workspace's own value; null: the default" })
  bodyRetentionDays!: number | null;

  @ApiProperty({
    type: RetentionDaysView,
    description: 'What applies now (defaults filled in, bodies <= records)',
  })
  effective!: RetentionDaysView;

  @ApiProperty({ type: RetentionBoundsView, description: 'What an override may be' })
  bounds!: RetentionBoundsView;
}
