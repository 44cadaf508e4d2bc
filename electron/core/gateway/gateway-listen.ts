// A 2026-07-28 client subscribes to resources by opening subscriptions/listen with the URIs in
// its notifications filter (there is no resources/subscribe in that era). The SDK's handler keeps the stream
// and sends each URI's updates to the streams that asked; the gateway's part is to make the
// managed connection subscribe upstream before the stream opens.

/** Resource URIs one listen stream may ask for. */
export const MAX_LISTEN_RESOURCES = 100;

/** The resource URIs a subscriptions/listen request asks for (none for any other message). */
export function listenedResources(body: unknown): string[] {
  const m = body as { method?: unknown; params?: { notifications?: { resourceSubscriptions?: unknown } } } | null;
  if (!m || typeof m !== 'object' || m.method !== 'subscriptions/listen') return [];
  const uris = m.params?.notifications?.resourceSubscriptions;
  return Array.isArray(uris) ? [...new Set(uris.filter((u): u is string => typeof u === 'string' && u.length > 0 && u.length <= 4096))] : [];
}
