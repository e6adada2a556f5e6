import 'reflect-metadata';
import { Body, Controller, type INestApplication, Patch, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { NEST_APP_OPTIONS } from '@herald/runtime';
import { BackfillDto, CreateEndpointDto, UpdateEndpointDto } from '../dto/endpoint.dto';
import { DomainErrorFilter } from './domain-error.filter';
import { jsonBody } from './json-body.middleware';
import { createValidationPipe } from './validation.pipe';

/** Echoes what a handler would receive, so a test sees whether anything was dropped on the way. */
@Controller('v1')
class EchoController {
  @Post('endpoints')
  create(@Body() body: CreateEndpointDto) {
    return body;
  }
  @Patch('endpoints')
  update(@Body() body: UpdateEndpointDto) {
    return body;
  }
  @Post('backfill')
  backfill(@Body() body: BackfillDto) {
    return body;
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const endpoint = { url: 'https://receiver.example/hook', eventTypes: ['message.*'] };

describe('API body handling: the parser guard, the DTO pipe and the error filter together', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(EchoModule, NEST_APP_OPTIONS);
    app.use(jsonBody({ HERALD_API_MAX_BODY_BYTES: 262_144, HERALD_API_MAX_JSON_DEPTH: 64 }));
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new DomainErrorFilter());
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(() => app?.close());

  const send = async (text: string, path = '/v1/endpoints', method = 'POST', type = 'application/json') => {
    const res = await fetch(`${base}${path}`, { method, body: text, headers: { 'content-type': type } });
    const raw = await res.text();
    return { status: res.status, body: JSON.parse(raw) as { error?: { code: string; message: string } } };
  };

  it('refuses 20,000 levels of nesting, well under the body limit, with a 400 naming the depth', async () => {
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const res = await send(JSON.stringify(endpoint).replace(/}$/, `,"filter":${deep}}`));
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toMatch(/deeper than 64 levels/);
  });

  it.each([
    ['a __proto__ key inside a filter', '"filter":{"__proto__":{"type":"sms"}}', 'filter.__proto__'],
    ['a constructor key inside a filter', '"filter":{"constructor":{"prototype":1}}', 'filter.constructor'],
    ['a constructor key at the top', '"constructor":{"name":"x"}', 'constructor'],
    ['a toString key inside a filter', '"filter":{"toString":"x"}', 'filter.toString'],
    ['a __proto__ segment in a filter path', '"filter":{"data.__proto__.x":1}', 'filter.data.__proto__.x'],
    ['U+0000 in a description', '"description":"a\\u0000b"', 'description'],
    ['a lone surrogate in a filter value', '"filter":{"data.x":"\\ud83d"}', 'filter.data.x'],
  ])('refuses %s with a 400 naming the key path', async (_what, extra, path) => {
    const res = await send(JSON.stringify(endpoint).replace(/}$/, `,${extra}}`));
    expect(res.status).toBe(400);
    expect(res.body.error?.message).toContain(JSON.stringify(path));
  });

  it.each([
    ['a form body', 'filter[__proto__][x]=1', 'application/x-www-form-urlencoded'],
    ['plain text', '{"url":"x"}', 'text/plain'],
    ['multipart', '--x--', 'multipart/form-data; boundary=x'],
  ])('answers 415 to %s: the API takes JSON only', async (_what, text, type) => {
    const res = await send(text, '/v1/endpoints', 'POST', type);
    expect(res.status).toBe(415);
    expect(res.body.error?.message).toMatch(/JSON only/);
  });

  it.each([
    ['an array body', '[1,2]'],
    ['a string where an object is expected', JSON.stringify({ ...endpoint, filter: 'x' })],
    ['an array where an object is expected', JSON.stringify({ ...endpoint, headers: ['a'] })],
    ['a lone string as the retry schedule', JSON.stringify({ ...endpoint, retrySchedule: '1m' })],
    ['an object as the url', JSON.stringify({ ...endpoint, url: { href: 'x' } })],
    ['a number beyond double range', JSON.stringify(endpoint).replace(/}$/, ',"timeoutMs":1e400}')],
    ['a huge integer', JSON.stringify({ ...endpoint, maxInFlight: 2 ** 64 })],
    ['nested arrays of event types', JSON.stringify({ ...endpoint, eventTypes: [['a']] })],
    [
      'an array-like object as event types',
      JSON.stringify({ url: endpoint.url, eventTypes: { 0: 'a', length: 1 } }),
    ],
    ['not JSON at all', '{"url":'],
  ])('answers 400 with a message to %s', async (_what, text) => {
    const res = await send(text);
    expect(res.status).toBe(400);
    expect(res.body.error?.code).toBe('VALIDATION_FAILED');
    expect(res.body.error?.message.length).toBeGreaterThan(5);
  });

  it.each([
    ['POST', { ...endpoint, timeoutMs: null }, 'timeoutMs'],
    ['POST', { ...endpoint, payloadProfile: null }, 'payloadProfile'],
    ['PATCH', { url: null }, 'url'],
    ['PATCH', { eventTypes: null }, 'eventTypes'],
    ['PATCH', { headers: null }, 'headers'],
  ])(
    '%s: answers 400 to null in a field that cannot be null (%j), never a default or a 500',
    async (method, body, field) => {
      const res = await send(JSON.stringify(body), '/v1/endpoints', method);
      expect(res.status).toBe(400);
      expect(res.body.error?.message).toContain(field);
    },
  );

  it('takes null where null means "none" (filter, description, rate limit)', async () => {
    const body = { ...endpoint, filter: null, description: null, rateLimitPerSecond: null };
    const res = await send(JSON.stringify(body));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
  });

  it('answers 400 to a backfill window of the wrong type', async () => {
    expect((await send('{"since":{"$gt":1}}', '/v1/backfill')).status).toBe(400);
    expect((await send('[]', '/v1/backfill')).status).toBe(400);
  });

  it('carries an ordinary body through unchanged, filter included', async () => {
    const body = {
      ...endpoint,
      filter: { 'data.communicationType': { $in: ['sms', 'constructor'] }, $or: [{ 'data.x': 1 }] },
      headers: { 'X-Partner': 'prototype' },
      retrySchedule: ['1m', '5m'],
    };
    const res = await send(JSON.stringify(body));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(body);
  });
});
