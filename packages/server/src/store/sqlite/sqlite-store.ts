import { join } from 'node:path';
import type { Store } from '../store.ts';
import { createRun, findIdempotencyKey } from './create-run.ts';
import { SqliteDatabase } from './database.ts';
import * as exec from './execute-runs.ts';
import * as kits from './kits.ts';
import * as read from './read-runs.ts';
import { purgeExpired } from './retention.ts';
import * as webhooks from './webhooks.ts';
import * as keys from './workspaces-and-keys.ts';

/**
 * The embedded store: one SQLite file in WAL mode. Reads are synchronous underneath (async only to
 * share the Store interface with PostgreSQL); writes are group-committed (SqliteDatabase.write).
 */
export function openSqliteStore(path: string, options: { backgroundCheckpoints?: boolean } = {}): Store {
  const db = new SqliteDatabase(path, options);
  return {
    dialect: 'sqlite',
    ping: async () => {
      db.get('SELECT 1 AS ok');
    },
    close: async () => db.close(),

    countWorkspaces: async () => keys.countWorkspaces(db),
    insertWorkspace: (w) => db.write(() => keys.insertWorkspace(db, w)),
    findWorkspaceByName: async (name) => keys.findWorkspaceByName(db, name),
    insertApiKey: (k) => db.write(() => keys.insertApiKey(db, k)),
    findApiKeyByHash: async (h) => keys.findApiKeyByHash(db, h),
    listApiKeys: async (w) => keys.listApiKeys(db, w),
    revokeApiKey: (id, at) => db.write(() => keys.revokeApiKey(db, id, at)),
    recordKeyUses: (uses) => db.write(() => keys.recordKeyUses(db, uses)),
    revokeWorkspaceApiKey: (w, id, at) => db.write(() => keys.revokeWorkspaceApiKey(db, w, id, at)),
    insertConsoleSession: (s) => db.write(() => keys.insertConsoleSession(db, s)),
    findConsoleSession: async (h) => keys.findConsoleSession(db, h),
    deleteConsoleSession: (h) => db.write(() => keys.deleteConsoleSession(db, h)),

    insertBrickVersion: (b) => db.write(() => kits.insertBrickVersion(db, b)),
    latestBrickVersion: async (w, k) => kits.latestBrickVersion(db, w, k),
    insertKit: (k) => db.write(() => kits.insertKit(db, k)),
    findKitByCode: async (w, c) => kits.findKitByCode(db, w, c),
    findKitByName: async (w, n) => kits.findKitByName(db, w, n),
    kitCodeExists: async (w, c) => kits.kitCodeExists(db, w, c),
    insertKitVersion: (v) => db.write(() => kits.insertKitVersion(db, v)),
    publishKitVersion: (id, at) => db.write(() => kits.publishKitVersion(db, id, at)),
    latestKitVersion: async (id) => kits.latestKitVersion(db, id),
    latestPublishedKitVersion: async (id) => kits.latestPublishedKitVersion(db, id),
    publishedKitVersionId: async (w, c) => kits.publishedKitVersionId(db, w, c),
    findKitVersion: async (w, id) => kits.findKitVersion(db, w, id),
    getKitVersion: async (id) => kits.getKitVersion(db, id),
    insertBrickVersionIfNew: (b) => db.write(() => kits.insertBrickVersionIfNew(db, b)),
    findBrickVersion: async (w, k, v) => kits.findBrickVersion(db, w, k, v),
    listBrickVersions: async (w, k) => kits.listBrickVersions(db, w, k),
    listLatestBrickVersions: async (w) => kits.listLatestBrickVersions(db, w),
    listKits: async (w) => kits.listKits(db, w),
    insertKitWithFirstVersion: (k, v) => db.write(() => kits.insertKitWithFirstVersion(db, k, v)),
    insertKitVersionIfNew: (v) => db.write(() => kits.insertKitVersionIfNew(db, v)),
    listKitVersions: async (id) => kits.listKitVersions(db, id),

    insertWebhookEndpoint: (e, max) => db.write(() => webhooks.insertWebhookEndpoint(db, e, max)),
    listWebhookEndpoints: async (w) => webhooks.listWebhookEndpoints(db, w),
    getWebhookEndpoint: async (w, id) => webhooks.getWebhookEndpoint(db, w, id),
    updateWebhookEndpoint: (w, id, patch, now) =>
      db.write(() => webhooks.updateWebhookEndpoint(db, w, id, patch, now)),
    rotateWebhookSecret: (w, id, secret, until, now) =>
      db.write(() => webhooks.rotateWebhookSecret(db, w, id, secret, until, now)),
    deleteWebhookEndpoint: (w, id, now) => db.write(() => webhooks.deleteWebhookEndpoint(db, w, id, now)),
    insertPingDelivery: (p) => db.write(() => webhooks.insertPingDelivery(db, p)),
    claimDueDeliveries: (p) => db.write(() => webhooks.claimDueDeliveries(db, p)),
    recordDeliveryAttempt: (r, now) => db.write(() => webhooks.recordDeliveryAttempt(db, r, now)),
    listDeliveries: async (p) => webhooks.listDeliveries(db, p),
    listDeliveryAttempts: async (ids) => webhooks.listDeliveryAttempts(db, ids),
    getDelivery: async (w, id) => webhooks.getDelivery(db, w, id),
    redeliver: (w, id, now) => db.write(() => webhooks.redeliver(db, w, id, now)),

    purgeExpired: (p) => db.write(() => purgeExpired(db, p)),

    createRun: (run, idem, now, max) => db.write(() => createRun(db, run, idem, now, max)),
    findIdempotencyKey: async (w, m, k, now) => findIdempotencyKey(db, w, m, k, now),
    getRun: async (w, id) => read.getRun(db, w, id),
    getPreparedInput: async (w, id) => read.getPreparedInput(db, w, id),
    findReusableRun: async (w, key) => read.findReusableRun(db, w, key),
    getRunInput: async (w, id) => read.getRunInput(db, w, id),
    listRuns: async (q) => read.listRuns(db, q),
    cancelRun: (w, id, now, eventId) => db.write(() => exec.cancelRun(db, w, id, now, eventId)),
    countQueuedRuns: async (w) => read.countQueuedRuns(db, w),
    queueStats: async () => read.queueStats(db),

    claimRuns: (p) => db.write(() => exec.claimRuns(db, p)),
    renewLeases: (p) => db.write(() => exec.renewLeases(db, p)),
    finishRun: (p) => db.write(() => exec.finishRun(db, p)),
    recordCancelledUsage: (p) => db.write(() => exec.recordCancelledUsage(db, p)),
    releaseRun: (p) => db.write(() => exec.releaseRun(db, p)),
    recoverExpiredLeases: (p) => db.write(() => exec.recoverExpiredLeases(db, p)),

    listRunEvents: async (runId) => read.listRunEvents(db, runId),
  };
}

/** The embedded store's file inside a data directory. */
export function sqlitePathIn(dataDir: string): string {
  return join(dataDir, 'semarize.db');
}
