import 'reflect-metadata';
import {
  Body,
  Controller,
  type INestApplication,
  Injectable,
  Module,
  type OnModuleInit,
  Post,
} from '@nestjs/common';
import { ObservabilityModule, ReadinessRegistry } from '@herald/telemetry';
import { freePort } from '@herald/testing';
import { startService } from './start-service';

const ADMIN = 'an-operator-token-of-length';
const LEAK = 'connect ECONNREFUSED 10.4.2.7:5432';

@Injectable()
class FailingDependency implements OnModuleInit {
  constructor(private readonly readiness: ReadinessRegistry) {}
  onModuleInit(): void {
    this.readiness.register('postgres', async () => {
      throw new Error(LEAK);
    });
  }
}

@Controller('v1')
class EchoController {
  @Post('echo')
  echo(@Body() body: unknown) {
    return { body: body ?? null };
  }
}

@Module({
  imports: [ObservabilityModule.forService({ service: 'router', logLevel: 'silent' })],
  controllers: [EchoController],
  providers: [FailingDependency],
})
class TestModule {}

async function start(env: Record<string, string>): Promise<{ app: INestApplication; url: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const port = await freePort();
    const app = await startService(
      { name: 'router', module: () => TestModule },
      { listen: { port, host: '127.0.0.1' } },
    );
    return { app, url: `http://127.0.0.1:${port}` };
  } finally {
    process.env = saved;
  }
}

const get = async (url: string, token?: string) => {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, text: await res.text() };
};

describe('startService: internal endpoints and readiness details', () => {
  it('production without an internal port: /metrics needs the admin token; readiness hides errors', async () => {
    const { app, url } = await start({ HERALD_MODE: 'production', HERALD_ADMIN_TOKEN: ADMIN });
    try {
      expect((await get(`${url}/metrics`)).status).toBe(401);
      const metrics = await get(`${url}/metrics`, ADMIN);
      expect(metrics.status).toBe(200);
      expect(metrics.text).toContain('# HELP');

      const anonymous = await get(`${url}/health/ready`);
      expect(anonymous.status).toBe(503);
      expect(JSON.parse(anonymous.text)).toMatchObject({
        status: 'error',
        details: { postgres: { status: 'down' } },
      });
      expect(anonymous.text).not.toContain('10.4.2.7');
      const operator = await get(`${url}/health/ready`, ADMIN);
      expect(operator.status).toBe(503);
      expect(operator.text).toContain(LEAK);
    } finally {
      await app.close();
    }
  });

  it('with HERALD_INTERNAL_PORT: /metrics and details there only, and no API route on it', async () => {
    const internalPort = await freePort();
    const { app, url } = await start({
      HERALD_MODE: 'production',
      HERALD_INTERNAL_PORT: String(internalPort),
    });
    const internal = `http://127.0.0.1:${internalPort}`;
    try {
      expect((await get(`${url}/metrics`)).status).toBe(404);
      expect((await get(`${internal}/metrics`)).status).toBe(200);
      expect((await get(`${internal}/health/ready`)).text).toContain(LEAK);
      expect((await get(`${url}/health/ready`)).text).not.toContain(LEAK);
      const api = await fetch(`${internal}/v1/echo`, { method: 'POST' });
      expect(api.status).toBe(404);
    } finally {
      await app.close();
    }
    // Closed with the app.
    await expect(fetch(`${internal}/metrics`)).rejects.toThrow();
  });

  it('development keeps /metrics open, readiness still without error messages', async () => {
    const { app, url } = await start({ HERALD_MODE: 'development' });
    try {
      expect((await get(`${url}/metrics`)).status).toBe(200);
      expect((await get(`${url}/health/ready`)).text).not.toContain(LEAK);
    } finally {
      await app.close();
    }
  });

  it('parses no form bodies: Nest default parsers are off', async () => {
    const { app, url } = await start({ HERALD_MODE: 'development' });
    try {
      const res = await fetch(`${url}/v1/echo`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'filter[__proto__][x]=1&a[b][c]=2',
      });
      expect(await res.json()).toEqual({ body: null });
    } finally {
      await app.close();
    }
  });
});
