import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Principal } from '../../auth/principal';
import { permissionsOf } from '../../auth/workspace-role.policy';

class PortalBrandingView {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional({ example: '#0a7cff' }) primaryColor?: string;
  @ApiPropertyOptional({ example: 'https://example.com/logo.svg' }) logoUrl?: string;
}

class ConsoleSettingsView {
  @ApiPropertyOptional({
    example: 'https://jaeger.example.com/trace/{traceId}',
    description: 'Where a trace id links to (HERALD_TRACE_URL_TEMPLATE)',
  })
  traceUrlTemplate?: string;
}

/** One shape for the three kinds; fields beyond `kind` appear as the kind has them. */
export class MeView {
  @ApiProperty({ enum: ['operator', 'api-key', 'portal'] }) kind!: 'operator' | 'api-key' | 'portal';
  @ApiPropertyOptional() workspaceId?: string;
  @ApiPropertyOptional({ enum: ['owner', 'admin', 'developer', 'viewer'] }) role?: string;
  @ApiProperty({
    type: [String],
    description:
      'What this token may do: read, endpoints.write, secrets.read, replay, keys.manage, egress.manage, data.purge',
  })
  permissions!: string[];
  @ApiPropertyOptional({
    type: [String],
    nullable: true,
    description: 'Portal links: the endpoints it shows; null for every endpoint of the workspace',
  })
  endpointIds?: string[] | null;
  @ApiPropertyOptional({ type: PortalBrandingView }) branding?: PortalBrandingView;
  @ApiPropertyOptional({ format: 'date-time' }) expiresAt?: string;
  @ApiPropertyOptional({ type: ConsoleSettingsView }) console?: ConsoleSettingsView;
}

/** Who the bearer token is, for the console to show and enable what it may do (the API enforces it anyway). */
export function toMeView(principal: Principal, settings: { traceUrlTemplate?: string }): MeView {
  const console = settings.traceUrlTemplate
    ? { console: { traceUrlTemplate: settings.traceUrlTemplate } }
    : {};
  switch (principal.kind) {
    case 'operator':
      return { kind: 'operator', permissions: permissionsOf('operator'), ...console };
    case 'api-key':
      return {
        kind: 'api-key',
        workspaceId: principal.workspaceId,
        role: principal.role,
        permissions: permissionsOf(principal.role),
        ...console,
      };
    case 'portal':
      return {
        kind: 'portal',
        workspaceId: principal.workspaceId,
        endpointIds: principal.endpointIds,
        permissions: [...principal.permissions],
        branding: principal.branding,
        expiresAt: principal.expiresAt.toISOString(),
        ...console,
      };
  }
}
