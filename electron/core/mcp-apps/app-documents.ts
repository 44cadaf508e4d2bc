import { randomBytes } from 'node:crypto';

// The app documents the core serves, each on its server's own origin. Every
// server gets an opaque random host label for this session (never its name or
// id, which a server can influence or which would repeat across sessions); the
// host turns the label into an origin: switchboard-app://<label> in Electron,
// http://<label>.localhost:<port> in the e2e harness. A document is served only
// on its own server's label, at /<documentId>, with its CSP as a header.

export interface AppDocument {
  documentId: string;
  serverId: string;
  label: string;
  tool: string;
  resourceUri: string;
  html: string;
  csp: string;
}

export interface ServedDocument {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** At most this many documents are kept; opening another drops the oldest. */
const MAX_DOCUMENTS = 64;

export class AppDocuments {
  private readonly labels = new Map<string, string>();
  private readonly docs = new Map<string, AppDocument>();

  labelFor(serverId: string): string {
    let label = this.labels.get(serverId);
    if (!label) {
      // 32 hex characters: a valid DNS label, unguessable, and unrelated to the server's name.
      label = randomBytes(16).toString('hex');
      this.labels.set(serverId, label);
    }
    return label;
  }

  add(doc: Omit<AppDocument, 'documentId' | 'label'>): AppDocument {
    const full: AppDocument = { ...doc, documentId: randomBytes(16).toString('base64url'), label: this.labelFor(doc.serverId) };
    this.docs.set(full.documentId, full);
    while (this.docs.size > MAX_DOCUMENTS) this.docs.delete(this.docs.keys().next().value!);
    return full;
  }

  get(documentId: string): AppDocument | undefined {
    return this.docs.get(documentId);
  }

  remove(documentId: string): void {
    this.docs.delete(documentId);
  }

  forgetServer(serverId: string): void {
    for (const [id, doc] of this.docs) if (doc.serverId === serverId) this.docs.delete(id);
  }

  /** The response to GET <origin of label>/<pathname>: the document, only on its own server's origin. */
  serve(label: string, pathname: string, method = 'GET'): ServedDocument {
    const plain = (status: number, body: string): ServedDocument => ({
      status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Security-Policy': "default-src 'none'", 'X-Content-Type-Options': 'nosniff' },
      body,
    });
    if (method !== 'GET') return plain(405, 'Method not allowed');
    const doc = this.docs.get(pathname.replace(/^\//, ''));
    if (!doc || doc.label !== label) return plain(404, 'Not found');
    return {
      status: 200,
      headers: {
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': doc.csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      },
      body: doc.html,
    };
  }
}
