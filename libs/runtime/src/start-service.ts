import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { RequestListener, Server } from 'node:http';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '@herald/config';
import {
  closeServer,
  internalEndpointsEnv,
  internalEndpointsGate,
  listenInternalPort,
  publicAccessOf,
} from '@herald/telemetry';
import type { ServiceDefinition } from './service-definition';

export interface StartOptions {
  /** Listen for HTTP; false for workers sharing a process with the API. */
  listen: { port: number; host: string } | false;
}

export const NEST_APP_OPTIONS = {
  // Nest's console logger would print start-up failures as multi-line noise; runMain prints them once.
  logger: false,
  abortOnError: false,
  // No default json and extended-urlencoded parsers: the API installs its own JSON-only parser.
  bodyParser: false,
} as const;

/** Boots one service: its Nest app, its Kafka transport, and (optionally) its HTTP listener. */
export async function startService(
  definition: ServiceDefinition,
  options: StartOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(
    definition.module({ httpEndpoints: options.listen !== false }),
    NEST_APP_OPTIONS,
  );
  app.useLogger(app.get(Logger));
  // Read after the modules' own settings, so a missing KAFKA_BROKERS is still the first thing named.
  const internal = options.listen !== false ? loadConfig(internalEndpointsEnv) : undefined;
  if (internal) {
    // First middleware: /metrics, /docs and readiness details are gated before any route runs.
    app.use(
      internalEndpointsGate({
        publicAccess: publicAccessOf(internal),
        adminToken: internal.HERALD_ADMIN_TOKEN,
      }),
    );
    await definition.configureHttp?.(app);
  }
  const transport = definition.transport?.(app);
  if (transport) app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  if (options.listen !== false) {
    await app.listen(options.listen.port, options.listen.host);
    if (internal?.HERALD_INTERNAL_PORT !== undefined) {
      const handler = app.getHttpAdapter().getInstance() as RequestListener;
      const server = await listenInternalPort(handler, internal.HERALD_INTERNAL_PORT, options.listen.host);
      // Stops listening as the app's own server closes, before app.close() resolves.
      (app.getHttpServer() as Server).once('close', () => closeServer(server));
    }
  }
  return app;
}
