import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ErrorCode } from '@herald/contracts';
import { HTTP_CONTROLLERS } from '../api.controllers';
import {
  endpointVisible,
  PORTAL_ROUTES,
  portalRouteRefusal,
  portalRouteRule,
  type PortalGrant,
} from './portal-access.policy';
import { REQUIRES } from './requires.decorator';
import type { Permission } from './workspace-role.policy';

interface Route {
  key: string;
  requires: Permission;
}

/** Every route the API serves, as the router names it (`GET /v1/workspaces/:ws/endpoints/:id`). */
function apiRoutes(): Route[] {
  return HTTP_CONTROLLERS.flatMap((controller) => {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      const full = `/${[base, path].join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
      const requires =
        (Reflect.getMetadata(REQUIRES, handler) as Permission | undefined) ??
        (Reflect.getMetadata(REQUIRES, controller) as Permission | undefined) ??
        'read';
      return [{ key: `${RequestMethod[method]} ${full}`, requires }];
    });
  });
}

const routes = apiRoutes();
const all: PortalGrant = {
  endpointIds: null,
  permissions: ['read', 'endpoints.write', 'replay', 'secrets.read'],
};
const limited: PortalGrant = { endpointIds: ['e1'], permissions: ['read', 'replay'] };

describe('portal access: every route is classified', () => {
  it('finds the routes of every controller', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((r) => r.key)).toContain('GET /v1/workspaces/:ws/endpoints/:id');
  });

  it('lists every route the API serves, and only those', () => {
    const served = routes.map((r) => r.key).sort();
    expect(Object.keys(PORTAL_ROUTES).sort()).toEqual(served);
  });

  it.each(routes.map((r) => [r.key, r.requires] as const))(
    '%s: open only with the permission the route needs (%s)',
    (key, requires) => {
      const rule = PORTAL_ROUTES[key];
      if (!rule.allowed) return;
      // A route the role grants guard with X is open to a portal link only if the link must hold X too.
      if (requires !== 'read' || rule.scope !== 'none') expect(rule.needs).toContain(requires);
    },
  );

  it.each(
    routes.filter((r) => ['keys.manage', 'egress.manage', 'data.purge', 'operator'].includes(r.requires)),
  )('refuses $key, which needs $requires, whatever the link holds', ({ key }) => {
    const [method, path] = key.split(' ');
    expect(portalRouteRefusal(portalRouteRule(method, path), all)?.code).toBe(ErrorCode.Forbidden);
  });

  it.each(
    routes.filter((r) =>
      /api-keys|portal-links|egress|purges|retention|registrations|^POST \/v1\/workspaces$/.test(r.key),
    ),
  )(
    'refuses key, portal-link, egress, purge, retention, registration and workspace route $key',
    ({ key }) => {
      expect(PORTAL_ROUTES[key].allowed).toBe(false);
    },
  );

  it('refuses the workspace itself', () => {
    expect(PORTAL_ROUTES['GET /v1/workspaces/:ws'].allowed).toBe(false);
  });

  it.each(routes.map((r) => r.key).filter((key) => PORTAL_ROUTES[key].allowed))(
    '%s: narrows any endpoint, delivery or job it names to the link',
    (key) => {
      const rule = PORTAL_ROUTES[key];
      if (!rule.allowed) return;
      if (/\/endpoints\/:id/.test(key)) expect(rule.scope).toBe('endpoint-param');
      else if (/\/deliveries\/:id/.test(key)) expect(rule.scope).toBe('delivery-param');
      else if (/\/jobs\/:jobId/.test(key)) expect(rule.scope).toBe('job-param');
      else if (key.startsWith('DELETE ') && key.endsWith('/endpoints'))
        expect(rule.scope).toBe('endpoint-body');
      else if (key.startsWith('POST ') && key.endsWith('/endpoints'))
        expect(rule.scope).toBe('all-endpoints');
      else if (key.includes('/v1/workspaces/:ws')) expect(rule.scope).toBe('list');
      else expect(rule.scope).toBe('none');
    },
  );

  it('asks for secrets.read wherever an answer carries a signing secret', () => {
    for (const key of [
      'POST /v1/workspaces/:ws/endpoints',
      'GET /v1/workspaces/:ws/endpoints/:id/secret',
      'POST /v1/workspaces/:ws/endpoints/:id/secret/rotate',
    ]) {
      const rule = PORTAL_ROUTES[key];
      expect(rule.allowed && rule.needs.includes('secrets.read')).toBe(true);
    }
  });
});

describe('portal access: refusals', () => {
  const rule = (key: string) => {
    const [method, path] = key.split(' ');
    return portalRouteRule(method, path);
  };

  it('refuses a route it does not know', () => {
    expect(portalRouteRefusal(rule('GET /v1/unknown'), all)?.message).toMatch(/not open to portal links/);
  });

  it('refuses a permission the link lacks, naming it', () => {
    const refused = portalRouteRefusal(rule('PATCH /v1/workspaces/:ws/endpoints/:id'), limited);
    expect(refused?.code).toBe(ErrorCode.Forbidden);
    expect(refused?.message).toBe('this portal link lacks the endpoints.write permission');
    expect(portalRouteRefusal(rule('POST /v1/workspaces/:ws/deliveries/:id/retry'), limited)).toBeNull();
  });

  it('lets only a link to every endpoint create one', () => {
    const create = rule('POST /v1/workspaces/:ws/endpoints');
    expect(portalRouteRefusal(create, all)).toBeNull();
    expect(portalRouteRefusal(create, { ...all, endpointIds: ['e1'] })?.message).toMatch(
      /limited to some endpoints/,
    );
  });

  it('sees only the endpoints it lists, or all of them', () => {
    expect(endpointVisible(limited, 'e1')).toBe(true);
    expect(endpointVisible(limited, 'e2')).toBe(false);
    expect(endpointVisible(limited, null)).toBe(false);
    expect(endpointVisible(limited, undefined)).toBe(false);
    expect(endpointVisible(all, 'anything')).toBe(true);
  });
});
