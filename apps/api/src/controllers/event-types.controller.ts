import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { DOMAIN_EVENT_ENVELOPE_SCHEMA, EVENT_CATALOGUE } from '@herald/contracts';
import { AuthGuard } from '../auth/auth.guard';
import { Requires } from '../auth/requires.decorator';
import { ApiStandardErrors } from '../http/api-docs.decorators';

class EventTypeView {
  @ApiProperty() type!: string;
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
  @ApiOkResponse({ type: EventTypeListView })
  list(): EventTypeListView {
    return {
      data: EVENT_CATALOGUE.map((entry) => ({
        type: entry.type,
        version: entry.version,
        description: entry.description,
        schema: entry.dataSchema,
      })),
      envelope: DOMAIN_EVENT_ENVELOPE_SCHEMA,
    };
  }
}
