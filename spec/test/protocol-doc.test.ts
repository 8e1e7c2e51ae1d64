import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, headers, taskStatuses, shapeTypeNames } from '../src/index.ts';

// PROTOCOL.md is half of the contract for people writing apps and providers in other languages:
// it must name every error code, route, status, shape type and header the schemas define.
const protocol = readFileSync(new URL('../PROTOCOL.md', import.meta.url), 'utf8');
const openapi = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, unknown>;
};

describe('spec/PROTOCOL.md', () => {
  it('documents every error code with its status', () => {
    for (const [code, { status }] of Object.entries(errorCatalogue)) {
      expect(protocol, `error code ${code}`).toMatch(new RegExp(`\\| \`${code}\` \\| ${status} \\|`));
    }
  });

  it('documents every route of openapi.json', () => {
    for (const path of Object.keys(openapi.paths)) {
      expect(protocol.includes(path), `route ${path}`).toBe(true);
    }
  });

  it('documents every task status, shape type and header', () => {
    for (const status of taskStatuses) expect(protocol).toContain(`\`${status}\``);
    for (const type of shapeTypeNames) expect(protocol).toContain(`\`${type}\``);
    for (const header of Object.values(headers)) expect(protocol).toContain(header);
  });
});
