import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadConfig } from '@herald/config';
import { PortalLinkRepository } from '@herald/persistence';
import { apiEnv } from './api.env';
import { isUuid } from './usecases/delete-endpoint/delete-endpoint.usecase';
import { BUILT_CONSOLE_DIR, consoleStatic } from './console/console-static.middleware';
import { DomainErrorFilter } from './http/domain-error.filter';
import { jsonBody } from './http/json-body.middleware';
import { requestLimits } from './http/request-limits.middleware';
import { createValidationPipe } from './http/validation.pipe';

/** Limits, validation, error mapping and the OpenAPI document (`/docs`, JSON at `/docs-json`). */
export function configureApiHttp(app: INestApplication): void {
  const env = loadConfig(apiEnv);
  const express = app as NestExpressApplication;
  express.use(requestLimits(env));
  // Static and unauthenticated: the console signs in against /v1 like any other client.
  const links = app.get(PortalLinkRepository);
  express.use(
    '/console',
    consoleStatic({
      directory: env.HERALD_CONSOLE_DIR ?? BUILT_CONSOLE_DIR,
      portalFrameOrigins: async (linkId) =>
        isUuid(linkId) ? (await links.findLive(linkId, new Date()))?.allowedOrigins : undefined,
    }),
  );
  // The only body parser (startService turns Nest's json and extended urlencoded ones off).
  express.use(jsonBody(env));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new DomainErrorFilter());
  const config = new DocumentBuilder()
    .setTitle('Herald management API')
    .setDescription(
      'Manage webhook endpoints, their secrets and subscriptions, and read delivery logs projected from ' +
        "Herald's own event log. Authenticate with `Authorization: Bearer <API key>`.",
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
