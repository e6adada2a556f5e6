import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** Exactly one selector; which one is checked by decidePurgeRequest (@herald/jobs), naming the fields. */
export class PurgeRequestDto {
  @ApiPropertyOptional({ description: 'Erase every delivery of this event (all endpoints)' })
  @IsOptional()
  @IsString()
  eventId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Erase every delivery to this endpoint' })
  @IsOptional()
  @IsString()
  endpointId?: string;

  @ApiPropertyOptional({
    example: '2026-11-01T00:00:00Z',
    description:
      'Erase deliveries requested before this time (and attempts started before it); not in the future',
  })
  @IsOptional()
  @IsString()
  before?: string;

  @ApiPropertyOptional({
    example: '5m',
    description: 'Ends the job as timed_out after this long; at most, and by default, HERALD_JOB_TIME_LIMIT',
  })
  @IsOptional()
  @IsString()
  timeLimit?: string;
}
