import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { eventually } from '@herald/testing';
import type * as ReceiverSdk from '../../sdk/receiver/src/index';

/**
 * A customer's receiver, built with @herald/receiver and nothing of Herald's: node:http, the SDK's
 * raw-body reader, its verifier and its answers. The SDK is loaded as an installed package would be,
 * through the package's entry (`main`, the CommonJS build `npm run build` writes); only its types come
 * from the sources, since type-checking runs before the build.
 */
const load = createRequire(__filename);
export const SDK_ENTRY = load.resolve('../../sdk/receiver');
export const sdk = load('../../sdk/receiver') as typeof ReceiverSdk;

/** The payload shapes Herald sends all carry the event's `data`. */
export interface Payload {
  data: { id: string };
}

/** A request the SDK verified (answered 200), with what it handed the application. */
export interface Accepted {
  path: string;
  /** The headers to send it again with: Herald's webhook-* and signature headers, and content-type. */
  headers: Record<string, string>;
  body: string;
  webhook: ReceiverSdk.VerifiedWebhook<Payload>;
}

/** A request the SDK refused (answered 401), with its error's code. */
export interface Refused {
  path: string;
  code: string;
  message: string;
}

const KEPT = (name: string) =>
  name === 'content-type' || name.startsWith('webhook-') || name.startsWith('x-');

export class SdkReceiver {
  readonly accepted: Accepted[] = [];
  readonly refused: Refused[] = [];
  private readonly verifiers = new Map<string, ReceiverSdk.Verifier>();

  private constructor(private readonly server: Server) {}

  static async start(): Promise<SdkReceiver> {
    const server = createServer();
    const receiver = new SdkReceiver(server);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void receiver.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  /** What the receiver at `path` verifies with, as its operator would configure it. */
  configure(path: string, options: ReceiverSdk.VerifierOptions): void {
    this.verifiers.set(path, sdk.createVerifier(options));
  }

  url(path: string): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** The first verified request at `path` whose payload carries data.id `dataId`, once it arrived. */
  waitFor(path: string, dataId: string, timeoutMs = 30_000): Promise<Accepted> {
    const found = () => this.accepted.find((a) => a.path === path && a.webhook.payload?.data?.id === dataId);
    return eventually(() => Promise.resolve(found()), timeoutMs);
  }

  /** Sends a captured request to `path` again (as an attacker or a replaying proxy would). */
  async resend(
    path: string,
    request: { headers: Record<string, string>; body: string },
  ): Promise<{ status: number; code: string | undefined }> {
    const before = this.refused.length;
    const res = await fetch(this.url(path), { method: 'POST', headers: request.headers, body: request.body });
    await res.text();
    return { status: res.status, code: this.refused.slice(before).find((r) => r.path === path)?.code };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://receiver').pathname;
    const verifier = this.verifiers.get(path);
    if (!verifier) {
      res.writeHead(404).end();
      return;
    }
    let answer: ReceiverSdk.WebhookResponse;
    try {
      const raw = await sdk.readRawBody(req);
      const webhook = await verifier.verifyWebhook<Payload>(raw, req.headers);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (KEPT(name) && value !== undefined)
          headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
      this.accepted.push({ path, headers, body: webhook.rawBody, webhook });
      // 200, not the SDK's default 204: NexaDesk's Save (verify-on-create) insists on a 200.
      answer = sdk.acknowledge(200);
    } catch (error) {
      // Anything but the SDK's own refusal is a bug here: recorded so the test sees it, answered 500.
      const code = error instanceof sdk.WebhookVerificationError ? error.code : 'NOT_A_VERIFICATION_ERROR';
      this.refused.push({ path, code, message: (error as Error).message });
      answer =
        error instanceof sdk.WebhookVerificationError
          ? sdk.rejected(error)
          : { status: 500, headers: {}, body: 'receiver error' };
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }
}
