import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import type { ServiceDefinition } from './service-definition';

export interface StartOptions {
  /** Listen for HTTP; false for workers sharing a process with the API. */
  listen: { port: number; host: string } | false;
}

/** Boots one service: its Nest app, its Kafka transport, and (optionally) its HTTP listener. */
export async function startService(
  definition: ServiceDefinition,
  options: StartOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(definition.module({ httpEndpoints: options.listen !== false }), {
    // Nest's console logger would print start-up failures as multi-line noise; runMain prints them once.
    logger: false,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  if (options.listen !== false) await definition.configureHttp?.(app);
  const transport = definition.transport?.(app);
  if (transport) app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  await app.init();
  await app.startAllMicroservices();
  if (options.listen !== false) await app.listen(options.listen.port, options.listen.host);
  return app;
}
