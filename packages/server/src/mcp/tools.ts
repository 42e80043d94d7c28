import type { McpTool } from './tool.ts';
import { cancelRunTool } from './tools/cancel-run.ts';
import { createBrickTool } from './tools/create-brick.ts';
import { createKitDraftTool } from './tools/create-kit-draft.ts';
import { createRunTool } from './tools/create-run.ts';
import { getBrickTool } from './tools/get-brick.ts';
import { getKitTool } from './tools/get-kit.ts';
import { getRunTool } from './tools/get-run.ts';
import { listBricksTool } from './tools/list-bricks.ts';
import { listKitsTool } from './tools/list-kits.ts';
import { listRunsTool } from './tools/list-runs.ts';
import { publishKitVersionTool } from './tools/publish-kit-version.ts';
import { testKitTool } from './tools/test-kit.ts';
import { updateKitDraftTool } from './tools/update-kit-draft.ts';

/** Every tool of SPEC §13, in the order tools/list shows them. */
export const MCP_TOOLS: readonly McpTool[] = [
  listKitsTool,
  getKitTool,
  createRunTool,
  getRunTool,
  listRunsTool,
  cancelRunTool,
  testKitTool,
  listBricksTool,
  getBrickTool,
  createBrickTool,
  createKitDraftTool,
  updateKitDraftTool,
  publishKitVersionTool,
] as McpTool[];
