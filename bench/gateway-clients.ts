import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

// The downstream clients of the gateway bench's memory figure, in a process of their own so the
// bench process holds the core and not them: each connects with its token (GATEWAY_TOKENS, a JSON
// array; GATEWAY_URL), calls echo once, and stays connected until stdin closes.
const url = new URL(process.env.GATEWAY_URL!);
const tokens = JSON.parse(process.env.GATEWAY_TOKENS!) as string[];
const clients: Client[] = [];
for (const [k, token] of tokens.entries()) {
  const client = new Client({ name: `client ${k}`, version: '1' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${token}` } } }));
  await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
  clients.push(client);
}
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.once('end', () => void Promise.all(clients.map((c) => c.close().catch(() => undefined))).then(() => process.exit(0)));
