import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, routes, type RouteContract } from '@taskproc/spec';
import { servedRoutes } from '../src/authz/cells.ts';
import { createHttp, repoRoot, useCoordinator, useInProcessCoordinator } from '../src/index.ts';

const committedPath = join(repoRoot, 'spec/openapi.json');

// The document depends on the route definitions only, not on the database, so one PGlite
// coordinator is enough here (the database suites run on both).
describe('OpenAPI document', () => {
  const fx = useCoordinator('pglite');
  let served: any;

  beforeAll(async () => {
    const res = await createHttp(fx.coordinator.url).get('/openapi.json');
    expect(res.status).toBe(200);
    served = res.body;
  });

  it('is committed as spec/openapi.json exactly as the coordinator serves it', () => {
    const committed = JSON.parse(readFileSync(committedPath, 'utf8'));
    // toEqual's diff shows which route changed; the message says how to fix it.
    expect(served, 'spec/openapi.json is stale: run `npm run openapi` and commit the result').toEqual(committed);
  });

  it('is stored pretty-printed with a trailing newline, as `npm run openapi` writes it', () => {
    expect(readFileSync(committedPath, 'utf8'), 'run `npm run openapi`').toBe(`${JSON.stringify(served, null, 2)}\n`);
  });

  it('is valid OpenAPI 3.1', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(served));
    expect(result.errors, JSON.stringify(result.errors, null, 2)).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('writes every pattern as a plain ECMA-262 regular expression, with no JavaScript flags', () => {
    const patterns: string[] = [];
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'pattern' && typeof value === 'string') patterns.push(value);
          else walk(value);
        }
      }
    };
    walk(served);
    expect(patterns.length).toBeGreaterThan(5);
    // zod writes a case-insensitive regex as "...$/i", which every other validator reads as a literal "/i".
    expect(patterns.filter((p) => /\/[dgimsuyv]+$/.test(p))).toEqual([]);
    for (const pattern of patterns) expect(() => new RegExp(pattern, 'u'), pattern).not.toThrow();
    const taskTypeId = served.components.schemas.TaskTypeId.pattern;
    expect(new RegExp(taskTypeId, 'u').test('core:text2text:summary')).toBe(true);
    expect(new RegExp(taskTypeId, 'u').test('Core:Text2Text')).toBe(true);
  });

  it('documents bearer security and problem responses on every /v1 operation', () => {
    expect(served.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const operations = Object.entries(served.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
    );
    const v1 = operations.filter((o) => o.name.includes(' /v1/'));
    expect(v1.length).toBeGreaterThan(0);
    for (const { name, op } of v1) {
      expect(op.security, `${name} has no security`).toEqual([{ bearer: [] }]);
      expect(op.responses['401']?.content?.['application/problem+json'], `${name} does not document 401`).toBeDefined();
    }
  });

  it('lists every stable error code in the Problem schema', () => {
    expect(served.components.schemas.Problem.properties.code.enum).toEqual(errorCodes);
  });
});

describe('OpenAPI document and the routes served', () => {
  const fx = useInProcessCoordinator('pglite');

  it('lists every route the coordinator serves, and no other', async () => {
    const served = servedRoutes(fx.coordinator.app.routes).map((route) => route.replace(/:(\w+)/g, '{$1}')).sort();
    const doc = (await (await fx.coordinator.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(served);
  });

  it('serves exactly the routes of the protocol package, each documented as its contract says', async () => {
    const served = servedRoutes(fx.coordinator.app.routes).map((route) => route.replace(/:(\w+)/g, '{$1}')).sort();
    const contracts: RouteContract[] = Object.values(routes).flatMap((area) => Object.values(area));
    expect(contracts.map((r) => `${r.method.toUpperCase()} ${r.path}`).sort()).toEqual(served);
    const doc = (await (await fx.coordinator.app.request('/openapi.json')).json()) as { paths: Record<string, Record<string, any>> };
    for (const route of contracts) {
      const op = doc.paths[route.path]?.[route.method];
      expect(op?.summary, `${route.method} ${route.path}`).toBe(route.summary);
      expect(Object.keys(op.responses).sort(), `${route.method} ${route.path}`).toEqual(Object.keys(route.responses).sort());
    }
  });
});
