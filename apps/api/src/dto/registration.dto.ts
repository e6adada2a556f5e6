import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsString, MaxLength } from 'class-validator';
import { EndpointFieldsDto } from './endpoint.dto';
import { IsOptionalNotNull } from './optional-not-null';

export class RegisterEndpointDto extends EndpointFieldsDto {
  @ApiProperty({ example: 'https://agent.example.com/webhook' })
  @IsString()
  @MaxLength(8_192)
  url!: string;

  @ApiProperty({
    oneOf: [
      { type: 'array', items: { type: 'string' } },
      { type: 'object', additionalProperties: { type: 'boolean' } },
    ],
    example: { onMessageCreated: true, onConversationCreated: true },
    description:
      'Catalogue event types (as eventTypes on endpoints), or GudDesk event flags: onMessageCreated, ' +
      'onConversationCreated, onConversationClosed, onConversationAssigned. Flags set to false are left ' +
      'out; unknown flags or no event at all: 422',
  })
  // Its shape (list or flag object) is checked by the registration policy.
  @IsDefined()
  events!: unknown;
}

export class UnregisterEndpointDto {
  @ApiPropertyOptional({ description: 'The registered URL, when not given as the url query parameter' })
  @IsOptionalNotNull()
  @IsString()
  @MaxLength(8_192)
  url?: string;
}
