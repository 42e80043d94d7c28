import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ROUTES } from '../../src/http/route-table.ts';
import { MCP_TOOLS } from '../../src/mcp/tools.ts';

// Each MCP tool is one REST operation (SPEC §13): it takes that route's access and rate-limit bucket
// and builds its schemas from the route's. This table is the pairing, written from the spec.
const OPERATION_OF: Record<string, string> = {
  list_kits: 'listKits',
  get_kit: 'getKit',
  create_run: 'createRun',
  get_run: 'getRun',
  list_runs: 'listRuns',
  cancel_run: 'cancelRun',
  test_kit: 'testRun',
  list_bricks: 'listBricks',
  get_brick: 'getBrick',
  create_brick: 'createBrick',
  create_kit_draft: 'createKit',
  update_kit_draft: 'createKitVersion',
  publish_kit_version: 'publishKitVersion',
};

// Body fields a tool takes in another form, and why: create_run and test_kit name the Kit with one
// `kit` argument (kit_code or kit_version_id) and choose the mode with wait_seconds.
const BODY_FIELDS_TAKEN_OTHERWISE: Record<string, readonly string[]> = {
  create_run: ['kit_code', 'kit_version_id', 'mode'],
  test_kit: ['kit_code', 'kit_version_id', 'mode', 'type'],
};

const inputFields = (schema: z.ZodType) => Object.keys((schema as z.ZodObject).shape);

describe('MCP tools and the route table', () => {
  it('pairs every tool with a route', () => {
    expect(MCP_TOOLS.map((t) => t.name).sort()).toEqual(Object.keys(OPERATION_OF).sort());
  });

  for (const tool of MCP_TOOLS) {
    it(`${tool.name} is ${OPERATION_OF[tool.name]}, with its access and bucket`, () => {
      const route = ROUTES.find((r) => r.operationId === OPERATION_OF[tool.name]);
      expect(route).toBeDefined();
      // The very route the REST API registers, not a copy whose access could differ.
      expect(tool.route).toBe(route);
      expect(tool.route.access).toEqual(route?.access);
      expect(tool.route.access.bucket).toBe(route?.access?.bucket);
    });

    it(`${tool.name} takes every body field of its route`, () => {
      const body = tool.route.body?.schema;
      if (!body) return;
      const skipped = new Set(BODY_FIELDS_TAKEN_OTHERWISE[tool.name] ?? []);
      const expected = inputFields(body).filter((f) => !skipped.has(f));
      expect(inputFields(tool.input)).toEqual(expect.arrayContaining(expected));
    });
  }
});
