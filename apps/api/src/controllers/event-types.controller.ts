import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import {
  DOMAIN_EVENT_ENVELOPE_SCHEMA,
  EVENT_CATALOGUE,
  eventFamily,
  type EventFamily,
} from '@herald/contracts';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import { ApiStandardErrors } from '../http/api-docs.decorators';

class EventTypeView {
  @ApiProperty() type!: string;
  @ApiProperty({
    enum: ['domain', 'operational'],
    description:
      "`domain`: produced by product services. `operational`: emitted by Herald about the workspace's own endpoints, delivered to the endpoints that subscribe to it by name or prefix (`endpoint.*`, `delivery.*`; `*` does not include them), never to the endpoint it is about",
  })
  family!: EventFamily;
  @ApiProperty() version!: number;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "JSON Schema of the event's data" })
  schema!: Record<string, unknown>;
}

class EventTypeListView {
  @ApiProperty({ type: [EventTypeView] }) data!: EventTypeView[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'JSON Schema of every event envelope',
  })
  envelope!: Record<string, unknown>;
}

@ApiTags('event types')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller('v1/event-types')
@UseGuards(AuthGuard)
export class EventTypesController {
  @Get()
  @Requires('read')
  @ApiOperation({
    summary: 'Every event type an endpoint can subscribe to, each version with its data schema',
    description: [
      'Two families share one envelope `{id, type, workspaceId, occurredAt, schemaVersion?, data}`.',
      '',
      '**Domain** types come from product services (messages, conversations, leads, contacts).',
      '',
      "**Operational** types are Herald's own webhooks about the workspace's endpoints. Subscribe an endpoint to them like to any type, by name or with `endpoint.*` / `delivery.*` (`*` means every domain type and does not include them). They are signed, retried, logged and replayable like every delivery, and never delivered to the endpoint they are about:",
      '- `endpoint.failing`: no success for 50, 70 or 90 % of the auto-disable window (`threshold`, `failingSince`, `disableAt`), each level once per failing streak.',
      '- `endpoint.recovered`: a success ended a streak that had reached at least 50 %.',
      '- `endpoint.disabled`: disabled after a 410 Gone, for failing the whole window, or through the API (`cause`).',
      '- `endpoint.enabled`: a disabled endpoint was enabled again.',
      '- `endpoint.circuit_opened` (`probeAt`), `endpoint.circuit_closed`: the circuit breaker paused, then resumed attempts.',
      '- `delivery.exhausted`: a delivery failed its whole retry schedule (`deliveryId`, `eventId`, `eventType`, `attempts`).',
    ].join('\n'),
  })
  @ApiOkResponse({ type: EventTypeListView })
  list(): EventTypeListView {
    return {
      data: EVENT_CATALOGUE.map((entry) => ({
        type: entry.type,
        family: eventFamily(entry.type),
        version: entry.version,
        description: entry.description,
        schema: entry.dataSchema,
      })),
      envelope: DOMAIN_EVENT_ENVELOPE_SCHEMA,
    };
  }
}
