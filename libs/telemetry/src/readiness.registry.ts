import { Injectable } from '@nestjs/common';

export type ReadinessCheck = () => Promise<void>;

/** Adapters register what readiness depends on (Kafka, Postgres); /health/ready runs them all. */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): [string, ReadinessCheck][] {
    return [...this.checks];
  }
}
