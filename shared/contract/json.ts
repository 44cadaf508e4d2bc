import { z } from 'zod';
import { ServerId } from './servers';

// Small schemas several feature contracts share. Everything a server sends is
// typed loosely (unknown / passthrough) and treated as hostile by the renderer.

export const Json = z.unknown();
export const JsonObject = z.record(z.string(), z.unknown());
/**
 * A JSON object checked by shape but not copied: tool arguments and results
 * can be large, and this sits on the hot path of every call.
 */
export const OpaqueObject = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'Expected a JSON object');

export const ByServer = z.object({ serverId: ServerId });
export const Ok = z.object({ ok: z.literal(true) });
export const Cursor = z.string().max(10_000).optional();
