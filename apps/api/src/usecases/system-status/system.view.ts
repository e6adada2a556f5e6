import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ServiceStatusView {
  @ApiProperty({ example: 'dispatcher' }) name!: string;
  @ApiProperty({ enum: ['up', 'down', 'unknown'] }) status!: 'up' | 'down' | 'unknown';
  @ApiPropertyOptional({ example: '2 member(s)' }) detail?: string;
}

class TopicLagView {
  @ApiProperty({ example: 'herald.deliveries' }) topic!: string;
  @ApiProperty({ example: 'herald-dispatcher' }) group!: string;
  @ApiProperty({ description: "Records past the group's committed offsets, over all partitions" })
  lag!: number;
}

class DeadLetterCountView {
  @ApiProperty({ example: 'herald.deliveries.dead' }) topic!: string;
  @ApiProperty({ description: 'Records the topic holds (high minus low watermark)' }) count!: number;
}

export class SystemStatusView {
  @ApiProperty({ type: [ServiceStatusView] }) services!: ServiceStatusView[];
  @ApiProperty({ type: [TopicLagView] }) topics!: TopicLagView[];
  @ApiProperty({ type: [DeadLetterCountView] }) deadLetters!: DeadLetterCountView[];
}
