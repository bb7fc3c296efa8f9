import { createServer, type Server, type Socket } from 'node:net';

/**
 * A Kafka broker stand-in that speaks just enough of the Kafka protocol to refuse a SASL login:
 * ApiVersions (v0–v2), SaslHandshake (v0–v1, offering PLAIN and SCRAM) and SaslAuthenticate (v0–v1),
 * answered with error 58 SASL_AUTHENTICATION_FAILED and a message that **echoes the credentials it
 * received**, as a careless broker or proxy might. librdkafka's mock broker accepts any SASL login, so
 * it cannot show what the service logs when the login is refused.
 * Wire format: https://kafka.apache.org/protocol (request header v1, response header v0).
 */
export interface KafkaSaslStub {
  port: number;
  /** The SASL auth bytes received (PLAIN: `\0user\0password`), as latin1 text. */
  received: string[];
  close(): Promise<void>;
}

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
const SASL_AUTHENTICATION_FAILED = 58;

const int16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const str = (s: string) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);

function respond(socket: Socket, correlationId: number, body: Buffer): void {
  socket.write(Buffer.concat([int32(body.length + 4), int32(correlationId), body]));
}

export async function startKafkaSaslStub(): Promise<KafkaSaslStub> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        const apiKey = frame.readInt16BE(0);
        const version = frame.readInt16BE(2);
        const correlationId = frame.readInt32BE(4);
        const clientIdLength = frame.readInt16BE(8);
        const body = frame.subarray(10 + Math.max(0, clientIdLength));
        if (apiKey === API_VERSIONS) {
          const apis = [
            [API_VERSIONS, 0, 2],
            [SASL_HANDSHAKE, 0, 1],
            [SASL_AUTHENTICATE, 0, 1],
            [3, 0, 5], // Metadata: never reached, the login fails first
          ];
          respond(
            socket,
            correlationId,
            Buffer.concat([
              int16(0),
              int32(apis.length),
              ...apis.flatMap(([key, min, max]) => [int16(key!), int16(min!), int16(max!)]),
              ...(version >= 1 ? [int32(0)] : []),
            ]),
          );
        } else if (apiKey === SASL_HANDSHAKE) {
          const mechanisms = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];
          respond(
            socket,
            correlationId,
            Buffer.concat([int16(0), int32(mechanisms.length), ...mechanisms.map(str)]),
          );
        } else if (apiKey === SASL_AUTHENTICATE) {
          const authBytes = body.subarray(4, 4 + body.readInt32BE(0)).toString('latin1');
          received.push(authBytes);
          const echoed = `Authentication failed: invalid credentials ${authBytes.replace(/\0/g, ' ')}`;
          respond(
            socket,
            correlationId,
            Buffer.concat([
              int16(SASL_AUTHENTICATION_FAILED),
              str(echoed),
              int32(0),
              ...(version >= 1 ? [Buffer.alloc(8)] : []),
            ]),
          );
        } else {
          socket.destroy();
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
