import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PORTAL_PERMISSIONS, type PortalPermission } from '../../auth/portal-access.policy';

/** scheme://host[:port], optionally *.host: what a CSP frame-ancestors source may be. */
export const ORIGIN_PATTERN = /^https?:\/\/(?:\*\.)?[a-z0-9.-]+(?::\d{1,5})?$/i;

export class PortalBrandingDto {
  @ApiPropertyOptional({ example: 'Acme Support' })
  @IsOptional()
  @IsString()
  @Length(1, 80)
  name?: string;

  @ApiPropertyOptional({ example: '#0a7cff' })
  @IsOptional()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'primaryColor must be #rrggbb' })
  primaryColor?: string;

  @ApiPropertyOptional({ example: 'https://acme.example.com/logo.svg' })
  @IsOptional()
  @MaxLength(2048)
  @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logoUrl must be an https URL' })
  logoUrl?: string;
}

export class CreatePortalLinkDto {
  @ApiPropertyOptional({ type: [String], description: 'Endpoints the link shows; omitted: every endpoint' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  endpointIds?: string[];

  @ApiPropertyOptional({
    default: 3600,
    minimum: 60,
    description: 'Lifetime; at most HERALD_PORTAL_MAX_TTL_SECONDS (86400 by default)',
  })
  @IsOptional()
  @IsInt()
  expiresInSeconds?: number;

  @ApiPropertyOptional({
    enum: PORTAL_PERMISSIONS,
    isArray: true,
    default: ['read', 'replay'],
    description: 'read is always granted',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PORTAL_PERMISSIONS.length)
  @IsIn(PORTAL_PERMISSIONS as PortalPermission[], { each: true })
  permissions?: PortalPermission[];

  @ApiPropertyOptional({ type: PortalBrandingDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PortalBrandingDto)
  branding?: PortalBrandingDto;

  @ApiPropertyOptional({
    type: [String],
    example: ['https://app.acme.example.com'],
    description: 'Origins that may frame the portal (CSP frame-ancestors); omitted: any',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(ORIGIN_PATTERN, {
    each: true,
    message: 'allowedOrigins must be origins like https://app.example.com',
  })
  allowedOrigins?: string[];
}

export class PortalLinkView {
  @ApiProperty() id!: string;
  @ApiProperty({ type: [String], nullable: true, description: 'null: every endpoint' })
  endpointIds!: string[] | null;
  @ApiProperty({ enum: PORTAL_PERMISSIONS, isArray: true }) permissions!: PortalPermission[];
  @ApiProperty({ type: PortalBrandingDto }) branding!: PortalBrandingDto;
  @ApiProperty({ type: [String] }) allowedOrigins!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CreatedPortalLinkView extends PortalLinkView {
  @ApiProperty({
    description: 'Open this in a browser or an iframe: <public URL>/console/portal?link=<id>#token=<token>',
  })
  url!: string;
  @ApiProperty({ description: 'The bearer token, shown only in this response' })
  token!: string;
}

export class PortalLinkListView {
  @ApiProperty({ type: [PortalLinkView] }) data!: PortalLinkView[];
}
