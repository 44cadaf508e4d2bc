import { parseJSONRPCMessage, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';

// The host's end of an app's postMessage channel, for the ext-apps AppBridge.
// Stricter than the SDK's PostMessageTransport: a message counts only when it
// comes from this frame's window AND from the app's own origin (a frame that
// navigated elsewhere is no longer the app), and replies are addressed to that
// origin instead of '*'.

export class FrameTransport implements Transport {
  onmessage?: (message: JSONRPCMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly listener = (event: MessageEvent) => {
    if (event.source !== this.frame || event.origin !== this.origin) return;
    try {
      this.onmessage?.(parseJSONRPCMessage(event.data));
    } catch (error) {
      // Not JSON-RPC: ignored, and reported once per message (bounded by the caller's log).
      this.onerror?.(error instanceof Error ? error : new Error(String(error)));
    }
  };

  constructor(
    private readonly frame: Window,
    private readonly origin: string,
  ) {}

  async start(): Promise<void> {
    window.addEventListener('message', this.listener);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    this.frame.postMessage(message, this.origin);
  }

  async close(): Promise<void> {
    window.removeEventListener('message', this.listener);
    this.onclose?.();
  }
}
