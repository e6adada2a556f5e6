/** What one scenario ends with; printed as JSON and asserted on (lost must be 0). */
export interface LedgerReport {
  scenario: string;
  events: number;
  /** (event, matched endpoint) pairs that had to end delivered or dead-lettered. */
  expected: number;
  delivered: number;
  deadLettered: number;
  lost: number;
  /** Extra 2xx-answered requests for a webhook-id already answered 2xx (at-least-once repeats). */
  duplicated: number;
  /** Requests the receiver saw in all, including failed attempts and repeats. */
  requests: number;
  /** Deliveries for pairs never expected: a fan-out bug (wrong endpoint or event). */
  unexpected: number;
  settleMs: number;
  /** From the end of the load to the last pair accounted for: the backlog a fault left. */
  drainMs: number;
  /** Longest time between two pairs newly delivered while the scenario ran: the outage as seen by receivers. */
  maxDeliveryGapMs: number;
  lostSample?: string[];
}

const pairKey = (endpointId: string, eventId: string) => `${endpointId}|${eventId}`;

/**
 * Compares every (event, matched endpoint) pair produced against what the receiver accepted (deduped
 * by webhook-id) and what was dead-lettered on herald.deliveries.dead.
 */
export class DeliveryLedger {
  private readonly expected = new Set<string>();
  private readonly eventIds = new Set<string>();
  private readonly accepted = new Map<string, number>(); // webhook-id -> 2xx answers given
  private readonly deliveredPairs = new Set<string>();
  private readonly deadPairs = new Set<string>();
  private readonly unexpectedPairs = new Set<string>();
  /** When each pair was first accepted, in order. */
  private readonly deliveredAt: number[] = [];
  private requests = 0;
  private loadEndedAt = 0;
  private settledAt = 0;
  readonly startedAt = Date.now();

  constructor(readonly scenario: string) {}

  owns(eventId: string): boolean {
    return this.eventIds.has(eventId);
  }

  /** Registers an event before it is produced, with the endpoints it must reach. */
  expect(eventId: string, endpointIds: readonly string[]): void {
    this.eventIds.add(eventId);
    for (const endpointId of endpointIds) this.expected.add(pairKey(endpointId, eventId));
  }

  /** Every request the receiver saw for this ledger's events. */
  sawRequest(): void {
    this.requests += 1;
  }

  /** The receiver answered 2xx. */
  accepted2xx(endpointId: string, eventId: string, webhookId: string): void {
    const key = pairKey(endpointId, eventId);
    if (!this.expected.has(key)) this.unexpectedPairs.add(key);
    this.accepted.set(webhookId, (this.accepted.get(webhookId) ?? 0) + 1);
    if (!this.deliveredPairs.has(key)) this.deliveredAt.push(Date.now());
    this.deliveredPairs.add(key);
  }

  /** The last event was handed to the producer. */
  loadEnded(): void {
    this.loadEndedAt = Date.now();
  }

  deadLettered(endpointId: string, eventId: string): void {
    this.deadPairs.add(pairKey(endpointId, eventId));
  }

  outstanding(): string[] {
    return [...this.expected].filter((key) => !this.deliveredPairs.has(key) && !this.deadPairs.has(key));
  }

  deliveredCount(): number {
    return [...this.expected].filter((key) => this.deliveredPairs.has(key)).length;
  }

  deliveredPairList(): { endpointId: string; eventId: string }[] {
    return [...this.deliveredPairs].map((key) => {
      const [endpointId, eventId] = key.split('|');
      return { endpointId, eventId };
    });
  }

  /** Waits until every expected pair is accounted for, or the time is up. */
  async settle(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let lastLog = Date.now();
    while (Date.now() < deadline && this.outstanding().length > 0) {
      await new Promise((r) => setTimeout(r, 200));
      if (process.env.HERALD_FAULTS_VERBOSE && Date.now() - lastLog > 2_000) {
        lastLog = Date.now();
        process.stderr.write(
          `${this.scenario}: ${this.outstanding().length} outstanding, ${this.requests} requests\n`,
        );
      }
    }
    this.settledAt = Date.now();
  }

  private maxDeliveryGapMs(): number {
    let gap = 0;
    for (let i = 1; i < this.deliveredAt.length; i += 1) {
      gap = Math.max(gap, this.deliveredAt[i] - this.deliveredAt[i - 1]);
    }
    return gap;
  }

  report(): LedgerReport {
    const lost = this.outstanding();
    let duplicated = 0;
    for (const count of this.accepted.values()) duplicated += Math.max(0, count - 1);
    return {
      scenario: this.scenario,
      events: this.eventIds.size,
      expected: this.expected.size,
      delivered: this.deliveredCount(),
      deadLettered: [...this.expected].filter(
        (key) => this.deadPairs.has(key) && !this.deliveredPairs.has(key),
      ).length,
      lost: lost.length,
      duplicated,
      requests: this.requests,
      unexpected: this.unexpectedPairs.size,
      settleMs: Date.now() - this.startedAt,
      drainMs: this.loadEndedAt > 0 ? Math.max(0, (this.settledAt || Date.now()) - this.loadEndedAt) : 0,
      maxDeliveryGapMs: this.maxDeliveryGapMs(),
      ...(lost.length > 0 ? { lostSample: lost.slice(0, 5) } : {}),
    };
  }
}
