import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DEFAULT_HEALTH_WINDOW, HEALTH_WINDOW_NAMES, type HealthWindow } from './endpoint-health.policy';

export class HealthQueryDto {
  @ApiPropertyOptional({ enum: HEALTH_WINDOW_NAMES, default: DEFAULT_HEALTH_WINDOW })
  @IsOptional()
  @IsIn(HEALTH_WINDOW_NAMES, { message: `window must be one of ${HEALTH_WINDOW_NAMES.join(', ')}` })
  window?: HealthWindow;
}

class LatencyView {
  @ApiProperty() p50!: number;
  @ApiProperty() p95!: number;
}

class CircuitView {
  @ApiProperty({ enum: ['closed', 'open'] }) state!: 'closed' | 'open';
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) since!: string | null;
}

export class EndpointHealthView {
  @ApiProperty() endpointId!: string;
  @ApiProperty({ enum: HEALTH_WINDOW_NAMES }) window!: HealthWindow;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ description: 'Attempts sent in the window' }) attempts!: number;
  @ApiProperty() succeeded!: number;
  @ApiProperty() failed!: number;
  @ApiProperty({ type: Number, nullable: true, description: '0..1; null without attempts' })
  successRate!: number | null;
  @ApiProperty({ type: LatencyView, nullable: true, description: 'Attempt durations; null without attempts' })
  latencyMs!: LatencyView | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Within retention' })
  lastSuccessAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Within retention' })
  lastFailureAt!: string | null;
  @ApiProperty({ type: CircuitView }) circuit!: CircuitView;
  @ApiProperty() disabled!: boolean;
  @ApiProperty({ type: String, nullable: true }) disabledReason!: string | null;
}

export class EndpointHealthListView {
  @ApiProperty({ type: [EndpointHealthView] }) data!: EndpointHealthView[];
}
