/**
 * Endpoints this process asked the API to disable, by the snapshot version the request was based on.
 * Until a newer snapshot arrives (the API's disable, or a user edit that the API kept instead), the
 * endpoint is treated as disabled here, so no more attempts go to it. Entries end with that newer
 * snapshot or the endpoint's deletion, so the map holds only requests still in flight.
 */
export class AutoDisableOverlay {
  private readonly requested = new Map<string, number>();

  /** Whether a disable was asked for against exactly this snapshot version. */
  covers(endpoint: { id: string; version: number }): boolean {
    return this.requested.get(endpoint.id) === endpoint.version;
  }

  add(endpointId: string, observedVersion: number): void {
    this.requested.set(endpointId, observedVersion);
  }

  /** A request whose write failed: the next attempt asks again. */
  withdraw(endpointId: string, observedVersion: number): void {
    if (this.requested.get(endpointId) === observedVersion) this.requested.delete(endpointId);
  }

  /** A snapshot arrived: one newer than the request's ends it. */
  onSnapshot(endpoint: { id: string; version: number }): void {
    const observed = this.requested.get(endpoint.id);
    if (observed !== undefined && endpoint.version > observed) this.requested.delete(endpoint.id);
  }

  forget(endpointId: string): void {
    this.requested.delete(endpointId);
  }

  get size(): number {
    return this.requested.size;
  }
}
