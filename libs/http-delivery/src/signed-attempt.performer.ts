import type { EndpointSnapshot } from '@herald/contracts';
import { buildRequestHeaders, redactHeaders } from '@herald/delivery';
import {
  activeSecrets,
  nextSecretExpiry,
  openHeaders,
  prepareSigningKey,
  signatureHeaderName,
  signWebhook,
  type SecretCipher,
  type SigningKey,
} from '@herald/signing';
import { heraldUserAgent } from './user-agent';
import type { SendResult, WebhookSender } from './webhook.sender';

export interface SignedAttemptInput {
  /** Sent as webhook-id; the delivery id, the same on every retry. */
  webhookId: string;
  attempt: number;
  /** The exact bytes to send and sign. */
  body: string;
  traceparent: string | null;
  /** Overrides the endpoint's own timeout (e.g. with the service default when it has none). */
  timeoutMs?: number;
  now?: number;
}

export interface PerformedAttempt {
  startedAt: string;
  request: {
    url: string;
    method: 'POST';
    headers: Record<string, string>;
    /** Custom headers left out (reserved name or unsendable value), by name. */
    skippedHeaders?: string[];
  };
  result: SendResult;
}

interface KeySet {
  version: number;
  refreshAt: number;
  keys: SigningKey[];
  /** The custom headers, opened. */
  headers: Record<string, string>;
}

/**
 * One signed webhook attempt to one endpoint: decrypts and caches the endpoint's active keys and custom
 * header values (per snapshot version, until the next grace period ends), builds headers, signs the exact body bytes,
 * sends, and returns the result with the recorded (redacted) request headers. Used by the dispatcher
 * for every attempt and by the API for "send a test event now".
 */
export class SignedAttemptPerformer {
  private readonly keySets = new Map<string, KeySet>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly cipher: SecretCipher,
    private readonly userAgent: string = heraldUserAgent(),
  ) {}

  async perform(endpoint: EndpointSnapshot, input: SignedAttemptInput): Promise<PerformedAttempt> {
    const now = input.now ?? Date.now();
    const signatureHeader = signatureHeaderName(endpoint.signatureScheme, endpoint.signatureHeader);
    const timestamp = Math.floor(now / 1000);
    const opened = this.keysFor(endpoint, now);
    const signatures = signWebhook(endpoint.signatureScheme, {
      webhookId: input.webhookId,
      timestamp,
      body: input.body,
      keys: opened.keys,
      signatureHeader: endpoint.signatureHeader,
    });
    const { headers, skipped } = buildRequestHeaders({
      userAgent: this.userAgent,
      webhookId: input.webhookId,
      timestamp,
      attempt: input.attempt,
      traceparent: input.traceparent,
      custom: opened.headers,
      signatures,
      signatureHeader,
    });
    const startedAt = new Date(now).toISOString();
    const result = await this.sender.send({
      url: endpoint.url,
      headers,
      body: input.body,
      timeoutMs: input.timeoutMs ?? endpoint.timeoutMs,
      egressAllowCidrs: endpoint.egressAllowCidrs,
    });
    return {
      startedAt,
      request: {
        url: endpoint.url,
        method: 'POST',
        headers: redactHeaders(headers, signatureHeader, Object.keys(opened.headers)),
        skippedHeaders: skipped,
      },
      result,
    };
  }

  /** Drops cached keys, e.g. when an endpoint is deleted. */
  forget(endpointId: string): void {
    this.keySets.delete(endpointId);
  }

  private keysFor(endpoint: EndpointSnapshot, now: number): KeySet {
    const cached = this.keySets.get(endpoint.id);
    if (cached && cached.version === endpoint.version && now < cached.refreshAt) return cached;
    const keys = activeSecrets(endpoint.secrets, now).map((secret) =>
      prepareSigningKey(endpoint.signatureScheme, this.cipher.decrypt(secret.ciphertext)),
    );
    const set: KeySet = {
      version: endpoint.version,
      refreshAt: nextSecretExpiry(endpoint.secrets, now) ?? Infinity,
      keys,
      // Snapshots from before header sealing carry clear values in `headers`.
      headers: openHeaders(this.cipher, endpoint.sealedHeaders, endpoint.headers),
    };
    this.keySets.set(endpoint.id, set);
    return set;
  }
}
