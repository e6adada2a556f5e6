import 'reflect-metadata';
import { Controller, HttpCode, Module, Post, Req, UnauthorizedException, UseGuards } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { createVerifier, nestWebhookGuard, sign, type VerifiedWebhook } from '../index';

const SECRET = 'whsec_' + Buffer.alloc(24, 5).toString('base64');
const verifier = createVerifier({ secrets: [SECRET] });
const received: unknown[] = [];

@Controller('hooks')
class HooksController {
  @Post('strict')
  @HttpCode(204)
  @UseGuards(nestWebhookGuard(verifier, { toHttpError: (e) => new UnauthorizedException(e.code) }))
  strict(@Req() req: { webhook: VerifiedWebhook }) {
    received.push(req.webhook.payload);
  }

  @Post('default')
  @HttpCode(204)
  @UseGuards(nestWebhookGuard(verifier))
  plain() {}
}

@Module({ controllers: [HooksController] })
class HooksModule {}

describe('nestWebhookGuard in a real Nest app', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    app = await NestFactory.create(HooksModule, { rawBody: true, logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it("verifies Nest's rawBody (with its JSON parser on) and refuses as configured", async () => {
    const signed = await sign({ secret: SECRET, body: '{"type":"x","data":{"n":1}}' });
    const post = (path: string, body: string) =>
      fetch(`${url}/hooks/${path}`, { method: 'POST', headers: signed.headers, body });
    expect((await post('strict', signed.body)).status).toBe(204);
    expect(received).toEqual([{ type: 'x', data: { n: 1 } }]);
    const refused = await post('strict', '{"type":"x","data":{"n":2}}');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ message: 'BAD_SIGNATURE' });
    expect((await post('default', '{"type":"x","data":{"n":2}}')).status).toBe(403);
  });
});
